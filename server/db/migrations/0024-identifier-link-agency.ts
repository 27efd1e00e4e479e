import type { Kysely } from 'kysely';

/**
 * The hash index `record_identifier_link` (blind, record_type, record_id, parent_id) gains the agency as
 * its last column. Triage counts a queue's own tips sharing a hash (`blind = … and record_type = 'tip'
 * and agency_id = …`): without the agency in the index, each tip it read cost a visit to the table,
 * most of them outside SQLite's page cache. The columns before it keep their order, so every lookup by
 * hash, record type and record still seeks as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('record_identifier_link').execute();
  await db.schema.createIndex('record_identifier_link').on('record_identifier').columns(['blind', 'record_type', 'record_id', 'parent_id', 'agency_id']).execute();
}
