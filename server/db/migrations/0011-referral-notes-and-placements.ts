import { sql, type Kysely } from 'kysely';

/**
 * People and records (issue #9, item 9).
 * - A referral names the referring officer (its sender) and carries the callback number they gave.
 * - The advocates' notes become a dated, append-only history: `referral_note`, one row per note (who,
 *   when, text), owned by the receiving agency. The old single field becomes each referral's first note:
 *   its row is dated when the referral was answered (or last changed) and authored by whoever answered
 *   it. Its text stays sealed where it was (`referral.advocate_notes`, under that column's key context,
 *   which a migration cannot re-seal: it holds no keys) and the note row says so with `legacy = 1`;
 *   every new note is sealed in `referral_note.body`.
 * - A custody hand-off carries the officer's phone for the caseworker, and the receipt the placement's name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('referral').addColumn('callback_phone', 'text').execute();
  await db.schema.alterTable('custody_handoff').addColumn('officer_phone', 'text').execute();
  await db.schema.alterTable('custody_handoff').addColumn('placement_name', 'text').execute();

  await db.schema
    .createTable('referral_note')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_id', 'text', (c) => c.notNull().references('referral.id'))
    /** The receiving (victim-services) agency: the notes are its own. */
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('author_user_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    /** Sealed text; null only on a legacy note, whose text is `referral.advocate_notes`. */
    .addColumn('body', 'text')
    .addColumn('legacy', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('referral_note_referral').on('referral_note').columns(['referral_id', 'created_at']).execute();

  // The first note of every referral that had notes: same id as the referral (one legacy note each).
  await sql`
    insert into referral_note (id, referral_id, agency_id, author_user_id, created_at, body, legacy)
    select id, id, to_agency_id, responded_by, coalesce(responded_at, updated_at), null, 1
    from referral
    where advocate_notes is not null
  `.execute(db);
}
