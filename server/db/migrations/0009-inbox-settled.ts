import type { Kysely } from 'kysely';

/**
 * Notices settle when the work they ask for is done (issue #9, item 7): a conflict notice once the
 * conflict is resolved or waived, an approval request once approved. `settled_at` marks the notice done
 * for everyone it was addressed to (reads stay per person); a notice filed again (a dedupe key refreshed)
 * is unsettled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbox_item').addColumn('settled_at', 'text').execute();
}
