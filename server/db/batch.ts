import { CompiledQuery, sql, type Insertable, type InsertQueryBuilder, type InsertResult, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { Dialect, Queryable, Trx } from './database.ts';
import type { DB } from './schema/index.ts';
import { Lru } from './lru.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyInsert = InsertQueryBuilder<DB, any, InsertResult>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyUpdate = UpdateQueryBuilder<DB, any, any, UpdateResult>;

type Table = keyof DB & string;
type Row = Readonly<Record<string, unknown>>;

/**
 * Rows of one table to insert, as plain values: `writeAll` makes their SQL once for each shape (table,
 * columns, number of rows, conflict rule) and keeps it. Kysely builds and compiles an insert anew each
 * time, visiting every value: for a tip's rows (the tip, its events, its index, its audit row) that cost
 * the server more than the database spent writing them.
 */
export class RowsInsert {
  constructor(
    readonly table: Table,
    readonly rows: readonly Row[],
    /** A row whose value of this unique column is taken is skipped (and not counted). */
    readonly onConflictDoNothing: string | null,
  ) {}
}

/** `insert into table values rows [on conflict (column) do nothing]`, for `writeAll` or `Tx.insertAtEnd`. */
export function insertRows<T extends Table>(table: T, rows: readonly Insertable<DB[T]>[], opts: { onConflictDoNothing?: keyof DB[T] & string } = {}): RowsInsert {
  return new RowsInsert(table, rows as readonly Row[], opts.onConflictDoNothing ?? null);
}

/** An update of the rows that match every `where` equality, made once per shape like `RowsInsert`. */
export class RowsUpdate {
  constructor(
    readonly table: Table,
    readonly set: Row,
    readonly where: Row,
  ) {}
}

/** `update table set … where column = value and …` (the audit chain's head moving from where it was). */
export function updateWhere<T extends Table>(table: T, set: Partial<Insertable<DB[T]>>, where: Partial<Insertable<DB[T]>>): RowsUpdate {
  // An update without a condition would change every row of the table: never what a caller means here.
  const given = (row: object) => Object.values(row).some((v) => v !== undefined);
  if (!given(set) || !given(where)) throw new Error(`updateWhere(${table}): both what to set and which rows must be given`);
  return new RowsUpdate(table, set as Row, where as Row);
}

export type BatchInsert = AnyInsert | RowsInsert;
export type BatchUpdate = AnyUpdate | RowsUpdate;

/**
 * Runs several inserts of one transaction and returns how many rows each inserted. On PostgreSQL they go
 * as one statement (each a data-modifying CTE): one round trip instead of one each, which is what a
 * short write transaction's throughput is made of there. SQLite runs in process, where a statement costs
 * no round trip: they run in turn. The inserts must not depend on each other's rows within the batch
 * (PostgreSQL's CTEs all see the same snapshot); a foreign key between them is fine, checked at the end
 * of the statement.
 */
export async function insertAll(dialect: Dialect, trx: Trx, inserts: readonly BatchInsert[]): Promise<number[]> {
  return (await writeAll(dialect, trx, inserts)).inserted;
}

/**
 * `insertAll`, then one update (the audit chain's head) in the same statement on PostgreSQL, last on
 * SQLite: `updated` is how many rows it changed, so a conditional update tells whether its condition held.
 *
 * `expected` (PostgreSQL only) makes the statement itself fail, writing nothing, when a member (the
 * inserts in order, then the update) changes other than the number of rows given for it: for a statement
 * sent outside a transaction, where nothing could be rolled back after it. Such a failure is
 * `isExpectationMissed`.
 *
 * Members given as `insertRows` and `updateWhere` go by SQL kept for their shape; Kysely builders are
 * compiled as usual. On PostgreSQL the statement is kept whole when every member is plain rows.
 */
export async function writeAll(
  dialect: Dialect,
  trx: Queryable,
  inserts: readonly BatchInsert[],
  update?: BatchUpdate,
  expected?: readonly (number | undefined)[],
): Promise<{ inserted: number[]; updated: number }> {
  if (dialect !== 'postgres') {
    const inserted: number[] = [];
    for (const insert of inserts) inserted.push(await runAlone(trx, insert));
    const updated = update ? await runAlone(trx, update) : 0;
    return { inserted, updated };
  }
  if (inserts.length === 0 && !update) return { inserted: [], updated: 0 };
  const members = [...inserts, ...(update ? [update] : [])];
  const row = (await keptStatement(trx, members, expected)) ?? (await builtStatement(trx, members, expected));
  const counts = members.map((_, i) => Number(row[`n${i}`]));
  return { inserted: counts.slice(0, inserts.length), updated: update ? counts[inserts.length]! : 0 };
}

/** The statement of `writeAll` refused itself: a member changed other than the rows expected of it. */
export function isExpectationMissed(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '22012';
}

// ------------------------------------------------------------------------------------------- kept SQL

/** A plain member's columns and its shape's key; null when its rows differ in their columns. */
interface Shape {
  key: string;
  columns: string[];
  /** `update`'s where columns, after its set columns. */
  whereColumns?: string[];
}

/**
 * The columns of the first row given a value; null, for Kysely to build the member, when another row
 * gives other columns (Kysely writes a default where a row lacks one) or a value is not a plain one (an
 * expression, an object to serialise).
 */
function columnsOf(rows: readonly Row[]): string[] | null {
  const first = rows[0];
  if (!first) return null;
  const columns = Object.keys(first).filter((c) => first[c] !== undefined);
  for (const row of rows) {
    let defined = 0;
    for (const c in row) {
      const value = row[c];
      if (value === undefined) continue;
      if (typeof value === 'object' && value !== null) return null;
      defined++;
    }
    if (defined !== columns.length || columns.some((c) => row[c] === undefined)) return null;
  }
  return columns;
}

function shapeOf(member: BatchInsert | BatchUpdate): Shape | null {
  if (member instanceof RowsInsert) {
    const columns = columnsOf(member.rows);
    return columns && { key: `i ${member.table} ${columns.join(',')} ${member.rows.length} ${member.onConflictDoNothing ?? ''}`, columns };
  }
  if (member instanceof RowsUpdate) {
    const columns = columnsOf([member.set]);
    const whereColumns = columnsOf([member.where]);
    return columns && whereColumns && { key: `u ${member.table} ${columns.join(',')} ${whereColumns.join(',')}`, columns, whereColumns };
  }
  return null;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A member's SQL, its parameters written by `placeholder` (numbered from `from` on PostgreSQL). */
function memberSql(member: RowsInsert | RowsUpdate, shape: Shape, placeholder: (n: number) => string, from = 0): string {
  let n = from;
  if (member instanceof RowsUpdate) {
    const set = shape.columns.map((c) => `${quoted(c)} = ${placeholder(++n)}`).join(', ');
    const where = shape.whereColumns!.map((c) => `${quoted(c)} = ${placeholder(++n)}`).join(' and ');
    return `update ${quoted(member.table)} set ${set} where ${where}`;
  }
  const tuple = () => `(${shape.columns.map(() => placeholder(++n)).join(', ')})`;
  const values = member.rows.map(tuple).join(', ');
  const conflict = member.onConflictDoNothing ? ` on conflict (${quoted(member.onConflictDoNothing)}) do nothing` : '';
  return `insert into ${quoted(member.table)} (${shape.columns.map(quoted).join(', ')}) values ${values}${conflict}`;
}

/** A member's parameters, in its SQL's order. */
function memberValues(member: RowsInsert | RowsUpdate, shape: Shape, into: unknown[]) {
  if (member instanceof RowsUpdate) {
    for (const c of shape.columns) into.push(member.set[c]);
    for (const c of shape.whereColumns!) into.push(member.where[c]);
    return;
  }
  for (const row of member.rows) for (const c of shape.columns) into.push(row[c]);
}

/**
 * SQL kept by shape (200 shapes per back end). A statement of many rows (a large import's batch) is made
 * each time: it is rare, and its text would crowd the cache.
 */
function keptSql(kept: Lru<string, string>, key: string, make: () => string, parameters: number): string {
  if (parameters > MAX_KEPT_PARAMETERS) return kept.get(key) ?? make();
  return kept.getOrMake(key, make);
}

const MAX_KEPT_PARAMETERS = 2_000;
const keptSqlite = new Lru<string, string>(200);
const keptPostgres = new Lru<string, string>(200);

/** SQLite: one member on its own, by kept SQL when it is plain rows; the rows it changed. */
async function runAlone(trx: Queryable, member: BatchInsert | BatchUpdate): Promise<number> {
  const shape = shapeOf(member);
  if (!shape) {
    const built = toBuilder(trx, member);
    const result = await built.executeTakeFirst();
    return Number('numUpdatedRows' in result ? result.numUpdatedRows : (result.numInsertedOrUpdatedRows ?? 0n));
  }
  const plain = member as RowsInsert | RowsUpdate;
  const parameters: unknown[] = [];
  memberValues(plain, shape, parameters);
  const text = keptSql(keptSqlite, shape.key, () => memberSql(plain, shape, () => '?'), parameters.length);
  const result = await trx.executeQuery(CompiledQuery.raw(text, parameters));
  return Number(result.numAffectedRows ?? 0n);
}

/** A member as Kysely's builder (a plain member whose rows differ in their columns, or a mixed statement). */
function toBuilder(trx: Queryable, member: BatchInsert | BatchUpdate): AnyInsert | AnyUpdate {
  if (member instanceof RowsInsert) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const insert = trx.insertInto(member.table).values(member.rows as any) as AnyInsert;
    return member.onConflictDoNothing ? insert.onConflict((oc) => oc.column(member.onConflictDoNothing!).doNothing()) : insert;
  }
  if (member instanceof RowsUpdate) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let update = trx.updateTable(member.table).set(member.set as any) as AnyUpdate;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for (const [column, value] of Object.entries(member.where)) update = update.where(column as any, '=', value);
    return update;
  }
  return member;
}

