import type { Kysely } from 'kysely';

/**
 * Imports of the national hotline's forwarded tips (issue #10, item 4). A job runs in the process that
 * accepted the file, after the response, and writes its progress here for the page to poll. The file
 * itself is never stored: its rows live in that process's memory while the job runs (the tips it files
 * are stored, sealed, by intake). A job whose process dies is answered as failed once its heartbeat
 * stops, and the file is imported again: the rows already imported come back as duplicates, so nothing
 * is imported twice. Only the rejected rows are kept, sealed, so that staff can download, fix and
 * re-import them; their reasons name the field and the rule broken, never the value.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tip_import_job')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The agency that imported the file; its queue staff follow the job. */
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    /** running, done or failed. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON of [{row, field, reason}]: why each rejected row was not imported. */
    .addColumn('rejected', 'text', (c) => c.notNull().defaultTo('[]'))
    /** Sealed JSON of the rejected rows' cells and the file's header, for the rejected-rows CSV. */
    .addColumn('rejected_rows', 'text')
    /** JSON of the mapping used (column name → tip field). */
    .addColumn('mapping', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    /** Moved on by every progress write and by a heartbeat: a running job left behind is one whose process died. */
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('tip_import_job_agency').on('tip_import_job').columns(['agency_id', 'created_at']).execute();
  await db.schema.createIndex('tip_import_job_status').on('tip_import_job').columns(['status', 'updated_at']).execute();
}
