import { sql, type InsertQueryBuilder, type InsertResult, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { Dialect, Trx } from './database.ts';
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
 */
export async function writeAll(dialect: Dialect, trx: Trx, inserts: readonly AnyInsert[], update?: AnyUpdate): Promise<{ inserted: number[]; updated: number }> {
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
  const row = (await query
    .selectNoFrom(members.map((_, i) => sql<number>`(select count(*) from ${sql.table(name(i))})`.as(`n${i}`)))
    .executeTakeFirstOrThrow()) as Record<string, number | string>;
  const counts = members.map((_, i) => Number(row[`n${i}`]));
  return { inserted: counts.slice(0, inserts.length), updated: update ? counts[inserts.length]! : 0 };
}
