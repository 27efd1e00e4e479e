import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import { afterEach } from 'vitest';
import type { Backend } from '../../test/harness.ts';
import { createPgDatabase, dropPgDatabase } from '../../test/databases.ts';
import { migrations } from './index.ts';

/** Migrations up to (not including) `name`, or all of them. */
export const upTo = (name?: string): Record<string, Migration> => Object.fromEntries(Object.entries(migrations).filter(([k]) => name === undefined || k < name));

export async function migrate(db: Kysely<unknown>, set: Record<string, Migration>) {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => set }, migrationTableName: 'schema_migration', migrationLockTableName: 'schema_migration_lock' });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/**
 * For a migration's test: `open()` gives an empty database of the back end (dropped after each test).
 * SQLite's foreign keys are off, as PostgreSQL's are under `session_replication_role = replica`: the rows
 * a migration test writes name records that do not exist; only what the migration does to them matters.
 */
export function emptyDatabases(backend: Backend) {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  return async function open(): Promise<Kysely<unknown>> {
    if (backend === 'sqlite') {
      const raw = new SQLite(':memory:');
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
  };
}
