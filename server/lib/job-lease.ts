import os from 'node:os';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import type { Clock } from './clock.ts';
import { newToken } from './ids.ts';

/**
 * Periodic jobs run once across processes (issue #13, item 2; DESIGN.md §8). Every Lantern process keeps
 * the same timers, and before each run asks for the job's lease in `job_lease`: of N processes on one
 * database exactly one holds it for a period and runs the job; the others skip that tick. A holder that
 * dies keeps the lease only until it expires, and the next process whose timer fires takes it over.
 */

/** This process: host and pid name it for an operator; the random part keeps a reused pid apart. */
export const PROCESS_HOLDER = `${os.hostname()}:${process.pid}:${newToken(6)}`.slice(0, 200);

/**
 * Takes (or renews) the lease of `name` for `ttlMs` if it is free, expired, or already `holder`'s.
 * One conditional upsert: PostgreSQL locks the conflicting row, so of several processes racing for an
 * expired lease exactly one updates it; SQLite has a single writer. True when `holder` holds it now.
 */
export async function takeLease(db: Kysely<DB>, name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const result = await db
    .insertInto('job_lease')
    .values({ name, holder, expires_at: expiresAt, version: 1 })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet((eb) => ({ holder, expires_at: expiresAt, version: eb('job_lease.version', '+', 1) }))
        .where((eb) => eb.or([eb('job_lease.expires_at', '<=', at), eb('job_lease.holder', '=', holder)])),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Gives the lease up at once, so another process takes the job without waiting for the expiry. */
export async function releaseLease(db: Kysely<DB>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('job_lease').where('name', '=', name).where('holder', '=', holder).execute();
}

/** Gives up every lease `holder` holds (a process shutting down). */
export async function releaseLeases(db: Kysely<DB>, holder = PROCESS_HOLDER): Promise<void> {
  await db.deleteFrom('job_lease').where('holder', '=', holder).execute();
}

export interface LeasedJob {
  /** The lease's name, the same in every process. */
  name: string;
  /** How often each process's timer fires; the lease lasts one period. */
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * Runs `job.run` if this process takes the job's lease. The lease lasts one period: the holder's next
 * tick renews it (timers fire late, never early), and another process takes it only once a whole period
 * has passed without a run, so runs by different processes are at least a period apart. Returns whether
 * this process ran the job.
 */
export async function runLeased(ctx: { db: Kysely<DB>; clock: Clock }, job: LeasedJob, holder = PROCESS_HOLDER): Promise<boolean> {
  if (!(await takeLease(ctx.db, job.name, holder, ctx.clock.now(), job.everyMs))) return false;
  await job.run();
  return true;
}
