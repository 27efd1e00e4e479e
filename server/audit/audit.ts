import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { sha256Hex } from '../lib/crypto.ts';
import { newId } from '../lib/ids.ts';
import { keyPending, recordIdempotencyKey } from '../lib/idempotency.ts';
import { forUpdate, lockUntilCommit, type Dialect, type Queryable, type Trx } from '../db/database.ts';
import { insertRows, isExpectationMissed, updateWhere, writeAll, type BatchInsert } from '../db/batch.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { AuditEventTable, DB } from '../db/schema/index.ts';
import type { AuditKeys } from './audit-keys.ts';
import type { Anchor, AnchorSink } from './audit-anchors.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Who is asking and from where; carried by every request into every audit row. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditActor {
  userId: string;
  agencyId: string;
}

export interface AuditEntry {
  action: string;
  recordType?: string;
  recordId?: string;
  /** The agency that owns the record, so its administrator can review who touched it. */
  recordAgencyId?: string | null;
  outcome?: AuditOutcome;
  /** Names of changed fields, never their values. */
  changedFields?: string[];
  /** Non-sensitive detail: reasons, counts; never a record's field values. */
  detail?: Record<string, string | number | boolean | null>;
  /** Overrides the transaction's actor (e.g. a logon before the session exists). */
  actor?: AuditActor | null;
  /** Overrides the transaction's request (a group commit writes several requests' records in one). */
  meta?: RequestMeta;
}

export interface Who {
  actor: AuditActor | null;
  meta: RequestMeta;
}

/** A unit of work: the write and the audit rows that record it commit together or not at all. */
export interface Tx {
  db: Trx;
  audit(entry: AuditEntry): void;
  /**
   * An insert sent with the audit rows once the work is done: on PostgreSQL in the same statement (one
   * round trip for the record, its audit rows and the chain's head). Nothing in the work may read its
   * rows. With `expect`, an insert of any other number of rows rolls everything back and fails with
   * `expect.otherwise()`.
   */
  insertAtEnd(insert: BatchInsert, expect?: RowsExpected): void;
}

/** How many rows an insert must write, and the failure when it writes another number (a replayed proof). */
export interface RowsExpected {
  rows: number;
  otherwise: () => Error;
}

/**
 * The same transaction, auditing as `who`: a group commit writes several requests' records in one
 * transaction, and each request's audit rows still name its own actor and request. An entry that names
 * its actor itself (the system's act, `actor: null`) keeps it.
 */
export function auditingAs(tx: Tx, who: Who): Tx {
  return {
    db: tx.db,
    insertAtEnd: (insert, expect) => tx.insertAtEnd(insert, expect),
    audit: (e) => tx.audit({ ...e, actor: e.actor === undefined ? who.actor : e.actor, meta: e.meta ?? who.meta }),
  };
}

/** A unit of work's audit entries and end inserts as it stages them, and the `Tx` that collects them. */
function staging() {
  const pending: AuditEntry[] = [];
  const atEnd: { insert: BatchInsert; expect?: RowsExpected | undefined }[] = [];
  const tx = (db: Trx): Tx => ({ db, audit: (e) => pending.push(e), insertAtEnd: (insert, expect) => atEnd.push({ insert, expect }) });
  return { pending, atEnd, tx };
}

/** A chain's last row as this process last committed it. */
interface Head {
  seq: number;
  hash: string;
}

/** The head kept in memory no longer matched the database (it was restored or rewritten): read it again. */
class StaleChainHead extends Error {}

/** A unique violation of an audit row's place in its chain (`audit_event_chain_seq`), on either back end. */
function isChainSeqTaken(err: unknown): boolean {
  const e = err as { constraint?: unknown; message?: unknown } | null;
  return isUniqueViolation(err) && (e?.constraint === 'audit_event_chain_seq' || String(e?.message).includes('audit_event.chain_id, audit_event.seq'));
}

const HASHED_FIELDS = [
  'id',
  'chain_id',
  'seq',
  'at',
  'actor_user_id',
  'actor_agency_id',
  'action',
  'record_type',
  'record_id',
  'record_agency_id',
  'outcome',
  'changed_fields',
  'ip',
  'user_agent',
  'request_id',
  'detail',
  'prev_hash',
] as const satisfies readonly (keyof AuditEventTable)[];

/**
 * The scheme a chain or checkpoint was written under. 1: plain SHA-256, before keyed auditing
 * (migration 0005); anyone who can write the database can recompute it. 2: HMAC-SHA-256 under the
 * audit key, checkpoints also signed. Every new chain and checkpoint is 2.
 */
export type AuditScheme = 1 | 2;
export const CURRENT_SCHEME: AuditScheme = 2;

type HashedRow = Pick<AuditEventTable, (typeof HASHED_FIELDS)[number]>;
const rowContent = (row: HashedRow) => HASHED_FIELDS.map((f) => (f === 'seq' ? Number(row[f]) : row[f]));

