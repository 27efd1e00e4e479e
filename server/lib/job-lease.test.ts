import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../context.ts';
import { describeEachDatabase, openSecondContext, startTestEnv, type TestEnv } from '../test/harness.ts';
import { fireTogether, roundsFor } from '../test/race.ts';
import { releaseLease, releaseLeases, runLeased, takeLease } from './job-lease.ts';

const MINUTE = 60_000;

describeEachDatabase('job leases', (backend) => {
  let env: TestEnv;
  /** Four Lantern "processes" on one database, each with its own connection pool. */
  let processes: AppContext[];
  beforeAll(async () => {
    env = await startTestEnv(backend);
    processes = [env.ctx, ...(await Promise.all([1, 2, 3].map(() => openSecondContext(env))))];
  });
  afterAll(async () => {
    for (const ctx of processes.slice(1)) await ctx.database.close();
    await env.close();
  });

  it('gives a lease to one holder until it expires, renews it for that holder, then hands it over', async () => {
    const now = env.clock.now();
    expect(await takeLease(env.ctx.db, 'simple', 'a', now, MINUTE)).toBe(true);
    expect(await takeLease(env.ctx.db, 'simple', 'b', new Date(now.getTime() + MINUTE - 1), MINUTE)).toBe(false);
    expect(await takeLease(env.ctx.db, 'simple', 'a', new Date(now.getTime() + 30_000), MINUTE)).toBe(true);
    // Renewed at +30 s: still a's at +89 s, free at +90 s.
    expect(await takeLease(env.ctx.db, 'simple', 'b', new Date(now.getTime() + 89_999), MINUTE)).toBe(false);
    expect(await takeLease(env.ctx.db, 'simple', 'b', new Date(now.getTime() + 90_000), MINUTE)).toBe(true);
    const row = await env.ctx.db.selectFrom('job_lease').selectAll().where('name', '=', 'simple').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ holder: 'b', version: 3 });
    // A closing holder gives it up; another holder's release does nothing.
    await releaseLease(env.ctx.db, 'simple', 'a');
    expect(await takeLease(env.ctx.db, 'simple', 'a', new Date(now.getTime() + 90_001), MINUTE)).toBe(false);
    await releaseLease(env.ctx.db, 'simple', 'b');
    expect(await takeLease(env.ctx.db, 'simple', 'a', new Date(now.getTime() + 90_001), MINUTE)).toBe(true);
  });

  it('of several processes ticking at the same moment, exactly one runs the job each period; a dead holder hands over after the expiry', async () => {
    const runs: string[][] = [];
    const holders = processes.map((_, i) => `process-${i}`);
    const tick = async (alive: number[]) => {
      const ran: string[] = [];
      await fireTogether(
        alive.map((i) => () => runLeased(processes[i]!, { name: 'deadlines', everyMs: MINUTE, run: async () => void ran.push(holders[i]!) }, holders[i])),
      );
      runs.push(ran);
      return ran;
    };
    const everyone = [0, 1, 2, 3];
    for (let period = 0; period < roundsFor(backend, 20); period++) {
      const ran = await tick(everyone);
      expect(ran).toHaveLength(1);
      // The other processes' timers, offset by half a period, run nothing (a holder's own timer fires once a period).
      env.clock.advance(MINUTE / 2);
      expect(await tick(everyone.filter((i) => holders[i] !== ran[0]))).toEqual([]);
      env.clock.advance(MINUTE / 2);
    }
    // The holder of the last period dies: the others cannot run the job until its lease expires.
    const first = await tick(everyone);
    expect(first).toHaveLength(1);
    const dead = holders.indexOf(first[0]!);
    const alive = everyone.filter((i) => i !== dead);
    env.clock.advance(MINUTE - 1);
    expect(await tick(alive)).toEqual([]);
    env.clock.advance(1);
    const next = await tick(alive);
    expect(next).toHaveLength(1);
    expect(next[0]).not.toBe(holders[dead]);
    // That holder shuts down cleanly: the rest take the job at their next tick, before its lease would expire.
    const closing = holders.indexOf(next[0]!);
    await releaseLeases(processes[closing]!.db, holders[closing]);
    env.clock.advance(1);
    const after = await tick(alive.filter((i) => i !== closing));
    expect(after).toHaveLength(1);
  });
});
