import type { Kysely } from 'kysely';

/**
 * Keyed audit chains and signed checkpoints (DESIGN.md §5). Chains and checkpoints written before
 * this migration keep version 1 (plain SHA-256) and are verified as such; the first keyed checkpoint
 * names their heads, so from then on they cannot be rewritten either without the audit key. New
 * chains and checkpoints are version 2 and name the audit key they were written under.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_chain').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('audit_chain').addColumn('key_id', 'text').execute();
  await db.schema.alterTable('audit_checkpoint').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('audit_checkpoint').addColumn('key_id', 'text').execute();
  await db.schema.alterTable('audit_checkpoint').addColumn('signature', 'text').execute();
}
