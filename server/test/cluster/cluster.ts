/**
 * Drives `scripts/cluster.sh` (three Lantern processes behind HAProxy on a PostgreSQL server of its own)
 * for the cluster test (`npm run test:cluster`) and the cluster bench (`npm run bench -- cluster`): starts
 * it, kills a process, restarts the database, and runs a mixed load through the load balancer as people
 * would (staff signing in, an officer recording contacts and resending those whose reply was lost,
 * readers, the public pages), logging every request's time, status and the process that answered.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { totpCode } from '../../auth/mfa.ts';
import { SESSION_COOKIE } from '../../auth/sessions.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Where the cluster test and the cluster bench run their cluster: HAProxy on the port, the processes on
 * the next three, its statistics on the fourth, PostgreSQL on its own port. Kept between runs (the demo
 * takes a minute to load); the lock in scripts/cluster.sh keeps the test and the bench apart.
 */
export const TEST_CLUSTER = {
  port: Number(process.env.LANTERN_CLUSTER_TEST_PORT ?? 3371),
  pgPort: Number(process.env.LANTERN_CLUSTER_TEST_PG_PORT ?? 55433),
  dir: '.tmp/cluster-test',
} as const;

export interface Cluster {
  dir: string;
  url: string;
  /** HAProxy's statistics page. */
  stats: string;
  /** Each Lantern process's own address, bypassing HAProxy. */
  processUrls: string[];
  pgUrl: string;
  pgBin: string;
  pgdata: string;
  pgPort: string;
  script: ChildProcess;
  /** The environment `bin/lantern` needs to reach the cluster's database with its keys. */
  env: NodeJS.ProcessEnv;
}

