import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import type { Dialect } from '../db/database.ts';
import { checkpointSigningText, genesisFor, genesisHash, hashCheckpoint, keyedGenesis, macCheckpoint, rowHashFor, type AuditScheme } from './audit.ts';
import type { AuditKeys } from './audit-keys.ts';
import type { AnchorsRead, ReadAnchor } from './audit-anchors.ts';

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
  /** Chains written before keyed auditing (plain SHA-256), which only a keyed checkpoint protects. */
  legacyChains: number;
  /** What the anchors covered: null when none were given. */
  anchors: { count: number; lastSeq: number | null; lastAt: string | null } | null;
  problem: VerifyProblem | null;
}

export interface VerifyOptions {
  /** Checkpoints as written outside the database; without them, deletions at the end go unseen. */
  anchors?: AnchorsRead | null;
  onProgress?: (rowsChecked: number) => void;
}

const PAGE = 5000;
type Heads = Record<string, [number, string]>;

const where = (a: ReadAnchor) => `${a.file} line ${a.line}`;

/**
 * Walks every chain from its genesis: sequence numbers without gaps, each row naming its
 * predecessor's hash, each row's MAC matching its content under the audit key (plain SHA-256 for
 * chains from before keyed auditing), each chain ending at its recorded head; then every checkpoint:
 * numbered without gaps, chained, keyed and signed, matching the rows it names; then every anchor:
 * signed by the audit key and present, unchanged, among the checkpoints. Reads one consistent snapshot:
 * its own read transaction, or the caller's (a restore verifies what it wrote before it commits).
 * Stops at the first problem and names it.
 */
