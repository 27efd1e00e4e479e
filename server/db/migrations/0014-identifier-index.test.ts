import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';
import { emptyDatabases, migrate, upTo } from './migration.test-support.ts';

describeEachDatabase("migration 0014: operations' subjects join the identifier index", (backend) => {
  const open = emptyDatabases(backend);

  it('one index row per subject, its hash as it was, its operation as the record to open', async () => {
    const db = await open();
    await migrate(db, upTo('0014'));
    if (backend === 'postgres') await sql`set session_replication_role = replica`.execute(db);
    const subject = (id: string, op: string, kind: string, blind: string) =>
      sql`insert into operation_subject (id, operation_id, agency_id, kind, value, blind, position) values (${id}, ${op}, 'lead', ${kind}, 'enc1.k.sealed', ${blind}, 0)`.execute(db);
    await subject('s1', 'op1', 'phone', 'b-phone');
    await subject('s2', 'op1', 'handle', 'b-handle');
    await subject('s3', 'op2', 'phone', 'b-phone');
    await migrate(db, upTo());
    if (backend === 'postgres') await sql`set session_replication_role = origin`.execute(db);
    const rows = await sql<{ id: string; record_type: string; record_id: string; parent_id: string; agency_id: string; kind: string; blind: string; hint: string | null }>`
      select id, record_type, record_id, parent_id, agency_id, kind, blind, hint from record_identifier order by id`.execute(db);
    expect(rows.rows).toEqual([
      { id: 's1', record_type: 'operation_subject', record_id: 's1', parent_id: 'op1', agency_id: 'lead', kind: 'phone', blind: 'b-phone', hint: null },
      { id: 's2', record_type: 'operation_subject', record_id: 's2', parent_id: 'op1', agency_id: 'lead', kind: 'handle', blind: 'b-handle', hint: null },
      { id: 's3', record_type: 'operation_subject', record_id: 's3', parent_id: 'op2', agency_id: 'lead', kind: 'phone', blind: 'b-phone', hint: null },
    ]);
  });
});
