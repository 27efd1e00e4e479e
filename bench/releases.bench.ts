import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { createContext } from '../server/context.ts';
import { deriveAuditKeys } from '../server/audit/audit-keys.ts';
import { loadActor } from '../server/auth/actor.ts';
import type { TestEnv } from '../server/test/harness.ts';
import { insertAgency, insertUser } from '../server/test/fixtures.ts';
import { addService, createClient, createRelease, readShared, shareUnderRelease } from '../server/modules/clients/clients.service.ts';
import { benchKeyring, BENCH_KEY_ENV } from './lib/generate.ts';
import { fmt, type Bench, type BenchOptions, type BenchOutcome } from './lib/report.ts';
import type { Backend } from './lib/target.ts';
import { scratchDatabase } from './lib/scratch.ts';

/** Issue #12, "Measured": reading a shared extract through a release, p99 under 20 ms at 200 reads/s. */
export const RELEASE_READ_RATE = 200;
export const RELEASE_READ_P99_TARGET_MS = 20;
const SLICE_SEC = 1;
const meta = { ip: null, userAgent: 'bench', requestId: 'bench' };

/**
 * Open loop in this process: a call every 1/rate s whatever happens, each timed from when it was due, so
 * a call that waits behind another (or behind a busy event loop) counts its wait.
 */
async function openLoop(rate: number, seconds: number, work: () => Promise<unknown>, into: number[]) {
  const interval = 1000 / rate;
  const n = Math.round(rate * seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    // A timer may fire a fraction of a millisecond early: time such a call from when it started.
    const from = Math.min(due, performance.now());
    pending.push(work().then(() => void into.push(performance.now() - from)));
  }
  await Promise.all(pending);
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function run(backend: Backend, opts: BenchOptions): Promise<BenchOutcome> {
  const scratch = await scratchDatabase(backend, 'releases');
  const config = loadConfig({ ...BENCH_KEY_ENV, LANTERN_DATA_DIR: scratch.dataDir, LANTERN_LOG_LEVEL: 'silent', ...(scratch.databaseUrl ? { DATABASE_URL: scratch.databaseUrl } : {}) });
  const ctx = await createContext(config, { keyring: benchKeyring(), auditKeys: deriveAuditKeys(randomBytes(32), 'bench'), log: pino({ level: 'silent' }) });
  try {
    await ctx.audit.start();
    // An advocate's client with a release to a prosecutor's office, scoped to service status, shared once.
    const env = { ctx, clock: ctx.clock } as unknown as TestEnv;
    const advocates = await insertAgency(env, 'Harbor Advocates', 'victim_services');
    const prosecutor = await insertAgency(env, "Attorney General's Office", 'prosecutor');
    const advocate = await loadActor(ctx.db, (await insertUser(env, advocates, ['advocate'])).id, 'bench');
    const reader = await loadActor(ctx.db, (await insertUser(env, prosecutor, ['analyst'])).id, 'bench');
    const client = await createClient(ctx, advocate, { intake: 'walk_in', name: 'Bench Client', phone: '(816) 555-0142' }, meta);
    const today = ctx.clock.now().toISOString().slice(0, 10);
    for (const category of ['case_management', 'emergency_shelter', 'mental_health'] as const) await addService(ctx, advocate, client.id, { category, providedOn: today }, meta);
    const release = await createRelease(
      ctx,
      advocate,
      client.id,
      { recipientAgencyId: prosecutor, scopes: ['service_status'], purpose: 'Victim-witness coordination', informed: true, consentMethod: 'signed_on_screen', signature: 'Bench' },
      meta,
    );
    const shareId = (await shareUnderRelease(ctx, advocate, release.id, {}, meta)).shares[0]!.id;

    // The subject: the service's read (the release checked in its statement, the extract unsealed, the audit row committed with it).
    const throughRelease = () => readShared(ctx, reader, release.id, meta);
    // The baseline: the same client_share row by its primary key, nothing else.
    const bare = () => ctx.db.selectFrom('client_share').selectAll().where('id', '=', shareId).executeTakeFirstOrThrow();
    const check = await throughRelease();
    if (check.serviceStatus?.services.length !== 3) throw new Error('the shared extract is not what was shared');

    const auditBefore = Number((await ctx.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'release.readShared').executeTakeFirstOrThrow()).n);
    // Warm-up, then alternating one-second slices so a busy moment of the machine weighs on both alike.
    if (opts.warmupSec > 0) {
      await openLoop(RELEASE_READ_RATE, opts.warmupSec / 2, bare, []);
      await openLoop(RELEASE_READ_RATE, opts.warmupSec / 2, throughRelease, []);
    }
    const subject: number[] = [];
    const baseline: number[] = [];
    const t0 = performance.now();
    const slices = Math.max(1, Math.round(opts.durationSec / SLICE_SEC));
    for (let s = 0; s < slices; s++) {
      await openLoop(RELEASE_READ_RATE, SLICE_SEC, bare, baseline);
      await openLoop(RELEASE_READ_RATE, SLICE_SEC, throughRelease, subject);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const auditRows = Number((await ctx.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'release.readShared').executeTakeFirstOrThrow()).n) - auditBefore;
    const warmupReads = opts.warmupSec > 0 ? Math.round((RELEASE_READ_RATE * opts.warmupSec) / 2) : 0;

    const row = (label: string, xs: number[]) => [label, fmt.int(xs.length), fmt.ms(pct(xs, 50)), fmt.ms(pct(xs, 95)), fmt.ms(pct(xs, 99)), fmt.ms(Math.max(...xs))];
    const p99 = pct(subject, 99);
    const pass = p99 < RELEASE_READ_P99_TARGET_MS;
    return {
      backend,
      table: {
        headers: [`open loop at ${RELEASE_READ_RATE}/s, alternating ${SLICE_SEC} s slices`, 'reads', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        rows: [row('bare read of the client_share row by id (baseline)', baseline), row('readShared: release check, read, unseal, audit row', subject)],
      },
      verdict: [
        `p99 through a release ${fmt.ms(p99)} ms at ${RELEASE_READ_RATE}/s (target < ${RELEASE_READ_P99_TARGET_MS} ms): ${pass ? 'PASS' : 'MISS'}; bare read p99 ${fmt.ms(pct(baseline, 99))} ms, ratio ${fmt.ratio(p99 / pct(baseline, 99))}`,
        `audit rows written by the measured reads: ${fmt.int(auditRows - warmupReads)} of ${fmt.int(subject.length)}; ${fmt.int(subject.length + baseline.length)} reads in ${elapsed.toFixed(1)} s`,
      ],
      data: {
        rate: RELEASE_READ_RATE,
        targetP99Ms: RELEASE_READ_P99_TARGET_MS,
        pass,
        subjectMs: { n: subject.length, p50: pct(subject, 50), p95: pct(subject, 95), p99 },
        bareMs: { n: baseline.length, p50: pct(baseline, 50), p95: pct(baseline, 95), p99: pct(baseline, 99) },
        auditRows: auditRows - warmupReads,
      },
    };
  } finally {
    await ctx.database.close();
    await scratch.remove();
  }
}

export const releasesBench: Bench = {
  name: 'releases',
  summary: 'reading a shared extract through a release (consent check, read, audit row) at 200/s, p99 against a bare read of the same row',
  run,
};
