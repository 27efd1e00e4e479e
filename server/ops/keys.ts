import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { decryptField, encryptField, fieldContext, keyIdOf } from '../lib/crypto.ts';
import { ENCRYPTED_COLUMNS } from '../lib/sealed.ts';

const BATCH = 500;

/** How many rows hold at least one sealed value, for the progress bar's total. */
export async function countSealedRows(ctx: AppContext): Promise<number> {
  let total = 0;
  for (const { table, columns } of ENCRYPTED_COLUMNS) {
    const anyValue = sql.join(columns.map((c) => sql`${sql.ref(c)} is not null`), sql` or `);
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${anyValue}`.execute(ctx.db);
    total += Number(r.rows[0]?.n ?? 0);
  }
  return total;
}

/**
 * Re-encrypts every sealed value that is not under the active key, in batches of 500 rows, each batch
 * one transaction with its audit row, so a rotation stopped halfway can simply be run again.
 */
export async function reencryptAll(ctx: AppContext, onProgress: (rowsDone: number) => void): Promise<{ rows: number; values: number }> {
  let rowsDone = 0;
  let values = 0;
  for (const { table, columns } of ENCRYPTED_COLUMNS) {
    let after = '';
    const anyValue = sql.join(columns.map((c) => sql`${sql.ref(c)} is not null`), sql` or `);
    for (;;) {
      const page = await sql<Record<string, string | null> & { id: string }>`select id, ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} where id > ${after} and (${anyValue}) order by id limit ${BATCH}`.execute(ctx.db);
      if (page.rows.length === 0) break;
      let changedInBatch = 0;
      await ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: 'lantern keys rotate', requestId: null } }, async (tx) => {
        for (const row of page.rows) {
          const updates: Record<string, string> = {};
          for (const column of columns) {
            const stored = row[column];
            if (!stored || keyIdOf(stored) === ctx.keyring.activeKeyId) continue;
            const context = fieldContext(table, column, row.id);
            updates[column] = encryptField(ctx.keyring, decryptField(ctx.keyring, stored, context), context);
          }
          if (Object.keys(updates).length) {
            // Only where the value is still the one read: a change made meanwhile (a new phone, an MFA
            // reset) must not be overwritten with the old value. A skipped row is picked up by a re-run.
            let update = tx.db.updateTable(table as never).set(updates as never).where('id' as never, '=', row.id as never);
            for (const column of Object.keys(updates)) update = update.where(column as never, '=', row[column] as never);
            const result = await update.executeTakeFirst();
            if (Number(result.numUpdatedRows) === 1) changedInBatch += Object.keys(updates).length;
          }
        }
        if (changedInBatch) tx.audit({ action: 'keys.rotate', recordType: table, detail: { values: changedInBatch, keyId: ctx.keyring.activeKeyId } });
      });
      values += changedInBatch;
      rowsDone += page.rows.length;
      onProgress(rowsDone);
      after = page.rows.at(-1)!.id;
    }
  }
  return { rows: rowsDone, values };
}
