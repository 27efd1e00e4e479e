import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createDatabase, sqliteFile } from './database.ts';
import { FALLBACK_PAGES } from './checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}

it("the worker copies the write-ahead log into the database file; the server's connection only past the fallback", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-checkpoint-'));
  dirs.push(dir);
  const database = createDatabase({ dataDir: dir });
  const { db } = database;
  const fallback = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
  expect(fallback.rows[0]!.wal_autocheckpoint).toBe(FALLBACK_PAGES);

  await sql`create table note (id integer primary key, body text not null)`.execute(db);
  // A few hundred pages of log: far below the fallback, so only the worker can have copied them.
  for (let batch = 0; batch < 20; batch++) {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 50; i++) await sql`insert into note (body) values (${`note ${batch}-${i} `.repeat(40)})`.execute(trx);
    });
  }
  const written = Date.now();
  const stats = database.checkpointer!.stats;
  // A checkpoint begun after the last commit that found every page of the log in the file.
  await until(() => !!stats.last && stats.last.startedAt > written && stats.last.checkpointed === stats.last.log, 'a checkpoint of the whole log');
  expect(stats.errors).toEqual([]);

  // The database file alone, without its log, holds every committed row.
  const copy = path.join(dir, 'copy.db');
  fs.copyFileSync(sqliteFile(dir), copy);
  const alone = new SQLite(copy, { readonly: true });
  expect(alone.prepare('select count(*) as n from note').get()).toEqual({ n: 1_000 });
  alone.close();

  await database.close();
  // Closed: the worker has let go of the file, and the database opens again with every row.
  const again = createDatabase({ dataDir: dir });
  const count = await sql<{ n: number }>`select count(*) as n from note`.execute(again.db);
  expect(count.rows[0]!.n).toBe(1_000);
  await again.close();
});