/** Scheme 1's content hash of an audit row: every column but the hash itself, in a fixed order. */
export function hashAuditRow(row: HashedRow): string {
  return sha256Hex(JSON.stringify(rowContent(row)));
}

/** Scheme 2: the same content, keyed, and tagged so a row's MAC can never pass for a checkpoint's. */
export function macAuditRow(keys: AuditKeys, row: HashedRow): string {
  return keys.mac(JSON.stringify(['lantern-audit-row', ...rowContent(row)]));
}

export function rowHashFor(scheme: AuditScheme, keys: AuditKeys, row: HashedRow): string {
  return scheme === 1 ? hashAuditRow(row) : macAuditRow(keys, row);
}

/** Scheme 1's start of a chain (or of the checkpoints, with `checkpoints`). */
export function genesisHash(chainId: string): string {
  return sha256Hex(`lantern-audit-genesis:${chainId}`);
}

/** Scheme 2's start: keyed, so a chain nobody with the key opened has no valid first row. */
export function keyedGenesis(keys: AuditKeys, chainId: string): string {
  return keys.mac(`lantern-audit-genesis:${chainId}`);
}

export function genesisFor(scheme: AuditScheme, keys: AuditKeys, chainId: string): string {
  return scheme === 1 ? genesisHash(chainId) : keyedGenesis(keys, chainId);
}

/**
 * Hands out this process's chains, one transaction at a time, so appends never wait for another
 * writer's commit. There are as many chains as database connections, so a transaction that holds a
 * connection never waits for a chain either.
 */
class ChainPool {
  private free: string[] = [];
  private waiters: ((id: string) => void)[] = [];
  readonly all: string[] = [];

  add(id: string) {
    this.all.push(id);
    this.release(id);
  }
  acquire(): Promise<string> {
    const id = this.free.pop();
    if (id) return Promise.resolve(id);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(id: string) {
    const waiter = this.waiters.shift();
    if (waiter) waiter(id);
    else this.free.push(id);
  }
}

export class AuditLog {
  private pool = new ChainPool();
  /** Each chain's head as last committed by this process; absent when unknown (read it under a lock). */
  private heads = new Map<string, Head>();
  private started: Promise<void> | null = null;
  private dirty = false;
  private checkpointing: Promise<void> = Promise.resolve();
  /** Checkpoints committed but not yet anchored (the sink failed): tried again at the next checkpoint. */
  private unanchored: Anchor[] = [];

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    private readonly chains: number,
    /** The audit key; never stored in the database. */
    readonly keys: AuditKeys,
    /** Where each checkpoint is also written, outside the database; null writes none (tests only). */
    readonly anchors: AnchorSink | null,
  ) {}

  /** Opens this process's chains. Called once at start; later calls wait for the first. */
  start(): Promise<void> {
    this.started ??= (async () => {
      const writer = `${os.hostname()}:${process.pid}`.slice(0, 200);
      for (let i = 0; i < this.chains; i++) {
        const id = newId();
        const genesis = keyedGenesis(this.keys, id);
        await this.db
          .insertInto('audit_chain')
          .values({ id, created_at: this.clock.now().toISOString(), writer, head_seq: 0, head_hash: genesis, version: CURRENT_SCHEME, key_id: this.keys.keyId })
          .execute();
        this.heads.set(id, { seq: 0, hash: genesis });
        this.pool.add(id);
      }
    })();
    return this.started;
  }

