import fs from 'node:fs';
import path from 'node:path';
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
  // A write error (a full disk) ends the backup at once, rather than leaving a write waiting on a drain.
  const failed = new Promise<never>((_resolve, reject) => {
    out.on('error', reject);
    gzip.on('error', reject);
  });
  failed.catch(() => {});
  const finished = new Promise<void>((resolve) => out.on('finish', resolve));
  gzip.pipe(out);
  const write = (obj: unknown) =>
    Promise.race([
      failed,
      new Promise<void>((resolve) => {
        if (gzip.write(JSON.stringify(obj) + '\n')) resolve();
        else gzip.once('drain', resolve);
      }),
    ]);

  let total = 0;
  try {
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
    await Promise.race([failed, finished]);
    // On disk before it takes the real name, and the name on disk after: a crash leaves the old file or
    // the whole new one under that name, never one with missing blocks.
    fsyncPath(tmp);
  } catch (error) {
    gzip.destroy();
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fs.renameSync(tmp, file);
  fsyncPath(path.dirname(path.resolve(file)));
  return { rows: total };
}

function fsyncPath(p: string) {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A backup file Lantern will not restore: the message names the file and what is wrong with it. */
export class BackupFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

type Item = { kind: 'header'; header: Header } | { kind: 'table'; table: string } | { kind: 'row'; table: string; row: Record<string, unknown> } | { kind: 'end'; rows: number };

/**
 * Reads a backup file item by item, refusing anything but a whole, undamaged Lantern backup: the gzip
 * checksum and length (a flipped bit anywhere in the data), a header first, every row under a known
 * table, one end marker last whose count matches the rows read. Throws BackupFileError on the first fault.
 */
async function* readBackup(file: string): AsyncGenerator<Item> {
  const size = fs.statSync(file).size;
  const fault = (problem: string) => new BackupFileError(file, problem);
  if (size === 0) throw fault('the file is empty (0 bytes): not a Lantern backup');
  const magic = Buffer.alloc(2);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, magic, 0, 2, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw fault('not a gzip file: not a Lantern backup');

  const source = fs.createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  gunzip.setEncoding('utf8');
  source.pipe(gunzip);

  let lineNo = 0;
  let header: Header | null = null;
  let table: string | null = null;
  let rows = 0;
  let ended = false;
  const where = () => `${rows} rows read${table ? `, in table ${table}` : ''}`;
  /** `unended` is the text after the last newline: every line the writer wrote ends with one. */
  const item = (line: string, unended = false): Item | null => {
    lineNo++;
    if (!line) return null;
    if (ended) throw fault(`corrupt: line ${lineNo} follows the end marker`);
    let parsed: { format?: string; version?: number; migrations?: string[]; table?: string; row?: Record<string, unknown>; end?: boolean; rows?: number };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      if (unended) throw fault(`truncated: it ends in the middle of line ${lineNo} (${where()})`);
      throw fault(`corrupt: line ${lineNo} is not JSON (${where()}): the data is damaged; take the backup again or use another copy`);
    }
    if (!header) {
      if (parsed.format !== FORMAT || parsed.version !== 1) throw fault('not a Lantern backup (its first line is not a Lantern backup header)');
      const unknown = (parsed.migrations ?? []).filter((m) => !(m in migrations));
      if (unknown.length) throw fault(`made by a newer Lantern (migrations ${unknown.join(', ')}): upgrade Lantern first`);
      header = parsed as Header;
      return { kind: 'header', header };
    }
    if (typeof parsed.table === 'string') {
      if (!BACKUP_TABLES.some((t) => t.table === parsed.table)) throw fault(`corrupt: line ${lineNo} names an unknown table ${parsed.table}`);
      table = parsed.table;
      return { kind: 'table', table };
    }
    if (parsed.row && typeof parsed.row === 'object') {
      if (!table) throw fault(`corrupt: line ${lineNo} is a row before any table`);
      rows++;
      return { kind: 'row', table, row: parsed.row };
    }
    if (parsed.end === true) {
      if (parsed.rows !== rows) throw fault(`incomplete: ${rows} rows read, but its end marker counts ${parsed.rows}`);
      ended = true;
      return { kind: 'end', rows };
    }
    throw fault(`corrupt: line ${lineNo} is neither a table, a row nor the end marker`);
  };

  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const next = item(line);
        if (next) yield next;
      }
    }
  } catch (error) {
    if (error instanceof BackupFileError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    // zlib: the data stopped before the gzip trailer, or does not match its checksum.
    if (code === 'Z_BUF_ERROR') throw fault(`truncated: the compressed data ends early, at byte ${size} (${where()}); it was cut short, e.g. copied before the backup finished or written to a full disk`);
    if (code === 'Z_DATA_ERROR') throw fault(`corrupt: the compressed data is damaged (${message}, ${where()}); take the backup again or use another copy`);
    throw fault(`unreadable: ${message}`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  const last = item(rest, true);
  if (last) yield last;
  if (!header) throw fault('not a Lantern backup (no header)');
  if (!ended) throw fault(`truncated: it ends after ${where()} without its end marker`);
}

/** Reads the whole file and says whether it would restore: its header and row count, or BackupFileError. */
export async function checkBackup(file: string): Promise<{ header: Header; rows: number }> {
  let header: Header | null = null;
  let rows = 0;
  for await (const item of readBackup(file)) {
    if (item.kind === 'header') header = item.header;
    if (item.kind === 'end') rows = item.rows;
  }
  return { header: header!, rows };
}

async function isEmpty(db: Kysely<unknown>) {
  for (const { table } of BACKUP_TABLES) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    if (Number(r.rows[0]?.n ?? 0) > 0) return false;
  }
  return true;
}

/**
 * Restores a backup into an empty Lantern database. The whole file is checked before the database is
 * touched (unless `checked` says the caller did); then every row goes in one transaction, which also verifies the restored audit log before it
 * commits: a damaged file or a log that does not verify leaves the database as it was. Refuses a
 * non-empty database rather than mixing two histories.
 */
export async function restore(ctx: AppContext, file: string, onProgress?: Progress, opts: { checked?: boolean } = {}): Promise<{ rows: number }> {
  // Skipped when the caller just checked it; the transaction below refuses a fault all the same.
  if (!opts.checked) await checkBackup(file);
  await migrateToLatest(ctx.db);
  if (!(await isEmpty(ctx.db as Kysely<unknown>))) {
    throw new Error(`the database at ${ctx.database.location} already holds data; restore into an empty one`);
  }
  let total = 0;
  await ctx.db.transaction().execute(async (trx) => {
    let table: string | null = null;
    let batch: Record<string, unknown>[] = [];
    let perTable = 0;
    const flush = async () => {
      if (!table || batch.length === 0) return;
      await trx.insertInto(table as never).values(batch as never).execute();
      perTable += batch.length;
      total += batch.length;
      onProgress?.(table, perTable);
      batch = [];
    };
    // Read again, checked again: the file may have changed since.
    for await (const item of readBackup(file)) {
      if (item.kind === 'table') {
        await flush();
        table = item.table;
        perTable = 0;
      } else if (item.kind === 'row') {
        batch.push(item.row);
        if (batch.length >= 500) await flush();
      } else if (item.kind === 'end') {
        await flush();
      }
    }
    const verdict = await verifyAuditLog(trx, ctx.dialect, ctx.audit.keys);
    if (!verdict.ok) throw new BackupFileError(file, `its audit log does not verify: ${verdict.problem?.problem}`);
  });
  return { rows: total };
}
