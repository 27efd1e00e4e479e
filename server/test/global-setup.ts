import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createDatabase, sqliteFile } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createPgDatabase, dropPgDatabase, postgresAvailable, PG_ADMIN_URL } from './databases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAvailable: boolean;
    /** A SQLite file migrated to the latest schema, copied by each test server instead of migrating anew. */
    sqliteTemplate: string;
    /** A PostgreSQL database migrated to the latest schema, the template of each test server's database. */
    pgTemplate: string;
  }
}

/**
 * Says loudly, once, which back ends the run covers, and tells the test files. It also migrates one
 * database of each kind for the run: every test server starts from a copy of it, since migrating anew
 * cost each server 0.4–0.8 s on SQLite and 1.5–2 s on PostgreSQL, hundreds of times a run.
 */
export default async function setup(project: TestProject) {
  const pgUp = await postgresAvailable();
  if (!pgUp) {
    if (process.env.CI) throw new Error(`CI requires PostgreSQL, but ${PG_ADMIN_URL} is not reachable`);
    const line = '!'.repeat(100);
    console.warn(
      `${line}\n!! PostgreSQL is not reachable at ${PG_ADMIN_URL}: every PostgreSQL integration suite is SKIPPED.\n` +
        `!! Start it (scripts/ensure-postgres.sh does) or set LANTERN_TEST_PG_URL.\n${line}`,
    );
  }
  project.provide('pgAvailable', pgUp);

  const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-template-'));
  const sqlite = createDatabase({ dataDir: templateDir });
  await migrateToLatest(sqlite.db);
  // Closing the only connection checkpoints the WAL into the file, so the file alone is the copy.
  await sqlite.close();
  project.provide('sqliteTemplate', sqliteFile(templateDir));

  // Each run has its own template, so runs side by side (or a run after a new migration) never share one.
  const pgTemplate = `lantern_tmpl_${randomBytes(6).toString('hex')}`;
  if (pgUp) {
    const pgDb = createDatabase({ dataDir: templateDir, databaseUrl: await createPgDatabase(pgTemplate), poolSize: 1 });
    await migrateToLatest(pgDb.db);
    // No connection may stay open on a template while databases are created from it.
    await pgDb.close();
  }
  project.provide('pgTemplate', pgUp ? pgTemplate : '');

  return async () => {
    if (pgUp) await dropPgDatabase(pgTemplate);
    fs.rmSync(templateDir, { recursive: true, force: true });
  };
}
