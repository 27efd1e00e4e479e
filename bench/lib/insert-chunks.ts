import type { Queryable } from '../../server/db/database.ts';
import type { DB } from '../../server/db/schema/index.ts';

/** Parameters in one statement: SQLite allows 32,766, PostgreSQL 65,535. */
const PARAMETERS = 30_000;

/**
 * Writes generated rows in multi-row inserts, as many rows to a statement as stay under both back
 * ends' parameter limits (every row has the first row's columns). Seeding a million rows one insert
 * at a time would take longer than the measurement.
 */
export async function insertChunks(db: Queryable, table: keyof DB & string, rows: readonly object[]): Promise<void> {
  const chunk = Math.floor(PARAMETERS / Object.keys(rows[0] ?? { x: 1 }).length);
  for (let i = 0; i < rows.length; i += chunk) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + chunk) as any).execute();
  }
}
