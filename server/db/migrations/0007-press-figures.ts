import type { Kysely } from 'kysely';

/**
 * Press releases in the ledger (issue #8, item 3). The statistics' auditor treats every figure a press
 * release has published as known to a reader, so publishing a release (or a correction) records, in the
 * same transaction, where its operation is counted and every figure its text gives.
 *
 * - `press_release_publication`: one row per published version of a release (the first publication and
 *   each correction): its operation, the county FIPS its counts go to and the quarter they were (or will
 *   be) added to. A version with no figures still has its row: it tells a reader the operation ran there.
 * - `press_release_figure`: the figures of that version, identical ones once (both languages, every field).
 * - `stat_counted` learns the county and quarter an operation's counts were first added to, so a release
 *   published after the counting names that quarter even when it was not the operation's own (a count
 *   that arrived after its quarter was published goes to the open quarter). Rows counted before this
 *   migration keep nulls; the press-release service reconstructs their quarter from when the operation
 *   closed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('press_release_publication')
    .addColumn('release_id', 'text', (c) => c.notNull().references('press_release.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('county_fips', 'text', (c) => c.notNull())
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('press_release_publication_pk', ['release_id', 'version'])
    .execute();
  await db.schema.createIndex('press_release_publication_operation').on('press_release_publication').column('operation_id').execute();

  await db.schema
    .createTable('press_release_figure')
    .addColumn('release_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('disposition', 'text')
    .addColumn('exact', 'integer', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('press_release_figure_pk', ['release_id', 'version', 'position'])
    .addForeignKeyConstraint('press_release_figure_publication', ['release_id', 'version'], 'press_release_publication', ['release_id', 'version'])
    .execute();

  await db.schema.alterTable('stat_counted').addColumn('county_fips', 'text').execute();
  await db.schema.alterTable('stat_counted').addColumn('quarter', 'text').execute();
}