export interface DemoAccount {
  email: string;
  password: string;
  totpSecret: string;
  role: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the cluster and resolves once every process answers its /healthz (scripts/cluster.sh writes `ready`). */
export async function startCluster(o: { port: number; pgPort: number; dir: string; timeoutMs?: number }): Promise<Cluster> {
  const dir = path.resolve(REPO, o.dir);
  fs.rmSync(path.join(dir, 'ready'), { force: true });
  const out = fs.openSync(path.join(REPO, `${o.dir}.out`), 'w');
  const script = spawn(path.join(REPO, 'scripts/cluster.sh'), [], {
    cwd: REPO,
    env: { ...process.env, LANTERN_CLUSTER_PORT: String(o.port), LANTERN_CLUSTER_PG_PORT: String(o.pgPort), LANTERN_CLUSTER_DIR: dir },
    stdio: ['ignore', out, out],
  });
  try {
    return await clusterReady(script, dir, o.dir, o.timeoutMs ?? 240_000);
  } catch (err) {
    script.kill('SIGTERM');
    throw err;
  }
}

async function clusterReady(script: ChildProcess, dir: string, name: string, timeoutMs: number): Promise<Cluster> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(path.join(dir, 'ready'))) {
    if (script.exitCode !== null || Date.now() > deadline) {
      throw new Error(`scripts/cluster.sh did not become ready:\n${fs.readFileSync(path.join(REPO, `${name}.out`), 'utf8')}`);
    }
    await sleep(250);
  }
  const ready = Object.fromEntries(
    fs
      .readFileSync(path.join(dir, 'ready'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const secrets = Object.fromEntries(
    fs
      .readFileSync(path.join(dir, 'secrets.env'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  ) as Record<string, string>;
  return {
    dir,
    url: ready.url!,
    stats: ready.stats!,
    processUrls: ready.ports!.split(' ').map((p) => `http://127.0.0.1:${p}`),
    pgUrl: ready.pg_url!,
    pgBin: ready.pg_bin!,
    pgdata: ready.pgdata!,
    pgPort: ready.pg_port!,
    script,
    env: { ...process.env, ...secrets, DATABASE_URL: ready.pg_url!, LANTERN_DATA_DIR: path.join(dir, 'data'), LANTERN_LOG_LEVEL: 'warn', LANTERN_CHECK_RESPONSES: 'on' },
  };
}

/** Ctrl-C, as a person would: the processes drain and checkpoint, then HAProxy and PostgreSQL stop. */
export async function stopCluster(cluster: Cluster): Promise<number | null> {
  if (cluster.script.exitCode !== null) return cluster.script.exitCode;
  const exited = new Promise<number | null>((resolve) => cluster.script.once('exit', (code) => resolve(code)));
  cluster.script.kill('SIGTERM');
  return exited;
}

/** The processes HAProxy has in service (its statistics as CSV), by server name: lantern1… */
export async function inService(cluster: Cluster): Promise<string[]> {
  const csv = await request(cluster.stats, 'GET', ';csv');
  return csv.body
    .split('\n')
    .map((line) => line.split(','))
    .filter((f) => f[0] === 'lanterns' && f[1]?.startsWith('lantern') && f[17] === 'UP')
    .map((f) => f[1]!);
}

export const processPid = (cluster: Cluster, n: number): number | null => {
  try {
    return Number(fs.readFileSync(path.join(cluster.dir, `lantern-${n}.pid`), 'utf8'));
  } catch {
    return null;
  }
};

export const alive = (pid: number | null) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `pg_ctl restart -m fast`, as the postgres user when running as root (PostgreSQL refuses root). Never
 * synchronous: the load and the watchers in this process go on meanwhile. With `whileDown`, the restart
 * is a fast stop and a start with `whileDown` awaited between them (on a loaded machine a plain restart
 * can be over before a busy process has looked).
 */
export async function restartDatabase(cluster: Cluster, whileDown?: () => Promise<void>): Promise<void> {
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const pgCtl = (args: string[]) => {
    const cmd = [...asPostgres, path.join(cluster.pgBin, 'pg_ctl'), '-D', cluster.pgdata, '-l', path.join(cluster.dir, 'postgres.log'), '-w', ...args];
    return new Promise<void>((resolve, reject) =>
      execFile(cmd[0]!, cmd.slice(1), (err, stdout, stderr) => (err ? reject(new Error(`pg_ctl ${args.join(' ')} failed: ${stderr}${stdout}`)) : resolve())),
    );
  };
  if (!whileDown) return pgCtl(['-m', 'fast', 'restart']);
  await pgCtl(['-m', 'fast', 'stop']);
  try {
    await whileDown();
  } finally {
    await pgCtl(['-o', `-p ${cluster.pgPort}`, 'start']);
  }
}

/** `bin/lantern …` against the cluster's database, with its keys. */
export function lantern(cluster: Cluster, args: string[]) {
  return spawnSync(path.join(REPO, 'bin/lantern'), args, { cwd: REPO, env: cluster.env, encoding: 'utf8' });
}

export async function withDatabase<T>(cluster: Cluster, f: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: cluster.pgUrl });
  await db.connect();
  try {
    return await f(db);
  } finally {
    await db.end();
  }
}

export function demoAccounts(cluster: Cluster): DemoAccount[] {
  return JSON.parse(fs.readFileSync(path.join(cluster.dir, 'data/demo-accounts.json'), 'utf8')) as DemoAccount[];
}

// ---- HTTP ------------------------------------------------------------------------------------------------

export interface Reply {
  status: number;
  /** The process that answered, from HAProxy's X-Lantern-Process header (absent when asked directly). */
  process: string | null;
  body: string;
  cookie: string | null;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request; a connection error or timeout resolves with status 0 (the reply was lost). */
export function request(
  base: string,
  method: string,
  urlPath: string,
  o: { cookie?: string | null; body?: unknown; ip?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve) => {
    const req = http.request(
      new URL(urlPath, base),
      {
        method,
        agent,
        timeout: o.timeoutMs ?? 15_000,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(o.cookie ? { cookie: `${SESSION_COOKIE}=${o.cookie}` } : {}),
          // HAProxy appends the real peer; Lantern trusts 127.0.0.1 only, so this is the client's address.
          ...(o.ip ? { 'x-forwarded-for': o.ip } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const set = res.headers['set-cookie']?.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
          resolve({
            status: res.statusCode ?? 0,
            process: (res.headers['x-lantern-process'] as string | undefined) ?? null,
            body: Buffer.concat(chunks).toString('utf8'),
            cookie: set ? set.slice(SESSION_COOKIE.length + 1, set.indexOf(';')) : null,
          });
        });
        res.on('error', () => resolve({ status: 0, process: null, body: '', cookie: null }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, process: null, body: '', cookie: null }));
    req.end(payload);
  });
}

/** Signs in (password, then the authenticator code) and returns the session token; throws on refusal. */
export async function signIn(base: string, account: DemoAccount, ip: string): Promise<string> {
  const login = await request(base, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password }, ip });
  if (login.status !== 200 || !login.cookie) throw new Error(`sign-in ${account.email}: ${login.status} ${login.body}`);
  const mfa = await request(base, 'POST', '/api/auth/mfa', { cookie: login.cookie, body: { code: totpCode(account.totpSecret, new Date()) }, ip });
  if (mfa.status !== 200) throw new Error(`MFA ${account.email}: ${mfa.status} ${mfa.body}`);
  return mfa.cookie ?? login.cookie;
}