const cteName = (i: number) => `batch_write_${i}`;

/** How many rows member i changed. */
const countOf = (i: number) => `(select count(*) from ${quoted(cteName(i))})`;

/**
 * The guard of member i: a division by zero unless it changed `rows` rows. A division by zero is the one
 * way a single statement can refuse itself without a function of our own.
 */
const guardOf = (i: number, rows: number) => `1 / (case when ${countOf(i)} = ${rows} then 1 else 0 end)`;

/** The rows expected of each member; whole numbers only, as they are written into the statement. */
function expectedRows(members: number, expected?: readonly (number | undefined)[]): (number | undefined)[] {
  return Array.from({ length: members }, (_, i) => {
    const rows = expected?.[i];
    if (rows !== undefined && !Number.isSafeInteger(rows)) throw new Error(`writeAll: expected rows must be a whole number, not ${rows}`);
    return rows;
  });
}

/** PostgreSQL: the statement of plain members by kept SQL; null when a member is a builder or irregular. */
async function keptStatement(trx: Queryable, members: readonly (BatchInsert | BatchUpdate)[], expected?: readonly (number | undefined)[]) {
  const shapes: Shape[] = [];
  for (const member of members) {
    const shape = shapeOf(member);
    if (!shape) return null;
    shapes.push(shape);
  }
  const plain = members as readonly (RowsInsert | RowsUpdate)[];
  const parameters: unknown[] = [];
  plain.forEach((member, i) => memberValues(member, shapes[i]!, parameters));
  const guarded = expectedRows(members.length, expected);
  const key = `${shapes.map((s) => s.key).join('\n')}\n${guarded.map((rows) => rows ?? '').join(',')}`;
  const text = keptSql(
    keptPostgres,
    key,
    () => {
      let from = 0;
      const ctes = plain.map((member, i) => {
        const body = memberSql(member, shapes[i]!, (n) => `$${n}`, from);
        from += member instanceof RowsUpdate ? shapes[i]!.columns.length + shapes[i]!.whereColumns!.length : member.rows.length * shapes[i]!.columns.length;
        return `${quoted(cteName(i))} as (${body} returning 1 as "one")`;
      });
      const counts = plain.map((_, i) => `${countOf(i)} as "n${i}"`);
      const guards = guarded.flatMap((rows, i) => (rows === undefined ? [] : [`${guardOf(i, rows)} as "g${i}"`]));
      return `with ${ctes.join(', ')} select ${[...counts, ...guards].join(', ')}`;
    },
    parameters.length,
  );
  const result = await trx.executeQuery<Record<string, number | string>>(CompiledQuery.raw(text, parameters));
  return result.rows[0]!;
}

/** PostgreSQL: the statement by Kysely's builders, each member a data-modifying CTE. */
async function builtStatement(trx: Queryable, members: readonly (BatchInsert | BatchUpdate)[], expected?: readonly (number | undefined)[]) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let query: any = trx;
  members.forEach((member, i) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query = query.with(cteName(i), () => (toBuilder(trx, member) as any).returning(sql<number>`1`.as('one')));
  });
  const counts = members.map((_, i) => sql<number>`${sql.raw(countOf(i))}`.as(`n${i}`));
  const guards = expectedRows(members.length, expected).flatMap((rows, i) => (rows === undefined ? [] : [sql<number>`${sql.raw(guardOf(i, rows))}`.as(`g${i}`)]));
  return (await query.selectNoFrom([...counts, ...guards]).executeTakeFirstOrThrow()) as Record<string, number | string>;
}
