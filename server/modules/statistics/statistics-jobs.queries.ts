import type { Queryable } from '../../db/database.ts';
import type { StatReleaseJobTable } from '../../db/schema/index.ts';

/** Storage of the statistics release jobs (issue #8): one row per preview or publication started. */

const columns = [
  'j.id',
  'j.kind',
  'j.status',
  'j.phase',
  'j.done',
  'j.total',
  'j.started_by',
  'j.started_at',
  'j.updated_at',
  'j.finished_at',
  'j.result',
  'j.error_code',
  'j.error_message',
  'u.display_name as starter',
] as const;

export async function insertJob(db: Queryable, row: StatReleaseJobTable) {
  await db.insertInto('stat_release_job').values(row).execute();
}

export function findById(db: Queryable, id: string) {
  return db.selectFrom('stat_release_job as j').leftJoin('app_user as u', 'u.id', 'j.started_by').select(columns).where('j.id', '=', id).executeTakeFirst();
}

export type JobWithStarter = NonNullable<Awaited<ReturnType<typeof findById>>>;

/** Running jobs (active), or the newest `limit` jobs, newest first. */
export function list(db: Queryable, opts: { running: boolean; limit: number }) {
  let q = db.selectFrom('stat_release_job as j').leftJoin('app_user as u', 'u.id', 'j.started_by').select(columns);
  if (opts.running) q = q.where('j.status', '=', 'running');
  return q.orderBy('j.started_at', 'desc').orderBy('j.id', 'desc').limit(opts.limit).execute();
}

/** Fails the running jobs whose process stopped reporting before `cutoff` (ISO); returns how many. */
export async function failStale(db: Queryable, cutoff: string, at: string, message: string): Promise<number> {
  const res = await db
    .updateTable('stat_release_job')
    .set({ status: 'failed', finished_at: at, error_code: 'interrupted', error_message: message })
    .where('status', '=', 'running')
    .where('updated_at', '<', cutoff)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Progress (or, with no progress, only `updated_at`: a heartbeat) of a job still running. */
export async function updateRunning(db: Queryable, id: string, set: Partial<Pick<StatReleaseJobTable, 'phase' | 'done' | 'total'>> & { updated_at: string }) {
  await db.updateTable('stat_release_job').set(set).where('id', '=', id).where('status', '=', 'running').execute();
}

/**
 * A job's outcome. Written whatever the row's status: a job taken for dead (its heartbeat held up past
 * the cutoff) that finishes after all still says what happened.
 */
export async function finish(
  db: Queryable,
  id: string,
  set: Pick<StatReleaseJobTable, 'status' | 'phase' | 'done' | 'total' | 'updated_at' | 'finished_at' | 'result' | 'error_code' | 'error_message'>,
) {
  await db.updateTable('stat_release_job').set(set).where('id', '=', id).execute();
}