// ---- The mixed load ---------------------------------------------------------------------------------------

export type Kind = 'sign-in' | 'record' | 'read' | 'public';

export interface Sample {
  /** Milliseconds since the load started, when the request was sent. */
  at: number;
  ms: number;
  kind: Kind;
  status: number;
  process: string | null;
}

export interface LoadResult {
  samples: Sample[];
  /** Every contact acknowledged (201, or 200 for a resend), by clientRef, with its id. */
  acknowledged: Map<string, string>;
  /** clientRefs sent whose reply never came back as a success (given up at the end). */
  unacknowledged: string[];
  /** Writes refused with another status than a retriable one (a fault: 500, or a 4xx). */
  refused: { clientRef: string; status: number; body: string }[];
  /** Acknowledgements that came as 200: a resend after a lost reply found the first. */
  replays: number;
  /** Requests resent after a lost reply (status 0, 502, 503 or 504). */
  resends: number;
  signIns: number;
  startedAt: number;
}

export interface LoadPlan {
  url: string;
  /** Asked before each request: the load stops once it says so. */
  done: () => boolean;
  operationId: string;
  officer: string;
  readers: { cookie: string }[];
  /** Accounts the sign-in worker signs in as, each at most once per authenticator step. */
  signInAccounts: DemoAccount[];
  runId: string;
  /** Concurrent workers of each kind. */
  writers: number;
  readerWorkers: number;
  publicWorkers: number;
}

const PUBLIC_PAGES = ['/', '/statistics', '/news', '/help', '/api/jurisdiction'];
const CONTACTS = [
  { role: 'adult_victim', sex: 'female', ageBand: '25_to_34' },
  { role: 'suspect', suspectType: 'buyer', sex: 'male', ageBand: '35_to_49', disposition: 'detained' },
  { role: 'adult_victim', sex: 'female', ageBand: '18_to_24' },
];
const retriable = (status: number) => status === 0 || status === 502 || status === 503 || status === 504;

/**
 * Runs the mixed load until `plan.done()`; writers then finish resending what is still unacknowledged
 * (up to 30 s), as a field officer's phone would once the network came back.
 */
