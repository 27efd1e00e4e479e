import { sql, type Kysely } from 'kysely';

/**
 * Press-release approvals name the version of the text they approved (issue #7, findings 1 and 2).
 * Publishing then publishes only the version two approvals name, and one person can hold at most one
 * approval of a version: the unique index makes "one person, both approvals" impossible in the
 * database, whatever the requests race.
 *
 * Existing approvals of the release's current text get its version. Approvals of an older text keep
 * a null version (they approved something that is no longer the release's text, and nulls never
 * collide). Where one person holds both approvals of the current text (finding 2 happened), the
 * coordinator approval is kept but no longer counts: its version is cleared.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('press_release_approval').addColumn('version', 'integer').execute();
  await sql`
    update press_release_approval
       set version = (select r.version from press_release r where r.id = press_release_approval.release_id and r.text_hash = press_release_approval.text_hash)
  `.execute(db);
  await sql`
    update press_release_approval
       set version = null
     where kind = 'coordinator'
       and version is not null
       and exists (select 1 from press_release_approval p
                    where p.release_id = press_release_approval.release_id
                      and p.kind = 'pio'
                      and p.user_id = press_release_approval.user_id
                      and p.version = press_release_approval.version)
  `.execute(db);
  await db.schema.createIndex('press_release_approval_one_each').on('press_release_approval').columns(['release_id', 'version', 'user_id']).unique().execute();
}
