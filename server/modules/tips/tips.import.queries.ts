import type { Actor } from '../../auth/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { TipImportJobTable } from '../../db/schema/index.ts';
import { tipImportAccess } from './tips.access.ts';

/** Storage of the hotline import jobs (issue #10, item 4; migration 0015). */

export async function insertJob(db: Queryable, row: TipImportJobTable) {
  await db.insertInto('tip_import_job').values(row).execute();
}

/** A job the actor may follow (the `tip.import` grant's filter); absent: not visible. */
export function findVisible(db: Queryable, actor: Actor, id: string) {
  return db
    .selectFrom('tip_import_job as j')
    .selectAll('j')
    .where(tipImportAccess.grants['tip.import'].where(actor))
    .where('j.id', '=', id)
    .executeTakeFirst();
}

/** Progress (or, with nothing new, only `updated_at`: a heartbeat) of a job still running. */
export async function updateRunning(
  db: Queryable,
  id: string,
  set: Partial<Pick<TipImportJobTable, 'processed' | 'imported' | 'duplicates' | 'rejected'>> & { updated_at: string },
) {
  await db.updateTable('tip_import_job').set(set).where('id', '=', id).where('status', '=', 'running').execute();
}

/**
 * A job's outcome. Written whatever the row's status: a job taken for dead (its heartbeat held up past
 * the cutoff) that finishes after all still reports what it did.
 */
export async function finish(
  db: Queryable,
  id: string,
  set: Pick<TipImportJobTable, 'status' | 'processed' | 'imported' | 'duplicates' | 'rejected' | 'rejected_rows' | 'error' | 'updated_at' | 'finished_at'>,
) {
  await db.updateTable('tip_import_job').set(set).where('id', '=', id).execute();
}

/** Fails the running jobs whose process stopped reporting before `cutoff` (ISO); returns how many. */
export async function failStale(db: Queryable, cutoff: string, at: string, message: string): Promise<number> {
  const res = await db
    .updateTable('tip_import_job')
    .set({ status: 'failed', finished_at: at, error: message })
    .where('status', '=', 'running')
    .where('updated_at', '<', cutoff)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
