import type { Kysely } from 'kysely';

/**
 * Tips (issue #10): the key of the day under which a public tipster's IP address is hashed for rate
 * limiting. One random secret per UTC day, shared by every process through this table and deleted once
 * its day is over, so the hashes made under it (kept a few hours in `rate_limit`) can never again be
 * linked to an address. Transient: not carried by a backup.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tip_ip_key')
    /** The UTC day, YYYY-MM-DD. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** Sealed random secret. */
    .addColumn('secret', 'text', (c) => c.notNull())
    .execute();
}
