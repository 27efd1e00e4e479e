import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUrl } from '../../server/db/database.ts';
import pg from 'pg';
import { createPgDatabase, dropPgDatabase, PG_ADMIN_URL } from '../../server/test/databases.ts';
import type { Request, Response, ServerReady } from './protocol.ts';

export type Backend = 'sqlite' | 'postgres';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_PROCESS = path.join(REPO, 'bench/lib/server-process.ts');
const START_TIMEOUT_MS = 120_000;

type Op = Request extends infer R ? (R extends { op: infer O } ? O : never) : never;
type Args<O extends Op> = Omit<Extract<Request, { op: O }>, 'id' | 'op'>;

/** A running Lantern server on a scratch database of its own, and the way to talk to it. */
export interface Target {
  backend: Backend;
  url: string;
  bareUrl: string;
  call<T>(op: Op, args?: Args<Op>): Promise<T>;
  /** With `--profile`, profiles the server while `work` runs and writes <dir>/<name>-<backend>-<time>.cpuprofile. */
  profiled<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Stops the server, drops its database and removes its data directory. */
  stop(): Promise<void>;
}

/** The shutdown of every target started and not yet stopped, ready or not. */
const shutdowns = new Set<() => Promise<void>>();

/** Stops every target still running (Ctrl-C, or a bench that threw). */
export async function stopAll() {
  await Promise.allSettled([...shutdowns].map((stop) => stop()));
}

/**
 * Starts the real server in a child process: SQLite in a fresh data directory under .tmp/ (on the same
 * disk as the work tree, so commits pay a real fsync), or a fresh PostgreSQL database that is dropped
 * afterwards. Rate limiting off, logs silent. With `profileDir`, `profiled` writes CPU profiles there.
 */
export async function startTarget(
  backend: Backend,
  opts: {
    profileDir?: string;
    /** Runs before the server starts, e.g. to copy a kept SQLite database into the fresh data directory. */
    prepare?: (dataDir: string) => Promise<void> | void;
    /** PostgreSQL: create the scratch database as a copy of this one (a kept, generated data set). */
    pgTemplate?: string;
  } = {},
): Promise<Target> {
  fs.mkdirSync(path.join(REPO, '.tmp'), { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(REPO, '.tmp', 'bench-'));
  const pgName = backend === 'postgres' ? `lantern_bench_${randomBytes(6).toString('hex')}` : null;
  let child: ChildProcess | null = null;
  let exited: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (pgName) await dropPgDatabase(pgName).catch((err: Error) => console.error(`could not drop database ${pgName}: ${err.message}`));
      fs.rmSync(dataDir, { recursive: true, force: true });
      shutdowns.delete(stop);
    })();
    return stopping;
  };
  shutdowns.add(stop);

  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let ready: ServerReady;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, LANTERN_DATA_DIR: dataDir, LANTERN_LOG_LEVEL: 'silent', LANTERN_RATE_LIMIT: 'off' };
    delete env.DATABASE_URL;
    await opts.prepare?.(dataDir);
    if (pgName && opts.pgTemplate) {
      env.DATABASE_URL = await createPgDatabaseFrom(pgName, opts.pgTemplate);
    } else if (pgName) {
      env.DATABASE_URL = await createPgDatabase(pgName).catch((err: Error) => {
        throw new Error(`PostgreSQL is not reachable at ${redactUrl(PG_ADMIN_URL)} (scripts/ensure-postgres.sh starts a local one): ${err.message}`);
      });
    }
    // --expose-gc lets a bench collect garbage between timings of its own (bench/lib/operations-fixture.ts); nothing else calls gc().
    const proc = fork(SERVER_PROCESS, [], { cwd: REPO, env, execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = proc;
    const exitCode = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    exited = exitCode;
    ready = await new Promise<ServerReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${backend} server did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      proc.on('message', (message: ServerReady | Response) => {
        if ('type' in message) {
          clearTimeout(timer);
          resolve(message);
          return;
        }
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(new Error(`server: ${message.error}`));
      });
      void exitCode.then((code) => {
        clearTimeout(timer);
        const gone = new Error(`the ${backend} server exited with code ${code}`);
        reject(gone);
        for (const w of pending.values()) w.reject(gone);
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const proc = child!;
  let nextId = 1;
  const target: Target = {
    backend,
    url: ready.url,
    bareUrl: ready.bareUrl,
    call<T>(op: Op, args: Args<Op> = {} as Args<Op>) {
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, op, ...args });
      });
    },
    async profiled<T>(name: string, work: () => Promise<T>) {
      if (!opts.profileDir) return work();
      fs.mkdirSync(opts.profileDir, { recursive: true });
      await target.call('profileStart');
      try {
        return await work();
      } finally {
        const file = path.join(opts.profileDir, `${name}-${backend}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
        await target.call('profileStop', { file });
        console.log(`CPU profile of the ${backend} server: ${path.relative(REPO, file)}`);
      }
    },
    stop,
  };
  return target;
}

/** A scratch database copied from `template` (PostgreSQL's CREATE DATABASE … TEMPLATE: a file copy, seconds for gigabytes). */
export async function createPgDatabaseFrom(name: string, template: string): Promise<string> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(`create database "${name}" template "${template}"`);
  } finally {
    await client.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