export async function mixedLoad(plan: LoadPlan): Promise<LoadResult> {
  const startedAt = Date.now();
  const samples: Sample[] = [];
  const acknowledged = new Map<string, string>();
  const unacknowledged: string[] = [];
  const refused: LoadResult['refused'] = [];
  let replays = 0;
  let resends = 0;
  let signIns = 0;
  let stoppedAt = Infinity;
  const running = () => {
    if (stoppedAt === Infinity && plan.done()) stoppedAt = Date.now();
    return stoppedAt === Infinity;
  };
  const timed = async (kind: Kind, f: () => Promise<Reply>): Promise<Reply> => {
    const t = Date.now();
    const reply = await f();
    samples.push({ at: t - startedAt, ms: Date.now() - t, kind, status: reply.status, process: reply.process });
    return reply;
  };

  let n = 0;
  const writer = async () => {
    while (running()) {
      const clientRef = `${plan.runId}-${n++}`;
      const body = { clientRef, ...CONTACTS[n % CONTACTS.length] };
      for (;;) {
        const reply = await timed('record', () => request(plan.url, 'POST', `/api/operations/${plan.operationId}/contacts`, { cookie: plan.officer, body }));
        if (reply.status === 201 || reply.status === 200) {
          acknowledged.set(clientRef, (JSON.parse(reply.body) as { id: string }).id);
          if (reply.status === 200) replays++;
          break;
        }
        if (!retriable(reply.status)) {
          refused.push({ clientRef, status: reply.status, body: reply.body });
          break;
        }
        if (Date.now() > stoppedAt + 30_000) {
          unacknowledged.push(clientRef);
          break;
        }
        resends++;
        await sleep(200);
      }
    }
  };
  const reader = async (w: number) => {
    const paths = ['/api/me', `/api/operations/${plan.operationId}`, `/api/operations/${plan.operationId}/contacts`, `/api/operations/${plan.operationId}/outcome`];
    for (let i = 0; running(); i++) {
      const session = plan.readers[(w + i) % plan.readers.length]!;
      const reply = await timed('read', () => request(plan.url, 'GET', paths[i % paths.length]!, { cookie: session.cookie }));
      if (retriable(reply.status)) await sleep(100);
    }
  };
  const visitor = async (w: number) => {
    for (let i = 0; running(); i++) {
      // Many visitors, each its own address, as the public pages are rate-limited per address.
      const reply = await timed('public', () => request(plan.url, 'GET', PUBLIC_PAGES[i % PUBLIC_PAGES.length]!, { ip: `198.51.100.${(w * 50 + i) % 250}` }));
      if (retriable(reply.status)) await sleep(100);
      await sleep(20);
    }
  };
  const lastStep = new Map<string, number>();
  const signer = async () => {
    for (let i = 0; running(); i++) {
      const account = plan.signInAccounts[i % plan.signInAccounts.length]!;
      const step = Math.floor(Date.now() / 30_000);
      if (lastStep.get(account.email) === step) {
        await sleep(200);
        continue;
      }
      lastStep.set(account.email, step);
      const ip = `192.0.2.${i % 250}`;
      const login = await timed('sign-in', () => request(plan.url, 'POST', '/api/auth/login', { body: { email: account.email, password: account.password }, ip }));
      if (login.status !== 200 || !login.cookie) continue;
      const mfa = await timed('sign-in', () => request(plan.url, 'POST', '/api/auth/mfa', { cookie: login.cookie, body: { code: totpCode(account.totpSecret, new Date()) }, ip }));
      if (mfa.status === 200) {
        signIns++;
        await timed('read', () => request(plan.url, 'GET', '/api/me', { cookie: mfa.cookie ?? login.cookie }));
      }
      await sleep(300);
    }
  };
  await Promise.all([
    ...Array.from({ length: plan.writers }, () => writer()),
    ...Array.from({ length: plan.readerWorkers }, (_, w) => reader(w)),
    ...Array.from({ length: plan.publicWorkers }, (_, w) => visitor(w)),
    signer(),
  ]);
  return { samples, acknowledged, unacknowledged, refused, replays, resends, signIns, startedAt };
}

/** Plans, approves and activates an operation through the API as the demo's coordinator, assigning `officerIds`. */
export async function activeOperation(cluster: Cluster, coordinator: string, officerIds: string[], runId: string): Promise<string> {
  const taskForceId = await withDatabase(cluster, async (db) => (await db.query<{ id: string }>('select id from task_force order by created_at limit 1')).rows[0]!.id);
  // Each run its own evening, so runs never conflict with each other in deconfliction.
  const start = Date.parse('2031-01-01T01:00:00.000Z') + (parseInt(runId.slice(-6), 36) % 3000) * 86_400_000;
  const plan = {
    taskForceId,
    name: `Operation Cluster ${runId}`,
    type: 'buyer_sting',
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 8 * 3_600_000).toISOString(),
    locations: [{ label: 'Motel, 1400 block of S Broadway St', countyFips: '29095', lat: 38.966, lng: -94.129 }],
    commander: { name: 'Sgt. Cluster Commander', phone: '(816) 555-0100' },
    assignedUserIds: officerIds,
  };
  const created = await request(cluster.url, 'POST', '/api/operations', { cookie: coordinator, body: plan });
  if (created.status !== 201) throw new Error(`plan: ${created.status} ${created.body}`);
  const { id } = JSON.parse(created.body) as { id: string };
  for (const step of ['approve', 'activate']) {
    const r = await request(cluster.url, 'POST', `/api/operations/${id}/${step}`, { cookie: coordinator });
    if (r.status !== 200) throw new Error(`${step}: ${r.status} ${r.body}`);
  }
  return id;
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
