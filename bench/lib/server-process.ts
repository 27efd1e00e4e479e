/**
 * The benches' target: a child process running the real Lantern server (`startServer`, as `lantern
 * start` does) on a loopback port, plus a bare Fastify app on the same Kysely instance for baselines.
 * The parent (bench/lib/target.ts) drives it over the IPC channel; the load generator runs in the parent,
 * so the server has a core of its own on a two-core machine. SIGTERM shuts down as in production.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../../server/config.ts';
import { startServer } from '../../server/main.ts';
import { totpCode } from '../../server/auth/mfa.ts';
import { SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { newId } from '../../server/lib/ids.ts';
import { createAccounts, seedDirectory, type BenchAccount } from './seed.ts';
import { deconflictTimes, operationsFixture } from './operations-fixture.ts';
import { createTipChallenge, encodeProof } from '../../server/modules/tips/altcha.ts';
import { drainTipQueue, tipBatchSizes } from '../../server/modules/tips/tips.public.ts';
import { contactBatchSizes } from '../../server/modules/contacts/contacts.recording.ts';
import type { Request, Response, ServerReady, SignedIn, Usage, Credentials, AuthCounts } from './protocol.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const send = (message: ServerReady | Response) => process.send!(message);

const port = await freePort();
const config = loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: String(port), LANTERN_PUBLIC_URL: `http://127.0.0.1:${port}` });
const { app, ctx, url } = await startServer(config);
await seedDirectory(ctx);

// The baseline: no hooks, no plugins; one primary-key read through the same Kysely instance (same pool).
const bare = Fastify({ logger: false });
bare.get<{ Params: { id: string } }>('/user/:id', async (request) => {
  const row = await ctx.db.selectFrom('app_user').selectAll().where('id', '=', request.params.id).executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, displayName: row.display_name };
});
// The statistics bench's baseline: what a statistics page would cost without summary tables, one grouped
// scan of every contact of every closed operation by county, month (quarters are folded from months),
// role and outcome.
bare.get('/statistics-scan', async () => {
  const { rows } = await sql<{ county_fips: string; month: string; role: string; disposition: string | null; n: number }>`
    select l.county_fips, substr(o.starts_at, 1, 7) as month, c.role, c.disposition, count(*) as n
    from contact c
    join operation o on o.id = c.operation_id
    join operation_location l on l.operation_id = o.id and l.position = 0
    where o.status = 'closed'
    group by l.county_fips, substr(o.starts_at, 1, 7), c.role, c.disposition`.execute(ctx.db);
  return { groups: rows.length, contacts: rows.reduce((sum, r) => sum + Number(r.n), 0) };
});
// The operations bench's baselines: a bare durable insert (one ~1 KB row and an audit-like row in one
// transaction, through the same Kysely instance, so the same connection and durability settings as the
// server's writes), and a bare read of one operation row by primary key.
interface BareTables {
  bench_record: { id: string; body: string; created_at: string };
  bench_audit: { id: string; at: string; action: string; record_id: string; detail: string };
}
const bareDb = ctx.db as unknown as Kysely<BareTables>;
await bareDb.schema.createTable('bench_record').ifNotExists().addColumn('id', 'text', (c) => c.primaryKey()).addColumn('body', 'text', (c) => c.notNull()).addColumn('created_at', 'text', (c) => c.notNull()).execute();
await bareDb.schema
  .createTable('bench_audit')
  .ifNotExists()
  .addColumn('id', 'text', (c) => c.primaryKey())
  .addColumn('at', 'text', (c) => c.notNull())
  .addColumn('action', 'text', (c) => c.notNull())
  .addColumn('record_id', 'text', (c) => c.notNull())
  .addColumn('detail', 'text', (c) => c.notNull())
  .execute();
bare.post('/insert', async (request, reply) => {
  const id = newId();
  const at = new Date().toISOString();
  await bareDb.transaction().execute(async (trx) => {
    await trx.insertInto('bench_record').values({ id, body: JSON.stringify(request.body).padEnd(1024, ' '), created_at: at }).execute();
    await trx.insertInto('bench_audit').values({ id: newId(), at, action: 'bench.insert', record_id: id, detail: JSON.stringify({ bytes: 1024 }) }).execute();
  });
  return reply.status(201).send({ id });
});
bare.get<{ Params: { id: string } }>('/operation/:id', async (request) => {
  const row = await ctx.db.selectFrom('operation').selectAll().where('id', '=', request.params.id).executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, status: row.status };
});
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
let mark = { cpu: process.cpuUsage(), at: performance.now() };

/** Signs an account in with password and TOTP, as the web app does; returns the session cookie. */
async function signIn(account: BenchAccount): Promise<SignedIn> {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: account.password } });
  const pending = login.cookies.find((c) => c.name === SESSION_COOKIE);
  if (login.statusCode !== 200 || !pending) throw new Error(`login failed for ${account.email}: ${login.statusCode} ${login.body}`);
  const mfa = await app.inject({
    method: 'POST',
    url: '/api/auth/mfa',
    headers: { cookie: `${SESSION_COOKIE}=${pending.value}` },
    payload: { code: totpCode(account.totpSecret, ctx.clock.now()) },
  });
  const active = mfa.cookies.find((c) => c.name === SESSION_COOKIE);
  if (mfa.statusCode !== 200 || !active) throw new Error(`mfa failed for ${account.email}: ${mfa.statusCode} ${mfa.body}`);
  const user = await ctx.db.selectFrom('app_user').select('id').where('email', '=', account.email).executeTakeFirstOrThrow();
  return { cookie: `${SESSION_COOKIE}=${active.value}`, userId: user.id };
}

