import { sql, type InsertQueryBuilder, type InsertResult, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { Dialect, Queryable, Trx } from './database.ts';
import type { DB } from './schema/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyInsert = InsertQueryBuilder<DB, any, InsertResult>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyUpdate = UpdateQueryBuilder<DB, any, any, UpdateResult>;

/**
 * Runs several inserts of one transaction and returns how many rows each inserted. On PostgreSQL they go
 * as one statement (each a data-modifying CTE): one round trip instead of one each, which is what a
 * short write transaction's throughput is made of there. SQLite runs in process, where a statement costs
 * no round trip: they run in turn. The inserts must not depend on each other's rows within the batch
 * (PostgreSQL's CTEs all see the same snapshot); a foreign key between them is fine, checked at the end
 * of the statement.
 */
export async function insertAll(dialect: Dialect, trx: Trx, inserts: readonly AnyInsert[]): Promise<number[]> {
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
 */
export async function writeAll(
  dialect: Dialect,
  trx: Queryable,
  inserts: readonly AnyInsert[],
  update?: AnyUpdate,
  expected?: readonly (number | undefined)[],
): Promise<{ inserted: number[]; updated: number }> {
  if (dialect !== 'postgres') {
    const inserted: number[] = [];
    for (const insert of inserts) inserted.push(Number((await insert.executeTakeFirst()).numInsertedOrUpdatedRows ?? 0n));
    const updated = update ? Number((await update.executeTakeFirst()).numUpdatedRows) : 0;
    return { inserted, updated };
  }
  if (inserts.length === 0 && !update) return { inserted: [], updated: 0 };
  const name = (i: number) => `batch_write_${i}`;
  const members = [...inserts, ...(update ? [update] : [])];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let query: any = trx;
  members.forEach((member, i) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query = query.with(name(i), () => (member as any).returning(sql<number>`1`.as('one')));
  });
  const counted = (i: number) => sql<number>`(select count(*) from ${sql.table(name(i))})`;
  // A division by zero is the one way a single statement can refuse itself without a function of our own.
  const guards = members.flatMap((_, i) => {
    const rows = expected?.[i];
    return rows === undefined ? [] : [sql<number>`1 / (case when ${counted(i)} = ${sql.lit(rows)} then 1 else 0 end)`.as(`g${i}`)];
  });
  const row = (await query
    .selectNoFrom([...members.map((_, i) => counted(i).as(`n${i}`)), ...guards])
    .executeTakeFirstOrThrow()) as Record<string, number | string>;
  const counts = members.map((_, i) => Number(row[`n${i}`]));
  return { inserted: counts.slice(0, inserts.length), updated: update ? counts[inserts.length]! : 0 };
}

/** The statement of `writeAll` refused itself: a member changed other than the rows expected of it. */
export function isExpectationMissed(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '22012';
}
