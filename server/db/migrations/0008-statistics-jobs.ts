import { sql, type Kysely } from 'kysely';

/**
 * Statistics release jobs (issue #8): a preview or a publication runs for minutes once the auditor
 * solves its linear programs, so it runs after the request that starts it and writes its progress to a
 * row the web app polls. One publication at a time: the unique partial index admits a single running
 * publication, whatever the requests race, on both back ends. Jobs are not domain records (the release
 * and its audit row are): no agency owns them and backups leave them out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stat_release_job')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** preview or publish. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** running, done or failed. */
    .addColumn('status', 'text', (c) => c.notNull())
    /** layout, linear or audit (release-plan.ts, `PlanProgress`); null until the plan reports. */
    .addColumn('phase', 'text')
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    /** Moved on by every progress write and by a heartbeat: a running job left behind is one whose process died. */
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    /** JSON: the preview, or the published release. */
    .addColumn('result', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .execute();
  await db.schema
    .createIndex('stat_release_job_one_publication')
    .on('stat_release_job')
    .column('kind')
    .unique()
    .where(sql<boolean>`status = 'running' and kind = 'publish'`)
    .execute();
  await db.schema.createIndex('stat_release_job_status').on('stat_release_job').columns(['status', 'started_at']).execute();
}
