/**
 * What the browser tests run against, shared by the Playwright config, its global set-up and the
 * tests. The config runs first in the runner process and settles everything here into environment
 * variables, which the global set-up and every worker (forked from the runner) then read back.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

/** CI as the unit tests read it: any value but empty, "0" or "false". */
export const isCI = Boolean(process.env.CI) && process.env.CI !== '0' && process.env.CI !== 'false';

export const PG_ADMIN_URL = process.env.LANTERN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const BASE_PORT = Number(process.env.LANTERN_E2E_PORT ?? 3301);

/** 3301 for SQLite, 3302 for PostgreSQL (LANTERN_E2E_PORT moves both). */
/**
 * The Chromium the tests drive: Debian's headless shell, the same build as its full browser without the
 * desktop around it, at a third of the CPU a page (scripts/ensure-chromium.sh installs both and gives
 * the measurements). LANTERN_E2E_CHROMIUM=/usr/bin/chromium runs the full browser instead.
 */
export const CHROMIUM = process.env.LANTERN_E2E_CHROMIUM ?? '/usr/bin/chromium-headless-shell';

export function portOf(backend: Backend): number {
  return BASE_PORT + BACKENDS.indexOf(backend);
}

export function baseUrlOf(backend: Backend): string {
  return `http://127.0.0.1:${portOf(backend)}`;
}

const BACKENDS_VAR = 'LANTERN_E2E_BACKENDS';
const dirVar = (backend: Backend) => `LANTERN_E2E_DIR_${backend.toUpperCase()}`;

/**
 * SQLite always; PostgreSQL when a server answers at LANTERN_TEST_PG_URL. Under CI a missing server
 * is an error; elsewhere the run says loudly that it covers SQLite only. `--project` on the command
 * line narrows the choice (and spares starting a server no test will use). Decided once, in the
 * runner; the workers read the answer from the environment.
 */
export function selectBackends(): Backend[] {
  const known = process.env[BACKENDS_VAR];
  if (known !== undefined) return known.split(',').filter((b): b is Backend => (BACKENDS as string[]).includes(b));
  const requested = requestedProjects(process.argv);
  // Patterns or unknown names: keep every project and let Playwright match them.
  const narrowed = requested.length > 0 && requested.every((p) => (BACKENDS as string[]).includes(p));
  const wanted = BACKENDS.filter((b) => !narrowed || requested.includes(b));
  let chosen = wanted;
  if (wanted.includes('postgres') && !postgresReachable()) {
    if (isCI) {
      throw new Error(`Browser tests: CI requires PostgreSQL, but ${PG_ADMIN_URL} is not reachable (start it with scripts/ensure-postgres.sh).`);
    }
    const line = '!'.repeat(100);
    console.warn(
      `${line}\n!! PostgreSQL is not reachable at ${PG_ADMIN_URL}: the browser tests run on SQLite ONLY; the "postgres" project is SKIPPED.\n` +
        `!! Start it (scripts/ensure-postgres.sh does) or set LANTERN_TEST_PG_URL.\n${line}`,
    );
    chosen = wanted.filter((b) => b !== 'postgres');
  }
  process.env[BACKENDS_VAR] = chosen.join(',');
  return chosen;
}

/** The values of `--project x` / `--project=x` on the Playwright command line. */
function requestedProjects(argv: string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project' && argv[i + 1]) out.push(argv[i + 1]!);
    else if (arg.startsWith('--project=')) out.push(arg.slice('--project='.length));
  });
  return out;
}

/** Synchronous (the config cannot wait): a child node process tries to connect within 10 s (a loaded machine is slow to answer). */
function postgresReachable(): boolean {
  const probe =
    "const c=new (require('pg').Client)({connectionString:process.argv[1],connectionTimeoutMillis:10000});" +
    "c.connect().then(()=>c.query('select 1')).then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))";
  const result = spawnSync(process.execPath, ['-e', probe, PG_ADMIN_URL], { cwd: repoRoot(), stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

export function repoRoot(): string {
  return path.resolve(import.meta.dirname, '../..');
}

/** Set by the global set-up: the data directory (demo-accounts.json, key file, SQLite file) of a back end. */
export function setDataDir(backend: Backend, dir: string): void {
  process.env[dirVar(backend)] = dir;
}

export function dataDirOf(backend: Backend): string {
  const dir = process.env[dirVar(backend)];
  if (!dir || !fs.existsSync(dir)) throw new Error(`No data directory for the ${backend} back end: did the global set-up run?`);
  return dir;
}
