import fs from 'node:fs';
import readline from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Kysely, type QueryResult, type RawBuilder } from 'kysely';
import type { AppContext } from '../context.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { BACKUP_TABLES } from '../db/tables.ts';
import { migrations } from '../db/migrations/index.ts';
import { verifyAuditLog } from '../audit/audit.verify.ts';

const FORMAT = 'lantern-backup';
const PAGE = 2000;

interface Header {
  format: string;
  version: 1;
  createdAt: string;
  dialect: string;
  migrations: string[];
}

type Progress = (table: string, rows: number) => void;

/**
 * Online, consistent backup: every table read inside one snapshot (a read transaction; REPEATABLE READ
 * on PostgreSQL) while Lantern keeps serving. The file is gzip'd JSON lines and is the same for both
 * back ends, so a backup from SQLite restores into PostgreSQL and back. Encrypted fields stay
 * encrypted: keep the keys (LANTERN_KEYS or keys.json) with the backup, but not in the same place.
 */
export async function backup(ctx: AppContext, file: string, onProgress?: Progress): Promise<{ rows: number }> {
  const tmp = `${file}.partial`;
  const gzip = createGzip();
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(out);
  const write = (obj: unknown) =>
    new Promise<void>((resolve) => {
      if (gzip.write(JSON.stringify(obj) + '\n')) resolve();
      else gzip.once('drain', resolve);
    });

  let total = 0;
  let tx = ctx.db.transaction();
  if (ctx.dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read');
  await tx.execute(async (trx) => {
    const header: Header = { format: FORMAT, version: 1, createdAt: ctx.clock.now().toISOString(), dialect: ctx.dialect, migrations: Object.keys(migrations) };
    await write(header);
    for (const { table, key } of BACKUP_TABLES) {
      await write({ table });
      let after: unknown[] | null = null;
      let rows = 0;
      for (;;) {
        const keyList = sql.join(key.map((k) => sql.ref(k)));
        const where: RawBuilder<unknown> = after ? sql`where (${keyList}) > (${sql.join(after)})` : sql``;
        const page: QueryResult<Record<string, unknown>> = await sql<Record<string, unknown>>`select * from ${sql.table(table)} ${where} order by ${keyList} limit ${PAGE}`.execute(trx);
        for (const row of page.rows) await write({ row });
        rows += page.rows.length;
        onProgress?.(table, rows);
        if (page.rows.length < PAGE) break;
        const last: Record<string, unknown> = page.rows.at(-1)!;
        after = key.map((k) => last[k]);
      }
      total += rows;
    }
    await write({ end: true, rows: total });
  });
  gzip.end();
  await done;
  fs.renameSync(tmp, file);
  return { rows: total };
}

async function isEmpty(db: Kysely<unknown>) {
  for (const { table } of BACKUP_TABLES) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    if (Number(r.rows[0]?.n ?? 0) > 0) return false;
  }
  return true;
}

/**
 * Restores a backup into an empty Lantern database, then checks the audit chain end to end.
 * Refuses a non-empty database rather than mixing two histories.
 */
export async function restore(ctx: AppContext, file: string, onProgress?: Progress): Promise<{ rows: number }> {
  await migrateToLatest(ctx.db);
  if (!(await isEmpty(ctx.db as Kysely<unknown>))) {
    throw new Error(`the database at ${ctx.database.location} already holds data; restore into an empty one`);
  }
  let header: Header | null = null;
  let table: string | null = null;
  let batch: Record<string, unknown>[] = [];
  let total = 0;
  let perTable = 0;
  let ended = false;
  await ctx.db.transaction().execute(async (trx) => {
    // The file is opened here, right before the loop reads it: readline drops the lines it reads
    // before anyone iterates, so nothing may be awaited in between. A damaged file's error ends the loop.
    const source = fs.createReadStream(file);
    const gunzip = createGunzip();
    source.on('error', (err) => gunzip.destroy(err));
    const lines = readline.createInterface({ input: source.pipe(gunzip), crlfDelay: Infinity });
    const flush = async () => {
      if (!table || batch.length === 0) return;
      await trx.insertInto(table as never).values(batch as never).execute();
      perTable += batch.length;
      total += batch.length;
      onProgress?.(table, perTable);
      batch = [];
    };
    for await (const line of lines) {
      if (!line) continue;
      const item = JSON.parse(line) as { format?: string; table?: string; row?: Record<string, unknown>; end?: boolean; rows?: number } & Partial<Header>;
      if (!header) {
        if (item.format !== FORMAT || item.version !== 1) throw new Error(`${file} is not a Lantern backup`);
        const unknown = (item.migrations ?? []).filter((m) => !(m in migrations));
        if (unknown.length) throw new Error(`this backup comes from a newer Lantern (migrations ${unknown.join(', ')}); upgrade first`);
        header = item as Header;
        continue;
      }
      if (item.table) {
        await flush();
        if (!BACKUP_TABLES.some((t) => t.table === item.table)) throw new Error(`unknown table ${item.table} in backup`);
        table = item.table;
        perTable = 0;
      } else if (item.row) {
        batch.push(item.row);
        if (batch.length >= 500) await flush();
      } else if (item.end) {
        await flush();
        if (item.rows !== total) throw new Error(`backup is incomplete: ${total} rows read, ${item.rows} expected`);
        ended = true;
      }
    }
    if (!ended) throw new Error('backup file is truncated (no end marker)');
  });
  const verdict = await verifyAuditLog(ctx.db, ctx.dialect, ctx.audit.keys);
  if (!verdict.ok) throw new Error(`restored, but the audit log does not verify: ${verdict.problem?.problem}`);
  return { rows: total };
}
