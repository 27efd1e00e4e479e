import { sql, type InsertQueryBuilder, type InsertResult } from 'kysely';
import type { Dialect, Trx } from './database.ts';
import type { DB } from './schema/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyInsert = InsertQueryBuilder<DB, any, InsertResult>;

/**
 * Runs several inserts of one transaction and returns how many rows each inserted. On PostgreSQL they go
 * as one statement (each a data-modifying CTE): one round trip instead of one each, which is what a
 * short write transaction's throughput is made of there. SQLite runs in process, where a statement costs
 * no round trip: they run in turn. The inserts must not depend on each other's rows within the batch
 * (PostgreSQL's CTEs all see the same snapshot); a foreign key between them is fine, checked at the end
 * of the statement.
 */
export async function insertAll(dialect: Dialect, trx: Trx, inserts: readonly AnyInsert[]): Promise<number[]> {
  if (dialect !== 'postgres') {
    const counts: number[] = [];
    for (const insert of inserts) counts.push(Number((await insert.executeTakeFirst()).numInsertedOrUpdatedRows ?? 0n));
    return counts;
  }
  const name = (i: number) => `batch_insert_${i}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let query: any = trx;
  inserts.forEach((insert, i) => {
    query = query.with(name(i), () => insert.returning(sql<number>`1`.as('one')));
  });
  const row = (await query
    .selectNoFrom(inserts.map((_, i) => sql<number>`(select count(*) from ${sql.table(name(i))})`.as(`n${i}`)))
    .executeTakeFirstOrThrow()) as Record<string, number | string>;
  return inserts.map((_, i) => Number(row[`n${i}`]));
}
