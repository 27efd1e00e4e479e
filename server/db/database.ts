import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Expression,
  type RawBuilder,
  type SqlBool,
  type SqliteDatabase,
  type Transaction,
} from 'kysely';
import type { DB } from './schema/index.ts';
import { FALLBACK_PAGES, startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { Lru } from './lru.ts';

/**
 * The only module that knows which back end is in use. Everything else writes portable Kysely and asks
 * here for the few things that differ (aggregation, locking, unlogged tables, backup).
 */
export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the SQLite file lives, or the PostgreSQL URL with its password hidden. */
  location: string;
  /** SQLite: the worker that copies the write-ahead log into the database file. */
  checkpointer?: Checkpointer;
  close(): Promise<void>;
}

export type Trx = Transaction<DB>;
export type Queryable = Kysely<DB> | Trx;

// PostgreSQL returns bigint and numeric as strings; Lantern's counts and sequence numbers fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function sqliteFile(dataDir: string) {
  return path.join(dataDir, 'lantern.db');
}

export function openSqlite(file: string): SQLite.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // The file holds password hashes, sealed fields and the audit log: owner-only, like the key file.
  // SQLite gives its -wal and -shm files the database file's permissions.
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
  else if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const raw = new SQLite(file);
  // DESIGN.md §6: WAL with synchronous=FULL means a committed reply survives power loss.
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // Checkpoints are the checkpointer's (server/db/checkpointer.ts); this connection only past the fallback.
  raw.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
  // SQLite's own lower() folds only A-Z; PostgreSQL's folds every letter (Ñ, Á, Σ…). The same lower() on
  // both keeps `containsText` alike on both back ends. No index is built on lower().
  raw.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  return raw;
}

export function createDatabase(opts: { dataDir: string; databaseUrl?: string | undefined; poolSize?: number }): Database {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, Client: PreparingClient });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      location: redactUrl(opts.databaseUrl),
      close: () => db.destroy(),
    };
  }
  const file = sqliteFile(opts.dataDir);
  const raw = openSqlite(file);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  const checkpointer = startCheckpointer(file);
  return {
    db,
    dialect: 'sqlite',
    location: file,
    checkpointer,
    async close() {
      await checkpointer.stop();
      await db.destroy();
    },
  };
}

/**
 * Kysely asks better-sqlite3 to prepare every query it runs, and parsing and planning the same SQL again
 * costs more than running it (a fifth of a signed-in read's CPU, bench/README.md). Statements are kept
 * by their SQL text, the least recently used dropped past `size`. Sharing one statement is safe: Kysely
 * runs one query at a time on SQLite's single connection, and SQLite re-prepares after a schema change.
 */
function withStatementCache(raw: SQLite.Database, size = 500): SqliteDatabase {
  const statements = new Lru<string, SQLite.Statement>(size);
  return {
    close: () => raw.close(),
    prepare: (sqlText: string) => statements.getOrMake(sqlText, () => raw.prepare(sqlText)),
  };
}

/** Distinct statements one connection keeps prepared; past this, new ones run unnamed (planned each time). */
const PREPARED_PER_CONNECTION = 2_000;
const statementNames = new Map<string, string>();
const preparedCount = new WeakMap<pg.Client, number>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `l_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    if (statementNames.size >= 20_000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/**
 * PostgreSQL parses and plans every unnamed statement again, and Kysely's driver sends only unnamed ones:
 * for a query with joins and grants, planning costs more than running it (0.7–1.3 ms a link query against
 * 0.1–0.2 ms of execution, bench/README.md `links`). This client names each parameterised statement after
 * its text, so each connection parses it once and PostgreSQL may keep a generic plan. Statements without
 * parameters (BEGIN, COMMIT, migrations' DDL) stay unnamed. Needs a session to itself: behind a pooler in
 * transaction mode (PgBouncer's default), connect Lantern directly or in session mode (docs/operating.md).
 */
class PreparingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(config?: any) {
    super(config);
    // A connection dropped while checked out (PostgreSQL restarting mid-transaction) emits 'error' on the
    // client, which the pool listens for only while it is idle: unheard, it would crash the process. The
    // query in flight fails on its own (answered 503), and the pool discards the broken client on release.
    this.on('error', () => {});
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(config);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const parsed = (this as any).connection?.parsedStatements as Record<string, string> | undefined;
      const known = parsed?.[name] !== undefined;
      const count = preparedCount.get(this) ?? 0;
      if (known || count < PREPARED_PER_CONNECTION) {
        if (!known) preparedCount.set(this, count + 1);
        return super.query({ name, text: config, values }, callback);
      }
    }
    return super.query(config, values, callback);
  }
}

export function redactUrl(url: string) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export function isPostgres(db: Kysely<unknown>) {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Comma-joined values of a grouped column: group_concat on SQLite, string_agg on PostgreSQL. */
export function joinedText(dialect: Dialect, expr: Expression<unknown>): RawBuilder<string | null> {
  return dialect === 'postgres' ? sql<string | null>`string_agg(${expr}, ',')` : sql<string | null>`group_concat(${expr}, ',')`;
}

/**
 * `column` contains `text`, ignoring case, with `%`, `_` and `\` in `text` taken literally, alike on
 * both back ends: both compare lower() (Unicode-aware on SQLite too, see `openSqlite`) and the escape
 * character is spelled out, since PostgreSQL assumes a backslash and SQLite has none by default.
 */
export function containsText(column: Expression<string | null>, text: string): RawBuilder<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`;
}

/** Row lock for read-modify-write inside a transaction; SQLite's single writer makes it unnecessary there. */
export function forUpdate<T extends { forUpdate(): T }>(dialect: Dialect, qb: T): T {
  return dialect === 'postgres' ? qb.forUpdate() : qb;
}

/**
 * A row held until the commit against state changes, without blocking foreign-key checks of rows that
 * point at it (so holders that insert children do not deadlock): `exclusive` keeps out other exclusive
 * holders, `shared` holders and updates of the row; `shared` holders admit each other but no update.
 * PostgreSQL's FOR NO KEY UPDATE and FOR SHARE; SQLite's single writer makes both unnecessary.
 */
export function holdRow<T extends { forNoKeyUpdate(): T; forShare(): T }>(dialect: Dialect, qb: T, mode: 'exclusive' | 'shared'): T {
  if (dialect !== 'postgres') return qb;
  return mode === 'exclusive' ? qb.forNoKeyUpdate() : qb.forShare();
}

/**
 * Makes writers of one kind (named by `name`) take turns across every process until the transaction
 * ends: a PostgreSQL transaction-scoped advisory lock. SQLite has a single writer already.
 */
export async function lockUntilCommit(dialect: Dialect, trx: Trx, name: string, mode: 'exclusive' | 'shared' = 'exclusive'): Promise<void> {
  // A shared hold lets many writers of one kind in at once while keeping out an exclusive one (the
  // statistics ledger: counting into quarters shares, publishing and freezing them excludes).
  if (dialect === 'postgres' && mode === 'shared') await sql`select pg_advisory_xact_lock_shared(hashtext(${name}))`.execute(trx);
  else if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  // SQLite has one writer: a no-op write takes its lock (waiting under busy_timeout) for the rest of the transaction.
  else await sql`update audit_chain set head_seq = head_seq where 1 = 0`.execute(trx);
}
