import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, type TestEnv } from '../../test/harness.ts';
import { insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, closeOperation, recordContact, suspect, type SignedIn } from '../../test/operations-fixtures.ts';
import { lockUntilCommit } from '../../db/database.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv, statuses } from '../../test/race.ts';
import { LEDGER_LOCK } from './statistics.counting.ts';

/**
 * Publication jobs under concurrency (issue #8): PIOs start publications at the same moment; one job
 * is accepted and the others are refused, and the ledger gains at most one release. On PostgreSQL the
 * accepted job is held at the ledger lock until the round is checked, so every request of the round
 * races a publication that is surely still running.
 */
describeEachDatabase('statistics publication jobs under concurrent requests', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let pios: TestUser[];
  const rounds = roundsFor(backend, 10);
  const concurrency = 4;

  beforeAll(async () => {
    env = await startRaceEnv(backend, concurrency + 1);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    env.clock.set('2026-03-20T15:00:00.000Z');
    const op = await activeOperation(signedIn, world);
    const coordinator = await signedIn(world.users.coordinator);
    for (let i = 0; i < 6; i++) await recordContact(coordinator, op.id, suspect());
    await closeOperation(signedIn, world, op.id);
    // The first quarter has ended; the sessions stay fresh (the clock moves only here).
    env.clock.set('2026-04-10T15:00:00.000Z');
    signedIn = sessionCache(env);
    pios = [world.users.pio, await insertUser(env, world.agencies.partner, ['pio'])];
  });
  afterAll(() => env?.close());

  async function settled(id: string) {
    const c = await signedIn(world.users.pio);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = body(await c.get(`/api/statistics/jobs/${id}`));
      if (job.status !== 'running') return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still running`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** PostgreSQL: holds the ledger lock from another connection until `release` is called. */
  async function holdLedger(): Promise<() => Promise<void>> {
    if (backend !== 'postgres') return async () => {};
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = env.ctx.db.transaction().execute(async (trx) => {
      await lockUntilCommit(env.ctx.dialect, trx, LEDGER_LOCK);
      locked();
      await released;
    });
    await isLocked;
    return async () => {
      release();
      await holder;
    };
  }

  it('publish × publish: one job is accepted, the others are refused with 409, and the ledger gains at most one release', async () => {
    let done = 0;
    await raceRounds(rounds, {
      prepare: async () => {
        const clients = [];
        for (let i = 0; i < concurrency; i++) clients.push(await signedIn(pios[i % pios.length]!));
        return { clients, release: await holdLedger() };
      },
      fire: ({ clients }) => clients.map((c) => () => c.post('/api/statistics/jobs', { kind: 'publish' })),
      check: async ({ release }, results) => {
        const accepted = results.filter((r) => r.statusCode === 202);
        try {
          if (backend === 'postgres') expect(statuses(results).filter((s) => s === 202), results.map((r) => r.body).join(' / ')).toHaveLength(1);
          else expect(accepted.length).toBeGreaterThanOrEqual(1);
          for (const r of results) {
            if (r.statusCode === 202) continue;
            expectRefusal(r, [409]);
            expect(body(r).error.code).toBe('publication_running');
          }
        } finally {
          await release();
        }
        for (const r of accepted) {
          const job = await settled(body(r).id);
          if (job.status === 'done') done++;
          else expect(job.error.code).toBe('no_new_quarter');
        }
        const running = await env.ctx.db.selectFrom('stat_release_job').select('id').where('status', '=', 'running').execute();
        expect(running).toEqual([]);
        expect(await env.ctx.db.selectFrom('stat_release').select('seq').execute()).toEqual([{ seq: 1 }]);
      },
    });
    expect(done).toBe(1);
  }, 120_000);
});