async function authCounts(): Promise<AuthCounts> {
  const count = async (table: 'login_failure' | 'login_lock' | 'session') =>
    Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { failures: await count('login_failure'), locks: await count('login_lock'), sessions: await count('session') };
}

/** CPU use of this process and event-loop delay since the last mark. */
function usage(): Usage {
  const cpu = process.cpuUsage(mark.cpu);
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - mark.at,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
  };
}

let profiler: Session | null = null;

/** A V8 CPU profile of the measured load only (not start-up or seeding), for bench/profile-summary.ts. */
async function profileStart() {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
  await profiler.post('Profiler.start');
}

async function profileStop(file: string) {
  if (!profiler) return null;
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = null;
  fs.writeFileSync(file, JSON.stringify(profile));
  return file;
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'signIn': {
      const [account] = await createAccounts(ctx, `bench-${request.role}`, 1, request.role);
      return signIn(account!);
    }
    case 'createUsers':
      return (await createAccounts(ctx, 'bench-login', request.count)).map(({ email, password }): Credentials => ({ email, password }));
    case 'authCounts':
      return authCounts();
    case 'mark':
      loop.reset();
      mark = { cpu: process.cpuUsage(), at: performance.now() };
      return null;
    case 'usage':
      return usage();
    case 'profileStart':
      return profileStart();
    case 'profileStop':
      return profileStop(request.file);
    case 'operationsFixture':
      return operationsFixture(ctx, request);
    case 'deconflict':
      return deconflictTimes(ctx, request.plans);
    case 'contactCount':
      return Number((await ctx.db.selectFrom('contact').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    case 'tipProofs': {
      // Solved proofs of work, made outside the measured load: the solution is chosen, not searched for
      // (checking a proof costs the same whatever its difficulty).
      const proofs: string[] = [];
      for (let i = 0; i < request.count; i++) proofs.push(encodeProof(await createTipChallenge(ctx, { maxnumber: 1000, number: i % 1000 }), i % 1000));
      return proofs;
    }
    case 'tipBatches':
      // How many group commits of each size the server has written so far (contactBatches likewise).
      return tipBatchSizes(ctx);
    case 'contactBatches':
      return contactBatchSizes(ctx);
    case 'tipCount':
      // Queued submissions are filed first, so the count is of tips only.
      await drainTipQueue(ctx);
      return Number((await ctx.db.selectFrom('tip').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }
}

process.on('message', (request: Request) => {
  handle(request).then(
    (result) => send({ id: request.id, ok: true, result }),
    (err: Error) => send({ id: request.id, ok: false, error: err.stack ?? err.message }),
  );
});

send({ type: 'ready', url, bareUrl, dialect: ctx.dialect });
