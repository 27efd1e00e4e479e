import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';
import { emptyDatabases, migrate, upTo } from './migration.test-support.ts';

describeEachDatabase('migration 0011: the advocates\' single notes field becomes the first dated note', (backend) => {
  const open = emptyDatabases(backend);

  it('one legacy note per referral that had notes, dated when it was answered (or last changed), by whoever answered it', async () => {
    const db = await open();
    await migrate(db, upTo('0011'));
    if (backend === 'postgres') await sql`set session_replication_role = replica`.execute(db);
    const referral = (id: string, notes: string | null, respondedBy: string | null, respondedAt: string | null) =>
      sql`insert into referral (id, contact_id, operation_id, agency_id, to_agency_id, first_name, language, services, safe_contact, part2, status, sent_by, sent_at, responded_by, responded_at, advocate_notes, updated_at)
          values (${id}, 'c', 'op', 'lead', 'advocates', 'enc', 'en', '[]', 'enc', 0, 'accepted', 'officer', '2026-01-01T00:00:00.000Z', ${respondedBy}, ${respondedAt}, ${notes}, '2026-01-03T00:00:00.000Z')`.execute(db);
    await referral('r1', 'enc1.k.sealed-notes', 'advocate', '2026-01-02T00:00:00.000Z');
    await referral('r2', null, 'advocate', '2026-01-02T00:00:00.000Z');
    await referral('r3', 'enc1.k.other', null, null);
    await migrate(db, upTo());
    if (backend === 'postgres') await sql`set session_replication_role = origin`.execute(db);
    const rows = await sql<{ id: string; referral_id: string; agency_id: string; author_user_id: string | null; created_at: string; body: string | null; legacy: number }>`
      select id, referral_id, agency_id, author_user_id, created_at, body, legacy from referral_note order by id`.execute(db);
    expect(rows.rows.map((r) => ({ ...r, legacy: Number(r.legacy) }))).toEqual([
      { id: 'r1', referral_id: 'r1', agency_id: 'advocates', author_user_id: 'advocate', created_at: '2026-01-02T00:00:00.000Z', body: null, legacy: 1 },
      { id: 'r3', referral_id: 'r3', agency_id: 'advocates', author_user_id: null, created_at: '2026-01-03T00:00:00.000Z', body: null, legacy: 1 },
    ]);
    // The text stays sealed where it was, so key rotation still finds it.
    const kept = await sql<{ advocate_notes: string | null }>`select advocate_notes from referral where id = 'r1'`.execute(db);
    expect(kept.rows[0]!.advocate_notes).toBe('enc1.k.sealed-notes');
    const added = await sql<{ callback_phone: string | null; officer_phone: string | null }>`select r.callback_phone, null as officer_phone from referral r where id = 'r1'`.execute(db);
    expect(added.rows[0]).toEqual({ callback_phone: null, officer_phone: null });
  });
});
