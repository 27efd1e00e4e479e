import { sql, type Kysely } from 'kysely';

/**
 * Deconfliction's time window over the operations still planned or running. The window index
 * `operation_window (starts_at, ends_at)` bounds only `starts_at`, so a plan in the future walked the
 * entries of every earlier operation, closed ones included, and the walk grew with the years of
 * history (bench/README.md, `operations`). Live operations are a few hundred at most.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('operation_live_window')
    .on('operation')
    .columns(['ends_at', 'starts_at'])
    .where(sql<boolean>`status in ('draft', 'approved', 'active')`)
    .execute();
}
