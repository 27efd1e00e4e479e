import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';
import { emptyDatabases, migrate, upTo } from './migration.test-support.ts';
import { isUniqueViolation } from '../errors.ts';

describeEachDatabase('migration 0006: approvals name their version', (backend) => {
  const open = emptyDatabases(backend);

  it('gives current approvals their release’s version, leaves stale ones without, and undoes one person’s double approval', async () => {
    const db = await open();
    await migrate(db, upTo('0006'));
    // Rows as 0003 stored them.
    if (backend === 'postgres') await sql`set session_replication_role = replica`.execute(db);
    const release = (id: string, hash: string, version: number) =>
      sql`insert into press_release (id, operation_id, agency_id, status, title_en, body_en, title_es, body_es, text_hash, created_by, created_at, updated_at, version)
          values (${id}, 'op', 'agency', 'draft', 't', 'b', 't', 'b', ${hash}, 'u', '2026-01-01', '2026-01-01', ${version})`.execute(db);
    const approval = (releaseId: string, kind: string, userId: string, hash: string) =>
      sql`insert into press_release_approval (release_id, kind, user_id, text_hash, approved_at) values (${releaseId}, ${kind}, ${userId}, ${hash}, '2026-01-01')`.execute(db);
    await release('r1', 'h-now', 3);
    await approval('r1', 'pio', 'alice', 'h-now');
    await approval('r1', 'coordinator', 'bob', 'h-old');
    await release('r2', 'h2', 2);
    await approval('r2', 'pio', 'carol', 'h2');
    await approval('r2', 'coordinator', 'carol', 'h2');
    if (backend === 'postgres') await sql`set session_replication_role = origin`.execute(db);

    await migrate(db, upTo());
    const rows = await sql<{ release_id: string; kind: string; version: number | null }>`select release_id, kind, version from press_release_approval order by release_id, kind`.execute(db);
    expect(rows.rows.map((r) => [r.release_id, r.kind, r.version === null ? null : Number(r.version)])).toEqual([
      ['r1', 'coordinator', null],
      ['r1', 'pio', 3],
      ['r2', 'coordinator', null],
      ['r2', 'pio', 2],
    ]);
    // From now on the database refuses a second approval of one version by one person.
    await sql`delete from press_release_approval where release_id = 'r2' and kind = 'coordinator'`.execute(db);
    const err = await sql`insert into press_release_approval (release_id, kind, user_id, text_hash, approved_at, version) values ('r2', 'coordinator', 'carol', 'h2', '2026-01-02', 2)`
      .execute(db)
      .then(() => null, (e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });
});
