import type { Kysely } from 'kysely';

/** Disclosure: press releases with their approvals and corrections; public statistics and their ledger. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('press_release')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('title_es', 'text', (c) => c.notNull())
    .addColumn('body_es', 'text', (c) => c.notNull())
    .addColumn('quote_en', 'text')
    .addColumn('quote_es', 'text')
    .addColumn('quote_by', 'text')
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('press_release_operation').on('press_release').column('operation_id').execute();
  await db.schema.createIndex('press_release_published').on('press_release').columns(['status', 'published_at']).execute();

  await db.schema
    .createTable('press_release_approval')
    .addColumn('release_id', 'text', (c) => c.notNull().references('press_release.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('press_release_approval_pk', ['release_id', 'kind'])
    .execute();

  await db.schema
    .createTable('press_release_correction')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('release_id', 'text', (c) => c.notNull().references('press_release.id'))
    .addColumn('note_en', 'text', (c) => c.notNull())
    .addColumn('note_es', 'text', (c) => c.notNull())
    .addColumn('previous', 'text', (c) => c.notNull())
    .addColumn('corrected_by', 'text', (c) => c.notNull())
    .addColumn('corrected_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('press_release_correction_release').on('press_release_correction').columns(['release_id', 'corrected_at']).execute();

  // Public statistics. Atoms are the finest counts (family × category × county × quarter), kept current
  // in the same transaction as the records they count.
  await db.schema
    .createTable('stat_atom')
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('county_fips', 'text', (c) => c.notNull())
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_atom_pk', ['family', 'category', 'county_fips', 'quarter'])
    .execute();
  await db.schema.createIndex('stat_atom_quarter').on('stat_atom').columns(['quarter', 'family']).execute();

  /** A quarter published once is frozen: later changes count in the open quarter. */
  await db.schema
    .createTable('stat_frozen_quarter')
    .addColumn('quarter', 'text', (c) => c.primaryKey())
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .addColumn('release_id', 'text', (c) => c.notNull())
    .execute();

  /** What has been counted for each closed operation, so a correction counts only its difference. */
  await db.schema
    .createTable('stat_counted')
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_counted_pk', ['operation_id', 'family', 'category'])
    .execute();

  await db.schema
    .createTable('stat_release')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('quarters', 'text', (c) => c.notNull())
    .addColumn('cells', 'integer', (c) => c.notNull())
    .addColumn('suppressed', 'integer', (c) => c.notNull())
    // The quarters this release published first (frozen by it), its count of complementary suppressions,
    // and the county list (FIPS, in table order) that a cell's "all counties" atoms expand to.
    .addColumn('new_quarters', 'text', (c) => c.notNull())
    .addColumn('complementary', 'integer', (c) => c.notNull())
    .addColumn('counties', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('stat_release_cell')
    .addColumn('release_id', 'text', (c) => c.notNull().references('stat_release.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    /** The cell's place in the release, as the layout ordered it. */
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('atoms', 'text', (c) => c.notNull())
    .addColumn('value', 'integer')
    .addColumn('suppressed', 'integer', (c) => c.notNull())
    /** primary (value under k) or complementary; null when published. Not in the public API. */
    .addColumn('reason', 'text')
    /** 1 when no earlier release showed this key: the ledger index reads only these rows. */
    .addColumn('first_release', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_release_cell_pk', ['release_id', 'key'])
    .execute();
  await db.schema.createIndex('stat_release_cell_first').on('stat_release_cell').columns(['first_release', 'release_id']).execute();
}
