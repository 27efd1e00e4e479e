import type { Kysely } from 'kysely';

/**
 * The index of a record's own identifier rows was `(record_type, record_id)`. Its first column alone
 * also matches "every tip's rows", and PostgreSQL's planner, which estimated one row either way on a
 * young table, chose it for triage's "tips sharing this hash" (`blind = ? and record_type = 'tip'`) over
 * the index on the hash, filtering every tip's rows for each new tip (auto_explain, 2026-12-05: a
 * prepared plan kept while the table grew). With the record first, the index serves only what it is
 * for (a record's rows), and a search by hash can only go through `record_identifier_link`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('record_identifier_record').execute();
  await db.schema.createIndex('record_identifier_record').on('record_identifier').columns(['record_id', 'record_type']).execute();
}