  /**
   * Runs `work` in one transaction and appends its audit rows before the commit. The chain's head comes
   * from memory (this process alone writes its chains, one transaction at a time); the append checks it
   * in the database as it moves it, and a head that moved under us (a restore) is read again and the
   * work run once more.
   */
  async transact<T>(who: Who, work: (tx: Tx) => Promise<T>): Promise<T> {
    await this.start();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(who, work);
      } catch (err) {
        if (!(err instanceof StaleChainHead) || attempt > 0) throw err;
      }
    }
  }

  private async attempt<T>(who: Who, work: (tx: Tx) => Promise<T>): Promise<T> {
    const { pending, atEnd, tx } = staging();
    const held: { chain: string | null; head: Head | null } = { chain: null, head: null };
    try {
      const result = await this.db.transaction().execute(async (trx) => {
        // SQLite: take the write lock first (a no-op write), as BEGIN IMMEDIATE would. A transaction that
        // read first and wrote later would fail at once if another process (the CLI) had written in
        // between; taking the lock up front makes it wait its turn under busy_timeout instead.
        if (this.dialect === 'sqlite') await sql`update audit_chain set head_seq = head_seq where 1 = 0`.execute(trx);
        const result = await work(tx(trx));
        const inserts = atEnd.map((a) => a.insert);
        let inserted: number[];
        if (pending.length > 0) {
          held.chain = await this.pool.acquire();
          ({ inserted, head: held.head } = await this.append(trx, held.chain, who, pending, inserts));
        } else {
          ({ inserted } = await writeAll(this.dialect, trx, inserts));
        }
        atEnd.forEach((a, i) => {
          if (a.expect && inserted[i] !== a.expect.rows) throw a.expect.otherwise();
        });
        // A create sent with an Idempotency-Key commits its key with it (server/lib/idempotency.ts).
        await recordIdempotencyKey(trx, this.clock.now(), pending);
        return result;
      });
      // Committed: the chain's head is what this transaction wrote.
      if (held.chain && held.head) this.heads.set(held.chain, held.head);
      return result;
    } catch (err) {
      // Rolled back, or the commit's outcome is unknown: the next append reads the head from the database.
      if (held.chain) this.heads.delete(held.chain);
      throw err;
    } finally {
      if (held.chain) this.pool.release(held.chain);
    }
  }

  /** Records one event in its own transaction (a denial, a failed logon). */
  record(who: Who, entry: AuditEntry): Promise<void> {
    return this.transact(who, async (tx) => tx.audit(entry));
  }

  /**
   * `transact` for work that only stages inserts and audit entries (`stage` reads nothing, and `tx.db`
   * only builds the inserts). On PostgreSQL they go as one statement with no transaction around it: a
   * statement is atomic by itself, so BEGIN and COMMIT, two of a short write's four round trips, are
   * saved. What the transaction's checks would refuse, the statement refuses itself, writing nothing
   * (`writeAll`'s `expected`: the chain's head must move from the one in memory, each insert write its
   * rows); the work is then run again by `transact`, which reads the head under a lock and fails as it
   * would have. A request sent with an Idempotency-Key records its key in the transaction: `transact`.
   */
  async writeAlone(who: Who, stage: (tx: Tx) => void): Promise<void> {
    if (this.dialect !== 'postgres' || keyPending()) return this.transact(who, async (tx) => stage(tx));
    await this.start();
    const { pending, atEnd, tx } = staging();
    // Outside a transaction `db` only builds the inserts: `stage` runs none of them.
    stage(tx(this.db as unknown as Trx));
    const chain = await this.pool.acquire();
    try {
      const from = this.heads.get(chain);
      if (from && pending.length) {
        const expected = atEnd.map((a) => a.expect?.rows);
        try {
          const { head } = await this.append(this.db, chain, who, pending, atEnd.map((a) => a.insert), expected);
          this.heads.set(chain, head);
          return;
        } catch (err) {
          this.heads.delete(chain);
          if (!(err instanceof StaleChainHead) && !isExpectationMissed(err)) throw err;
        }
      }
    } finally {
      this.pool.release(chain);
    }
    // The head was unknown or moved, or an insert wrote other than expected: nothing was written.
    return this.transact(who, async (tx) => stage(tx));
  }

  /**
   * Appends the rows and moves the chain's head, with `inserts`, in one statement on PostgreSQL. The head
   * moves only from the one the rows were chained to; had it moved, the transaction rolls back.
   */
  private async append(
    trx: Queryable,
    chainId: string,
    who: Who,
    entries: AuditEntry[],
    inserts: BatchInsert[],
    /** Outside a transaction: each insert's rows, and the head's move, checked by the statement itself. */
    expected?: (number | undefined)[],
  ): Promise<{ inserted: number[]; head: Head }> {
    let from = this.heads.get(chainId);
    if (!from) {
      const row = await forUpdate(this.dialect, trx.selectFrom('audit_chain').select(['head_seq', 'head_hash']).where('id', '=', chainId)).executeTakeFirstOrThrow();
      from = { seq: Number(row.head_seq), hash: row.head_hash };
    }
    let seq = from.seq;
    let prev = from.hash;
    const at = this.clock.now();
    const rows: AuditEventTable[] = entries.map((e) => {
      const actor = e.actor === undefined ? who.actor : e.actor;
      const meta = e.meta ?? who.meta;
      const row = {
        id: newId(at.getTime()),
        chain_id: chainId,
        seq: ++seq,
        at: at.toISOString(),
        actor_user_id: actor?.userId ?? null,
        actor_agency_id: actor?.agencyId ?? null,
        action: e.action,
        record_type: e.recordType ?? null,
        record_id: e.recordId ?? null,
        record_agency_id: e.recordAgencyId ?? null,
        outcome: e.outcome ?? 'success',
        changed_fields: JSON.stringify(e.changedFields ?? []),
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 500) ?? null,
        request_id: meta.requestId,
        detail: JSON.stringify(e.detail ?? {}),
        prev_hash: prev,
      };
      const hash = macAuditRow(this.keys, row);
      prev = hash;
      return { ...row, hash };
    });
    const moveHead = updateWhere('audit_chain', { head_seq: seq, head_hash: prev }, { id: chainId, head_seq: from.seq, head_hash: from.hash });
    const stale = () => new StaleChainHead(`audit chain ${chainId} is no longer at ${from.seq}`);
    const guards = expected ? [...expected, undefined, 1] : undefined;
    const { inserted, updated } = await writeAll(this.dialect, trx, [...inserts, insertRows('audit_event', rows)], moveHead, guards).catch((err: unknown) => {
      // A head behind the database's: the rows' numbers are taken.
      throw isChainSeqTaken(err) ? stale() : err;
    });
    if (updated !== 1) throw stale();
    this.dirty = true;
    return { inserted: inserted.slice(0, inserts.length), head: { seq, hash: prev } };
  }

  /**
   * Writes a checkpoint naming every chain's head, chained to the previous checkpoint, keyed and
   * signed, then appends it to the anchors sink outside the database. Rows cut from the end of a chain
   * (or a whole chain removed) after an anchored checkpoint no longer match it, and a checkpoint
   * deleted from the database is still in the anchors.
   * Calls from one process run one after another (the timer, shutdown and CLI may overlap); only
   * another process can take the same checkpoint number, and that is retried.
   */
  checkpoint(force = false): Promise<void> {
    const run = this.checkpointing.then(() => this.writeCheckpoint(force));
    this.checkpointing = run.catch(() => {});
    return run;
  }

  private async writeCheckpoint(force: boolean): Promise<void> {
    if (!force && !this.dirty && this.unanchored.length === 0) return;
    if (force || this.dirty) {
      this.dirty = false;
      for (let attempt = 0; ; attempt++) {
        try {
          this.unanchored.push(await this.insertCheckpoint());
          break;
        } catch (err) {
          // A transient failure (SQLite busy, or a number taken a moment ago): read again and retry.
          if (attempt === 4) {
            this.dirty = true;
            throw err;
          }
        }
      }
    }
    // Only after the commit: an anchor of a checkpoint that was rolled back would read as one deleted.
    if (this.anchors) {
      while (this.unanchored.length > 0) {
        this.anchors.append(this.unanchored[0]!);
        this.unanchored.shift();
      }
    } else this.unanchored = [];
  }

  private insertCheckpoint(): Promise<Anchor> {
    return this.db.transaction().execute(async (trx) => {
      // Processes take turns, so two never compute the same checkpoint number.
      await lockUntilCommit(this.dialect, trx, 'audit_checkpoint');
      const chains = await trx.selectFrom('audit_chain').select(['id', 'head_seq', 'head_hash']).orderBy('id').execute();
      const last = await trx.selectFrom('audit_checkpoint').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const heads = Object.fromEntries(chains.filter((c) => Number(c.head_seq) > 0).map((c) => [c.id, [Number(c.head_seq), c.head_hash]]));
      const body = {
        id: newId(),
        seq: Number(last?.seq ?? 0) + 1,
        at: this.clock.now().toISOString(),
        heads: JSON.stringify(heads),
        prev_hash: last?.hash ?? keyedGenesis(this.keys, 'checkpoints'),
      };
      const signed = { id: body.id, seq: body.seq, at: body.at, prev_hash: body.prev_hash, hash: macCheckpoint(this.keys, body), key_id: this.keys.keyId };
      const anchor: Anchor = { ...signed, signature: this.keys.sign(checkpointSigningText(signed)) };
      await trx.insertInto('audit_checkpoint').values({ ...anchor, heads: body.heads, version: CURRENT_SCHEME }).execute();
      return anchor;
    });
  }

  /** This process's chain ids (tests and diagnostics). */
  get chainIds(): readonly string[] {
    return this.pool.all;
  }
}

interface CheckpointBody {
  id: string;
  seq: number;
  at: string;
  heads: string;
  prev_hash: string;
}

/** Scheme 1's checkpoint hash. */
export function hashCheckpoint(row: CheckpointBody) {
  return sha256Hex(JSON.stringify([row.id, Number(row.seq), row.at, row.heads, row.prev_hash]));
}

/** Scheme 2's checkpoint MAC, tagged apart from rows'. */
export function macCheckpoint(keys: AuditKeys, row: CheckpointBody) {
  return keys.mac(JSON.stringify(['lantern-audit-checkpoint', row.id, Number(row.seq), row.at, row.heads, row.prev_hash]));
}

/**
 * What a checkpoint's Ed25519 signature covers, in the database and in the anchors: everything but the
 * heads, to which the MAC commits.
 */
export function checkpointSigningText(row: Omit<CheckpointBody, 'heads'> & { hash: string; key_id: string }) {
  return JSON.stringify(['lantern-audit-anchor', row.id, Number(row.seq), row.at, row.prev_hash, row.hash, row.key_id]);
}
