import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';
import { createPgDatabase, dropPgDatabase } from '../../test/databases.ts';
import { migrations } from './index.ts';

/** Migrations up to (not including) `name`, or all of them. */
const upTo = (name?: string): Record<string, Migration> => Object.fromEntries(Object.entries(migrations).filter(([k]) => name === undefined || k < name));

async function migrate(db: Kysely<unknown>, set: Record<string, Migration>) {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => set }, migrationTableName: 'schema_migration', migrationLockTableName: 'schema_migration_lock' });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

describeEachDatabase("migration 0014: operations' subjects join the identifier index", (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  async function open(): Promise<Kysely<unknown>> {
    if (backend === 'sqlite') {
      const raw = new SQLite(':memory:');
      // The subjects below name operations and agencies that do not exist; only the index matters.
      raw.pragma('foreign_keys = OFF');
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
      cleanup.push(() => db.destroy());
      return db;
    }
    const name = `lantern_m_${randomBytes(6).toString('hex')}`;
    const pool = new pg.Pool({ connectionString: await createPgDatabase(name), max: 1 });
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    cleanup.push(async () => {
      await db.destroy();
      await dropPgDatabase(name);
    });
    return db;
  }

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
