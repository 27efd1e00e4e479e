import type { Kysely } from 'kysely';

/**
 * Periodic jobs run once across processes (issue #13, item 2): before each run a process takes the job's
 * lease with a conditional write (free, expired, or already its own). Of several processes on one
 * database only the holder runs the job; a holder that dies loses the lease when it expires.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_lease')
    /** The job's name, e.g. `custody-deadlines`. */
    .addColumn('name', 'text', (c) => c.primaryKey())
    /** The process holding it: host, pid and a random part (pids are reused). */
    .addColumn('holder', 'text', (c) => c.notNull())
    /** ISO time after which any process may take the lease. */
    .addColumn('expires_at', 'text', (c) => c.notNull())
    /** Moved on by every take, so a run can tell it was the one that took it. */
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}
