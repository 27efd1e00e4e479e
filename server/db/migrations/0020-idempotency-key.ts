import type { Kysely } from 'kysely';

/**
 * Every create is safe to resend (issue #13, item 4): a create sent with an `Idempotency-Key` header
 * records the key in the same transaction as the record it creates, so a reply lost with its process
 * (kill -9 after the commit) is answered on resend from here instead of creating the record again.
 * Rows are pruned after 24 hours.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_key')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** Whose key: `user:<id>` for a signed-in user, `public` for the anonymous tip route. */
    .addColumn('scope', 'text', (c) => c.notNull())
    /** The client's `Idempotency-Key` header (1–200 printable characters). */
    .addColumn('key', 'text', (c) => c.notNull())
    /** SHA-256 of the method, path and body: the same key with another request is refused (422). */
    .addColumn('request_hash', 'text', (c) => c.notNull())
    /** The reply's status; null between the create's commit and the reply being recorded. */
    .addColumn('status', 'integer')
    /** The reply's JSON body, sealed (it can carry protected data). */
    .addColumn('response', 'text')
    /** JSON {action, recordId} of the create's first audited record: named when the reply was lost. */
    .addColumn('created_record', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('idempotency_key_scope_key', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_key_created').on('idempotency_key').column('created_at').execute();
}
