import type { Kysely } from 'kysely';

/**
 * The index of the identifier rows under a parent record was `(record_type, parent_id)`. Like the record
 * index before 0022, its first column alone matches "every tip's rows", and PostgreSQL's planner chose it
 * for triage's "the queue's tips with this hash" (`blind = … and record_type = 'tip' and agency_id = …`)
 * in a generic plan made while the table was young, then kept it as the table grew: each batch of tips
 * filtered every tip's rows, 100–300 ms at 20,000 rows (auto_explain, 2026-12-06). With the parent first,
 * the index serves what it is for (the rows under an operation), and a search by hash can only go through
 * `record_identifier_link`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('record_identifier_parent').execute();
  await db.schema.createIndex('record_identifier_parent').on('record_identifier').columns(['parent_id', 'record_type']).execute();
}
