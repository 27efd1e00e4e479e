import { sql, type Kysely } from 'kysely';

/**
 * The identifier index (issue #10, item 7).
 * - `record_identifier.hint`: the masked value of a tip's identifier ("•••-•••-0142"), sealed, so a tip's
 *   links can say what they share without the index holding any value in clear. Rows of other records
 *   carry none: a link's hint is always the tip's own value, which its reader may see.
 * - The hash index covers what linking reads (hash, record type, record, parent), replacing 0012's.
 * - The subjects of existing operations join the index. `operation_subject.blind` is already the keyed
 *   hash of the same normal form (crypto.blindIndex over common/identifiers.ts), so they are copied
 *   as they are, each row under its subject's id, its operation as the record a viewer opens. Contacts'
 *   phones are sealed and have no hash to copy: a migration holds no keys. They are indexed when the
 *   contact is next saved, or by `indexContactPhones` (server/modules/identifiers/identifiers.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('record_identifier').addColumn('hint', 'text').execute();
  await db.schema.createIndex('record_identifier_parent').on('record_identifier').columns(['record_type', 'parent_id']).execute();
  // Linking reads a hash's records and their parents: with both in the index, it never visits the table.
  await db.schema.dropIndex('record_identifier_blind').execute();
  await db.schema.createIndex('record_identifier_link').on('record_identifier').columns(['blind', 'record_type', 'record_id', 'parent_id']).execute();
  const now = new Date().toISOString();
  await sql`
    insert into record_identifier (id, record_type, record_id, parent_id, agency_id, kind, blind, created_at, hint)
    select id, 'operation_subject', id, operation_id, agency_id, kind, blind, ${now}, null
    from operation_subject
  `.execute(db);
}
