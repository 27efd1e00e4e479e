/**
 * The cluster test (issue 13, item 1; `npm run test:cluster`): three Lantern processes behind HAProxy on
 * a PostgreSQL server of their own (scripts/cluster.sh), under a mixed load through the load balancer;
 * one process is killed with kill -9 and started again by the script, and PostgreSQL is restarted once.
 * Not in `npm test`'s vitest projects: it needs HAProxy and PostgreSQL's server programs, and two minutes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCKOUT_ATTEMPTS } from '../../../common/limits.ts';
import {
  activeOperation,
  alive,
  demoAccounts,
  inService,
  lantern,
  mixedLoad,
  processPid,
  request,
  restartDatabase,
  signIn,
  startCluster,
  stopCluster,
  withDatabase,
  type Cluster,
  type DemoAccount,
  type LoadResult,
  TEST_CLUSTER,
} from './cluster.ts';

// The load goes on this long after the database is back, to see the writes resume.
const AFTER_MS = 10_000;

// Every run's records carry its own run id (the cluster's database is kept between runs).
const runId = `c${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, f: () => Promise<boolean> | boolean, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

let cluster: Cluster;
let accounts: DemoAccount[];
const account = (email: string) => accounts.find((a) => a.email === email)!;

beforeAll(async () => {
  cluster = await startCluster({ ...TEST_CLUSTER, timeoutMs: 280_000 });
  accounts = demoAccounts(cluster);
}, 300_000);

afterAll(async () => {
  if (cluster) expect(await stopCluster(cluster)).toBe(0);
}, 120_000);

describe('three Lantern processes behind HAProxy on one PostgreSQL', () => {
  it('locks an account after failed sign-ins spread over the processes, on every process', async () => {
    const victim = account('springfield-analyst@demo.lantern.test');
    // Runs share the database: start from an account that is not locked.
    await withDatabase(cluster, async (db) => {
      await db.query('delete from login_lock where email = $1', [victim.email]);
      await db.query('delete from login_failure where email = $1', [victim.email]);
    });
    const wrong = [];
    for (let i = 0; i < LOCKOUT_ATTEMPTS; i++) {
      wrong.push(await request(cluster.url, 'POST', '/api/auth/login', { body: { email: victim.email, password: `wrong-${i}` }, ip: `203.0.113.${10 + i}` }));
    }
    expect(wrong.map((r) => r.status).slice(0, LOCKOUT_ATTEMPTS - 1)).toEqual(Array(LOCKOUT_ATTEMPTS - 1).fill(401));
    expect(new Set(wrong.map((r) => r.process)).size).toBe(3);
    // The right password is refused by each process, asked directly.
    for (const url of cluster.processUrls) {
      const r = await request(url, 'POST', '/api/auth/login', { body: { email: victim.email, password: victim.password }, ip: '203.0.113.30' });
      expect(r.status, url).toBe(423);
    }
  });

  it('counts the sign-in rate limit once across the processes', async () => {
    // 20 a minute per address, in fixed one-minute windows: keep the 30 attempts inside one window.
    if (new Date().getSeconds() > 35) await sleep((61 - new Date().getSeconds()) * 1000);
    const ip = `203.0.113.${100 + (Date.now() % 100)}`;
    const replies = [];
    for (let i = 0; i < 30; i++) {
      replies.push(await request(cluster.url, 'POST', '/api/auth/login', { body: { email: `nobody-${runId}-${i}@demo.lantern.test`, password: 'not-a-password' }, ip }));
    }
    // Each process saw about 10 of them: a count per process would have let all 30 through.
    expect(replies.filter((r) => r.status === 401)).toHaveLength(20);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(10);
    expect(new Set(replies.filter((r) => r.status === 429).map((r) => r.process)).size).toBe(3);
  });

  let load: LoadResult;
  let killedAt = 0;
  let startedAgainAt = 0;
  let backAt = 0;
  let dbRestartAt = 0;
  let dbBackAt = 0;
  // Each process's /healthz replies while the database restarts: [ms since the restart, status, reply ms].
  const healthDuringRestart: [number, number, number][][] = [[], [], []];
  let pidsAfterKill: (number | null)[] = [];

  it('loses and duplicates no acknowledged write through a kill -9 and a database restart', async () => {
    const officer = await signIn(cluster.url, account('officer@demo.lantern.test'), '192.0.2.251');
    const coordinator = await signIn(cluster.url, account('coordinator@demo.lantern.test'), '192.0.2.252');
    const officerId = (JSON.parse((await request(cluster.url, 'GET', '/api/me', { cookie: officer })).body) as { user: { id: string } }).user.id;
    const operationId = await activeOperation(cluster, coordinator, [officerId], runId);
    const busy = new Set(['officer', 'coordinator', 'springfield-analyst', 'platform', 'admin']);
    let stopAt = Infinity;
    const loadDone = mixedLoad({
      url: cluster.url,
      done: () => Date.now() > stopAt,
      operationId,
      officer,
      readers: [{ cookie: officer }, { cookie: coordinator }],
      signInAccounts: accounts.filter((a) => !busy.has(a.email.split('@')[0]!)),
      runId,
      writers: 4,
      readerWorkers: 3,
      publicWorkers: 2,
    });
    const t0 = Date.now();

    // kill -9 one process; the script starts it again, as systemd would.
    await sleep(8_000);
    const killed = processPid(cluster, 2)!;
    process.kill(killed, 'SIGKILL');
    killedAt = Date.now() - t0;
    await until('process 2 is started again and healthy', async () => {
      const pid = processPid(cluster, 2);
      if (pid !== killed && !startedAgainAt) startedAgainAt = Date.now() - t0;
      // Back in service: HAProxy's health check has seen it answer.
      return pid !== killed && alive(pid) && (await inService(cluster)).includes('lantern2');
    });
    backAt = Date.now() - t0;
    pidsAfterKill = [1, 2, 3].map((n) => processPid(cluster, n));

    // Restart PostgreSQL under the load: stop it, see each process answer 503 (it stays up), start it.
    await sleep(Math.max(0, backAt + 5_000 - (Date.now() - t0)));
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const sent = Date.now();
        const replies = await Promise.all(cluster.processUrls.map((u) => request(u, 'GET', '/healthz', { timeoutMs: 10_000 })));
        replies.forEach((r, i) => healthDuringRestart[i]!.push([sent - t0 - dbRestartAt, r.status, Date.now() - sent]));
        await sleep(50);
      }
    })();
    dbRestartAt = Date.now() - t0;
    await restartDatabase(cluster, () =>
      until(
        'every process answers /healthz with 503',
        async () => {
          const replies = await Promise.all(cluster.processUrls.map((u) => request(u, 'GET', '/healthz', { timeoutMs: 30_000 })));
          replies.forEach((r, i) => healthDuringRestart[i]!.push([Date.now() - t0 - dbRestartAt, r.status, -1]));
          return healthDuringRestart.every((seen) => seen.some(([, status]) => status === 503));
        },
        60_000,
      ),
    );
    await until('every process answers /healthz again', async () => {
      const replies = await Promise.all(cluster.processUrls.map((u) => request(u, 'GET', '/healthz')));
      return replies.every((r) => r.status === 200);
    });
    dbBackAt = Date.now() - t0;
    watching = false;
    await watcher;
    stopAt = Date.now() + AFTER_MS;

    load = await loadDone;
    const run = await withDatabase(cluster, async (db) =>
      (await db.query<{ client_ref: string; id: string; n: string }>("select client_ref, min(id) as id, count(*) as n from contact where client_ref like $1 group by client_ref", [`${runId}-%`])).rows,
    );
    const stored = new Map(run.map((r) => [r.client_ref, r]));
    const lost = [...load.acknowledged.keys()].filter((ref) => !stored.has(ref));
    const duplicated = run.filter((r) => Number(r.n) !== 1);
    const wrongId = [...load.acknowledged].filter(([ref, id]) => stored.get(ref)?.id !== id);
    console.log(
      `${load.acknowledged.size} contacts acknowledged (${load.replays} as resends' 200), ${load.resends} resends, ${load.unacknowledged.length} given up; ` +
        `${run.length} in the database; ${load.signIns} sign-ins; ${load.samples.length} requests. ` +
        `kill -9 at ${killedAt} ms, back at ${backAt} ms; database restart at ${dbRestartAt} ms, healthy at ${dbBackAt} ms`,
    );
    expect(load.refused).toEqual([]);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(wrongId).toEqual([]);
    expect(load.unacknowledged).toEqual([]);
    expect(load.acknowledged.size).toBeGreaterThan(50);
    expect(load.signIns).toBeGreaterThan(3);
  });

  it('keeps sessions going through the other processes and after the restarts', () => {
    const writes = load.samples.filter((s) => s.kind === 'record' && (s.status === 201 || s.status === 200));
    const by = (from: number, to: number) => new Set(writes.filter((s) => s.at >= from && s.at < to).map((s) => s.process));
    // One officer's session, signed in once: served by the other two while one was down, by all three after.
    expect(by(killedAt, startedAgainAt).has('lantern2')).toBe(false);
    expect([...by(killedAt, backAt)]).toEqual(expect.arrayContaining(['lantern1', 'lantern3']));
    expect(by(backAt, dbRestartAt)).toEqual(new Set(['lantern1', 'lantern2', 'lantern3']));
    expect(by(dbBackAt, Infinity)).toEqual(new Set(['lantern1', 'lantern2', 'lantern3']));
    // No session was lost (401), nothing failed on Lantern's side (500): only a lost connection (0), or
    // HAProxy's 502/503 in the moment before its health check noticed, is resent.
    expect(load.samples.filter((s) => ![0, 200, 201, 502, 503, 504].includes(s.status))).toEqual([]);
    expect(load.samples.filter((s) => s.kind === 'read' && s.status === 401)).toEqual([]);
  });

  it('recovers from the database restart without being restarted: 503 from /healthz meanwhile, no crash', () => {
    // Every process said 503 while the database was down, then 200 again.
    console.log(healthDuringRestart.map((seen, i) => `lantern${i + 1} /healthz: ${seen.map(([at, status, ms]) => `${at}:${status}(${ms})`).join(' ')}`).join('\n'));
    for (const seen of healthDuringRestart) {
      expect(seen.map(([, status]) => status)).toContain(503);
      expect(seen.at(-1)![1]).toBe(200);
    }
    // The same processes as before the restart, still running.
    expect([1, 2, 3].map((n) => processPid(cluster, n))).toEqual(pidsAfterKill);
    for (const pid of pidsAfterKill) expect(alive(pid)).toBe(true);
  });

  it('passes `lantern audit verify` with every process’s chains and anchors', async () => {
    // A clean stop writes each process's last checkpoint to its anchors file; the script does not restart it.
    const pids = [1, 2, 3].map((n) => processPid(cluster, n)!);
    for (const pid of pids) process.kill(pid, 'SIGTERM');
    await until('the processes have stopped', () => pids.every((pid) => !alive(pid)), 60_000);
    const anchors = [1, 2, 3].map((n) => path.join(cluster.dir, `anchors-${n}.jsonl`));
    for (const file of anchors) expect(fs.existsSync(file), file).toBe(true);
    const verify = lantern(cluster, ['audit', 'verify', '--anchors', ...anchors]);
    expect(verify.stderr).not.toMatch(/TAMPERED/);
    expect(verify.stdout).toMatch(/^audit log intact: \d+ rows in \d+ chains/m);
    expect(verify.status).toBe(0);
  }, 120_000);
});