export async function verifyAuditLog(db: Kysely<DB>, dialect: Dialect, keys: AuditKeys, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const inSnapshot = (fn: (trx: Kysely<DB>) => Promise<VerifyResult>) => {
    if (db.isTransaction) return fn(db);
    let tx = db.transaction();
    if (dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read');
    return tx.execute(fn);
  };
  return inSnapshot(async (trx) => {
    const chains = await trx.selectFrom('audit_chain').selectAll().orderBy('created_at').orderBy('id').execute();
    const checkpoints = await trx.selectFrom('audit_checkpoint').selectAll().orderBy('seq').execute();
    const anchors = opts.anchors ? [...opts.anchors.anchors].sort((a, b) => a.seq - b.seq) : null;
    const result: VerifyResult = {
      ok: true,
      rows: 0,
      chains: chains.length,
      checkpoints: 0,
      legacyChains: chains.filter((c) => Number(c.version) === 1).length,
      anchors: anchors ? { count: anchors.length, lastSeq: anchors.at(-1)?.seq ?? null, lastAt: anchors.at(-1)?.at ?? null } : null,
      problem: null,
    };
    const fail = (problem: VerifyProblem): VerifyResult => ({ ...result, ok: false, problem });
    const otherKey = (what: string, keyId: string | null) =>
      `${what} was written under audit key ${keyId ?? '(none)'}, but this verifier holds ${keys.keyId} (${keys.source}): use the audit key the log was written with`;

    // The anchors first: an anchor that does not verify means the anchors file itself was changed.
    if (opts.anchors) {
      const bad = opts.anchors.malformed[0];
      if (bad) return fail({ rowId: null, chainId: null, seq: null, problem: `${bad.file} line ${bad.line} is not an anchor (edited by hand, or cut short by a crash)` });
      const seen = new Map<number, ReadAnchor>();
      for (const a of anchors!) {
        const at = { rowId: a.id, chainId: null, seq: a.seq };
        if (a.key_id !== keys.keyId) return fail({ ...at, problem: `the anchor at ${where(a)}: ${otherKey('it', a.key_id)}` });
        if (!keys.verifySignature(checkpointSigningText(a), a.signature)) {
          return fail({ ...at, problem: `the anchor at ${where(a)} has a bad signature (the anchors file was edited)` });
        }
        const twin = seen.get(a.seq);
        if (twin && checkpointSigningText(twin) !== checkpointSigningText(a)) {
          return fail({ ...at, problem: `two different anchors for checkpoint ${a.seq}: ${where(twin)} and ${where(a)} (the database was rolled back or rewritten between them)` });
        }
        seen.set(a.seq, a);
      }
    }

    const chainIds = new Set(chains.map((c) => c.id));
    const stray = await trx
      .selectFrom('audit_event')
      .select(['id', 'chain_id', 'seq'])
      .where((eb) => (chainIds.size ? eb('chain_id', 'not in', [...chainIds]) : eb.lit(true)))
      .orderBy('at')
      .limit(1)
      .executeTakeFirst();
    if (stray) return fail({ rowId: stray.id, chainId: stray.chain_id, seq: Number(stray.seq), problem: 'row belongs to no known chain (inserted, or its chain was deleted)' });

    // Only the rows that checkpoints name are remembered, so a long log verifies in constant memory.
    const wanted = new Map<string, Set<number>>();
    for (const cp of checkpoints) {
      for (const [chainId, [seq]] of Object.entries(JSON.parse(cp.heads) as Heads)) {
        if (!wanted.has(chainId)) wanted.set(chainId, new Set());
        wanted.get(chainId)!.add(seq);
      }
    }
    const seenAt = new Map<string, Map<number, string>>();
    for (const chain of chains) {
      const scheme = Number(chain.version) as AuditScheme;
      if (scheme !== 1 && scheme !== 2) return fail({ rowId: null, chainId: chain.id, seq: null, problem: `chain has an unknown version ${chain.version}` });
      if (scheme === 2 && chain.key_id !== keys.keyId) return fail({ rowId: null, chainId: chain.id, seq: null, problem: otherKey('this chain', chain.key_id) });
      const keep = wanted.get(chain.id);
      let expectedSeq = 1;
      let prev = genesisFor(scheme, keys, chain.id);
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
          if (seq !== expectedSeq) return fail({ ...at, problem: `rows ${expectedSeq}–${seq - 1} of this chain are missing (deleted) before this row` });
          if (row.prev_hash !== prev) return fail({ ...at, problem: 'does not follow the previous row (reordered, inserted or deleted rows)' });
          if (rowHashFor(scheme, keys, row) !== row.hash) {
            return fail({ ...at, problem: scheme === 2 ? 'content does not match its MAC (edited, or re-hashed without the audit key)' : 'content does not match its hash (edited)' });
          }
          prev = row.hash;
          if (keep?.has(seq)) hashes.set(seq, row.hash);
          expectedSeq++;
          result.rows++;
        }
        opts.onProgress?.(result.rows);
        if (page.length < PAGE) break;
      }
      const headSeq = Number(chain.head_seq);
      if (headSeq !== expectedSeq - 1 || chain.head_hash !== prev) {
        return fail({
          rowId: null,
          chainId: chain.id,
          seq: expectedSeq - 1,
          problem: headSeq > expectedSeq - 1 ? `chain ends at row ${expectedSeq - 1} but its head says ${headSeq} (rows deleted from the end)` : 'chain head does not match its last row',
        });
      }
    }

    // Every anchored checkpoint must still be in the database, unchanged: same MAC, so same heads.
    // Deleting checkpoints, or rows and the checkpoints that named them, shows here.
    const bySeq = new Map(checkpoints.map((c) => [Number(c.seq), c]));
    for (const a of anchors ?? []) {
      const cp = bySeq.get(a.seq);
      if (!cp) return fail({ rowId: a.id, chainId: null, seq: a.seq, problem: `checkpoint ${a.seq}, anchored at ${where(a)}, is missing from the database (deleted)` });
      if (checkpointSigningText({ ...cp, key_id: cp.key_id ?? '' }) !== checkpointSigningText(a)) {
        return fail({ rowId: cp.id, chainId: null, seq: a.seq, problem: `checkpoint ${a.seq} differs from its anchor at ${where(a)} (rewritten)` });
      }
    }

    let prevCheckpoint: string | null = null;
    let firstKeyed: Heads | null = null;
    for (const cp of checkpoints) {
      const n = ++result.checkpoints;
      const at = { rowId: cp.id, chainId: null, seq: Number(cp.seq) };
      const scheme = Number(cp.version);
      if (Number(cp.seq) !== n) return fail({ ...at, problem: `checkpoint ${n} is missing (deleted)` });
      if (scheme === 1) {
        if (firstKeyed) return fail({ ...at, problem: 'an unkeyed (version 1) checkpoint after keyed ones (downgraded)' });
        if (cp.prev_hash !== (prevCheckpoint ?? genesisHash('checkpoints')) || hashCheckpoint(cp) !== cp.hash) {
          return fail({ ...at, problem: 'checkpoint was edited or reordered' });
        }
      } else if (scheme === 2) {
        if (cp.key_id !== keys.keyId) return fail({ ...at, problem: otherKey('this checkpoint', cp.key_id) });
        if (cp.prev_hash !== (prevCheckpoint ?? keyedGenesis(keys, 'checkpoints')) || macCheckpoint(keys, cp) !== cp.hash) {
          return fail({ ...at, problem: 'checkpoint was edited, reordered or re-hashed without the audit key' });
        }
        if (!cp.signature || !keys.verifySignature(checkpointSigningText({ ...cp, key_id: cp.key_id }), cp.signature)) {
          return fail({ ...at, problem: 'checkpoint signature does not verify' });
        }
      } else return fail({ ...at, problem: `checkpoint has an unknown version ${cp.version}` });
      const heads = JSON.parse(cp.heads) as Heads;
      if (scheme === 2) firstKeyed ??= heads;
      for (const [chainId, [seq, hash]] of Object.entries(heads)) {
        const chainHashes = seenAt.get(chainId);
        if (!chainHashes) return fail({ ...at, problem: `chain ${chainId} named by checkpoint ${cp.seq} is gone (deleted)` });
        if (chainHashes.get(seq) !== hash) return fail({ rowId: null, chainId, seq, problem: `row ${seq} of chain ${chainId} no longer matches checkpoint ${cp.seq}` });
      }
      prevCheckpoint = cp.hash;
    }

    // A chain from before keyed auditing must be complete by the first keyed checkpoint, which from then
    // on holds its head under the key: a keyed chain cannot pass itself off as an old one.
    if (firstKeyed) {
      for (const chain of chains.filter((c) => Number(c.version) === 1 && Number(c.head_seq) > 0)) {
        const sealed = firstKeyed[chain.id];
        if (!sealed || sealed[0] !== Number(chain.head_seq)) {
          return fail({ rowId: null, chainId: chain.id, seq: Number(chain.head_seq), problem: 'an unkeyed (version 1) chain that the first keyed checkpoint does not hold whole (downgraded, or written to after keyed auditing began)' });
        }
      }
    }
    return result;
  });
}
