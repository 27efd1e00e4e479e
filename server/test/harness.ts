import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { describe, inject } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createContext, type AppContext } from '../context.ts';
import { sqliteFile } from '../db/database.ts';
import { TestClock } from '../lib/clock.ts';
import type { Keyring } from '../lib/crypto.ts';
import { deriveAuditKeys, type AuditKeys } from '../audit/audit-keys.ts';
import { createPgDatabase, dropPgDatabase } from './databases.ts';

export type Backend = 'sqlite' | 'postgres';
export type TestApp = Awaited<ReturnType<typeof buildApp>>;

export interface TestEnv {
  backend: Backend;
  ctx: AppContext;
  app: TestApp;
  clock: TestClock;
  dataDir: string;
  close(): Promise<void>;
}

export function testKeyring(): Keyring {
  return { activeKeyId: 'test1', keys: new Map([['test1', randomBytes(32)]]), source: 'test', indexKey: randomBytes(32) };
}

/**
 * The audit key of this test file's servers: one for all, so a database restored into another test
 * server (with the same keyring) still verifies. Anchors go to each server's own data directory.
 */
export const testAuditKeys: AuditKeys = deriveAuditKeys(randomBytes(32), 'test');

/**
 * Runs `suite` once per back end. PostgreSQL suites are skipped only when no server is reachable,
 * which the global setup announces loudly (and refuses under CI).
 */
export function describeEachDatabase(title: string, suite: (backend: Backend) => void) {
  for (const backend of ['sqlite', 'postgres'] as const) {
    const unavailable = backend === 'postgres' && !inject('pgAvailable');
    describe.skipIf(unavailable)(`${title} [${backend}]`, () => suite(backend));
  }
}

/**
 * The run's migrated templates (server/test/global-setup.ts), or none outside vitest (the benches use this
 * harness too) and then each server migrates its own database.
 */
function migratedTemplate(kind: 'sqliteTemplate' | 'pgTemplate'): string | undefined {
  try {
    return inject(kind) || undefined;
  } catch {
    return undefined;
  }
}

/** A real server on a real, freshly migrated database of its own (a copy of the run's migrated template). */
export async function startTestEnv(
  backend: Backend,
  opts: { env?: Record<string, string>; keyring?: Keyring; auditKeys?: AuditKeys; clock?: TestClock; startAudit?: boolean; webDist?: string | null } = {},
): Promise<TestEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-test-'));
  let pgName: string | null = null;
  let databaseUrl: string | undefined;
  if (backend === 'postgres') {
    pgName = `lantern_t_${randomBytes(6).toString('hex')}`;
    databaseUrl = await createPgDatabase(pgName, migratedTemplate('pgTemplate'));
  } else {
    const template = migratedTemplate('sqliteTemplate');
    if (template) fs.copyFileSync(template, sqliteFile(dataDir));
  }
  const config = loadConfig({
    LANTERN_DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    LANTERN_LOG_LEVEL: 'silent',
    LANTERN_RATE_LIMIT: 'off',
    LANTERN_DB_POOL: '4',
    LANTERN_CHECK_RESPONSES: 'on',
    ...opts.env,
  });
  const clock = opts.clock ?? new TestClock();
  const ctx = await createContext(config, { clock, keyring: opts.keyring ?? testKeyring(), auditKeys: opts.auditKeys ?? testAuditKeys, log: pino({ level: 'silent' }) });
  // `startAudit: false` leaves the database exactly as migrated (no audit chains yet), e.g. to restore into.
  if (opts.startAudit !== false) await ctx.audit.start();
  const app = await buildApp(ctx, { webDist: opts.webDist ?? null });
  await app.ready();
  return {
    backend,
    ctx,
    app,
    clock,
    dataDir,
    async close() {
      await app.close();
      await ctx.database.close();
      if (pgName) await dropPgDatabase(pgName);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A second Lantern "process" on the same database: its own connections and its own audit chains. */
export async function openSecondContext(env: TestEnv): Promise<AppContext> {
  const ctx = await createContext(env.ctx.config, { clock: env.clock, keyring: env.ctx.keyring, auditKeys: env.ctx.audit.keys, log: pino({ level: 'silent' }) });
  await ctx.audit.start();
  return ctx;
}

export type Json = Record<string, unknown>;

/** The parsed JSON body of a response (typed loosely: tests assert on it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const body = (res: LightMyRequestResponse): any => res.json();

/** Counts of every table's rows, to show that a refused request wrote nothing. */
export async function tableCounts(ctx: AppContext, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = await ctx.db
      .selectFrom(t as 'agency')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  return out;
}

/** How many audit rows there are, in all and of refused actions (`access.denied`). */
export async function auditCounts(ctx: AppContext): Promise<{ all: number; denied: number }> {
  const all = await ctx.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const denied = await ctx.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'access.denied')
    .where('outcome', '=', 'denied')
    .executeTakeFirstOrThrow();
  return { all: Number(all.n), denied: Number(denied.n) };
}
