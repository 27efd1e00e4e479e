import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import type { Dialect } from '../db/database.ts';
import { genesisHash, hashAuditRow, hashCheckpoint } from './audit.ts';

export interface VerifyProblem {
  /** The audit row (or checkpoint) where the log stops being trustworthy. */
  rowId: string | null;
  chainId: string | null;
  seq: number | null;
  problem: string;
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  chains: number;
  checkpoints: number;
  problem: VerifyProblem | null;
}

const PAGE = 5000;

/**
 * Walks every chain from its genesis: sequence numbers without gaps, each row naming its
 * predecessor's hash, each row's hash matching its content, each chain ending at its recorded head,
 * and every checkpoint matching the rows it names. Reads one consistent snapshot.
 */
export async function verifyAuditLog(
  db: Kysely<DB>,
  dialect: Dialect,
  onProgress?: (rowsChecked: number) => void,
): Promise<VerifyResult> {
  let tx = db.transaction();
  if (dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read');
  return tx.execute(async (trx) => {
    const fail = (problem: VerifyProblem, rows: number, chains: number, checkpoints = 0): VerifyResult => ({
      ok: false,
      rows,
      chains,
      checkpoints,
      problem,
    });
    const chains = await trx.selectFrom('audit_chain').selectAll().orderBy('created_at').orderBy('id').execute();
    const chainIds = new Set(chains.map((c) => c.id));
    let rows = 0;

    const stray = await trx
      .selectFrom('audit_event')
      .select(['id', 'chain_id', 'seq'])
      .where((eb) => (chainIds.size ? eb('chain_id', 'not in', [...chainIds]) : eb.lit(true)))
      .orderBy('at')
      .limit(1)
      .executeTakeFirst();
    if (stray) {
      return fail({ rowId: stray.id, chainId: stray.chain_id, seq: Number(stray.seq), problem: 'row belongs to no known chain (inserted)' }, 0, chains.length);
    }

    // Only the rows that checkpoints name are remembered, so a long log verifies in constant memory.
    const checkpoints = await trx.selectFrom('audit_checkpoint').selectAll().orderBy('seq').execute();
    const wanted = new Map<string, Set<number>>();
    for (const cp of checkpoints) {
      for (const [chainId, [seq]] of Object.entries(JSON.parse(cp.heads) as Record<string, [number, string]>)) {
        if (!wanted.has(chainId)) wanted.set(chainId, new Set());
        wanted.get(chainId)!.add(seq);
      }
    }
    const seenAt = new Map<string, Map<number, string>>();
    for (const chain of chains) {
      const keep = wanted.get(chain.id);
      let expectedSeq = 1;
      let prev = genesisHash(chain.id);
      const hashes = new Map<number, string>();
      seenAt.set(chain.id, hashes);
      for (;;) {
        const page = await trx
          .selectFrom('audit_event')
          .selectAll()
          .where('chain_id', '=', chain.id)
          .where('seq', '>=', expectedSeq)
          .orderBy('seq')
          .limit(PAGE)
          .execute();
        for (const row of page) {
          const seq = Number(row.seq);
          const at = { rowId: row.id, chainId: chain.id, seq };
          if (seq !== expectedSeq) return fail({ ...at, problem: `rows ${expectedSeq}–${seq - 1} of this chain are missing (deleted) before this row` }, rows, chains.length);
          if (row.prev_hash !== prev) return fail({ ...at, problem: 'does not follow the previous row (reordered, inserted or deleted rows)' }, rows, chains.length);
          if (hashAuditRow(row) !== row.hash) return fail({ ...at, problem: 'content does not match its hash (edited)' }, rows, chains.length);
          prev = row.hash;
          if (keep?.has(seq)) hashes.set(seq, row.hash);
          expectedSeq++;
          rows++;
        }
        onProgress?.(rows);
        if (page.length < PAGE) break;
      }
      const headSeq = Number(chain.head_seq);
      if (headSeq !== expectedSeq - 1 || chain.head_hash !== prev) {
        return fail(
          {
            rowId: null,
            chainId: chain.id,
            seq: expectedSeq - 1,
            problem: headSeq > expectedSeq - 1 ? `chain ends at row ${expectedSeq - 1} but its head says ${headSeq} (rows deleted from the end)` : 'chain head does not match its last row',
          },
          rows,
          chains.length,
        );
      }
    }

    let prevCheckpoint = genesisHash('checkpoints');
    let n = 0;
    for (const cp of checkpoints) {
      n++;
      const at = { rowId: cp.id, chainId: null, seq: Number(cp.seq) };
      if (Number(cp.seq) !== n) return fail({ ...at, problem: `checkpoint ${n} is missing` }, rows, chains.length, n);
      if (cp.prev_hash !== prevCheckpoint || hashCheckpoint(cp) !== cp.hash) {
        return fail({ ...at, problem: 'checkpoint was edited or reordered' }, rows, chains.length, n);
      }
      const heads = JSON.parse(cp.heads) as Record<string, [number, string]>;
      for (const [chainId, [seq, hash]] of Object.entries(heads)) {
        const chainHashes = seenAt.get(chainId);
        if (!chainHashes) return fail({ ...at, problem: `chain ${chainId} named by this checkpoint is gone (deleted)` }, rows, chains.length, n);
        if (chainHashes.get(seq) !== hash) {
          return fail({ rowId: null, chainId, seq, problem: `row ${seq} of chain ${chainId} no longer matches checkpoint ${cp.seq}` }, rows, chains.length, n);
        }
      }
      prevCheckpoint = cp.hash;
    }
    return { ok: true, rows, chains: chains.length, checkpoints: n, problem: null };
  });
}
