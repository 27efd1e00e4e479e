import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { newId, newToken } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { recordIdempotencyKey, requestKeyHere } from '../../lib/idempotency.ts';
import { GroupCommit } from '../../lib/group-commit.ts';
import { tipFields, type TipFields } from '../../../common/schemas/tips.ts';
import { pruneSpentChallenges, spendProof, verifyProof, type VerifiedProof } from './altcha.ts';
import { AlreadyFiled, checkZip, fileTipsTogether, fileTipWithHash, newReceipt, receiptHash, type TipToFile } from './tips.intake.ts';
import { checkTipRate, pruneIpKeys } from './tips.limits.ts';

/**
 * The public side of tip intake (issue #10, items 1–2): the JSON route and the form without JavaScript
 * both come through `submitPublicTip`. A burst is queued, never dropped: past `maxInFlight` filings at
 * once in this process, or when the database is too busy to commit, the validated submission is sealed
 * into `tip_intake_queue` under its receipt's hash (one insert) and the tipster gets their receipt with
 * 202; the queue is worked off right after the burst and periodically, by any process.
 */
export interface PublicTipSubmission {
  /** The request's address: hashed for rate limiting under the key of the day, never stored. */
  ip: string | null;
  fields: TipFields;
  /** The solved ALTCHA payload (base64); null from the form without JavaScript (stricter limit). */
  altcha: string | null;
}

export interface PublicTipReceipt {
  status: 201 | 202;
  receipt: string;
}

/** A claim on a queue row older than this is taken to be of a process that stopped; the row is retried. */
const STALE_CLAIM_MS = 5 * 60_000;
const DRAIN_BATCH = 20;

/**
 * Tips of one moment are filed together (a group commit, server/lib/group-commit.ts): on SQLite one batch
 * at a time (its one connection writes one transaction at a time anyway), on PostgreSQL a few at once.
 * PostgreSQL's batches are smaller: a batch of 32 kept the process busy preparing it for about 10 ms while
 * PostgreSQL waited, and at most 8 filed 0.64–0.74 of the bare insert's rate against 0.54–0.65 in four
 * pairs of runs (bench/README.md `tips`). SQLite's commit is an fsync a batch, so it keeps large ones.
 */
const GROUP = { maxBatch: { sqlite: 32, postgres: 8 }, concurrency: { sqlite: 1, postgres: 2 } } as const;

interface IntakeState {
  inFlight: number;
  maxInFlight: number;
  queuedSinceDrain: boolean;
  draining: Promise<unknown>;
  filer: GroupCommit<TipToFile, { tipId: string; urgent: boolean }>;
}
const perContext = new WeakMap<AppContext, IntakeState>();
function stateOf(ctx: AppContext): IntakeState {
  let s = perContext.get(ctx);
  if (!s) {
    const filer = new GroupCommit({ maxBatch: GROUP.maxBatch[ctx.dialect], concurrency: GROUP.concurrency[ctx.dialect], write: (jobs: TipToFile[]) => fileTipsTogether(ctx, jobs) });
    perContext.set(ctx, (s = { inFlight: 0, maxInFlight: 32, queuedSinceDrain: false, draining: Promise.resolve(), filer }));
  }
  return s;
}

/** How many group commits of each size this process wrote, by size (tests and benchmarks). */
export function tipBatchSizes(ctx: AppContext): number[] {
  return [...stateOf(ctx).filer.sizeCounts];
}

/** Sets how many filings this process runs at once before queueing (tests and benchmarks). */
export function configureTipIntake(ctx: AppContext, opts: { maxInFlight: number }): void {
  stateOf(ctx).maxInFlight = opts.maxInFlight;
}

/**
 * The database could not take the commit now (SQLite busy past its timeout, a PostgreSQL serialization
 * failure or deadlock, no connection to be had): the submission is queued rather than lost.
 */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '40001', '40P01', '55P03', '53300', '57P03'].includes(code);
}

/**
 * Takes a public tip: the rate limits (per keyed IP hash, stricter without a proof of work, and global),
 * the proof (400 `altcha`), the ZIP (400 `zip`), then files it (201) or queues it (202). The proof is
 * spent in the transaction that writes the tip or its queue row. Throws `RateLimited` (429, with
 * `retryAfterSeconds`) when limited.
 */
export async function submitPublicTip(ctx: AppContext, submission: PublicTipSubmission): Promise<PublicTipReceipt> {
  await checkTipRate(ctx, submission.ip, submission.altcha ? 'withProof' : 'withoutProof');
  const proof = submission.altcha ? await verifyProof(ctx, submission.altcha) : undefined;
  const fields = submission.fields;
  await checkZip(fields.zip);
  const receipt = newReceipt();
  const hash = receiptHash(ctx, receipt);
  const state = stateOf(ctx);
  if (state.inFlight >= state.maxInFlight) {
    await queueSubmission(ctx, fields, hash, proof);
    return { status: 202, receipt };
  }
  state.inFlight++;
  try {
    await state.filer.submit({ input: { ...fields, source: 'web' }, receiptHash: hash, proof, key: requestKeyHere() });
    return { status: 201, receipt };
  } catch (err) {
    if (!isBusyError(err)) throw err;
    await queueSubmission(ctx, fields, hash, proof);
    return { status: 202, receipt };
  } finally {
    state.inFlight--;
    if (state.queuedSinceDrain && state.inFlight <= state.maxInFlight / 2) {
      state.queuedSinceDrain = false;
      void drainTipQueue(ctx).catch((err: Error) => ctx.log.error({ err: err.message }, 'tip queue drain failed'));
    }
  }
}

/** One insert (and the proof spent with it): the sealed submission under its receipt's hash. */
async function queueSubmission(ctx: AppContext, fields: TipFields, hash: string, proof: VerifiedProof | undefined) {
  const id = newId();
  const row = { id, receipt_hash: hash, payload: seal(ctx.keyring, 'tip_intake_queue', 'payload', id, JSON.stringify(fields)), queued_at: ctx.clock.now().toISOString(), attempts: 0, claim: null, error: null };
  await ctx.db.transaction().execute(async (trx) => {
    if (proof) await spendProof(trx, proof);
    await trx.insertInto('tip_intake_queue').values(row).execute();
    await recordIdempotencyKey(trx, ctx.clock.now(), []);
  });
  stateOf(ctx).queuedSinceDrain = true;
}

/** Whether a submission with this receipt hash waits in the queue (the tipster's status reads "received"). */
export async function queuedReceiptExists(ctx: AppContext, hash: string): Promise<boolean> {
  return !!(await ctx.db.selectFrom('tip_intake_queue').select('id').where('receipt_hash', '=', hash).executeTakeFirst());
}

/**
 * Files the queued submissions, oldest first, each under the receipt hash its tipster holds. Rows are
 * claimed with a conditional update, so several processes draining at once never file one twice (and the
 * filing deletes its row in its own transaction, only while the claim is still this drain's). A row that
 * fails is marked and left for a later drain. One drain at a time per process; resolves with how many
 * tips it filed.
 */
export function drainTipQueue(ctx: AppContext): Promise<number> {
  const state = stateOf(ctx);
  const run = state.draining.then(() => drainOnce(ctx));
  state.draining = run.catch(() => 0);
  return run;
}

async function drainOnce(ctx: AppContext): Promise<number> {
  let filed = 0;
  for (;;) {
    const now = ctx.clock.now();
    const cutoff = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
    const batch = await ctx.db
      .selectFrom('tip_intake_queue')
      .select('id')
      .where((eb) => eb.or([eb('claim', 'is', null), eb('claim', '<', cutoff)]))
      .orderBy('queued_at')
      .orderBy('id')
      .limit(DRAIN_BATCH)
      .execute();
    let progressed = false;
    for (const { id } of batch) {
      const claim = `${now.toISOString()}|${newToken(9)}`;
      const took = await ctx.db
        .updateTable('tip_intake_queue')
        .set({ claim, attempts: sql<number>`attempts + 1` })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('claim', 'is', null), eb('claim', '<', cutoff)]))
        .executeTakeFirst();
      if (Number(took.numUpdatedRows) !== 1) continue;
      const row = await ctx.db.selectFrom('tip_intake_queue').selectAll().where('id', '=', id).where('claim', '=', claim).executeTakeFirst();
      if (!row) continue;
      try {
        const fields = tipFields.parse(JSON.parse(unseal(ctx.keyring, 'tip_intake_queue', 'payload', id, row.payload)));
        await fileTipWithHash(ctx, { ...fields, source: 'web' }, null, { receiptHash: row.receipt_hash, queued: { id, claim, queuedAt: row.queued_at } });
        filed++;
        progressed = true;
      } catch (err) {
        if (err instanceof AlreadyFiled) {
          await ctx.db.deleteFrom('tip_intake_queue').where('id', '=', id).where('claim', '=', claim).execute();
          progressed = true;
          continue;
        }
        // Kept, never dropped: the claim's time makes a later drain retry it once the claim is stale.
        const reason = err instanceof Error ? `${err.name}: ${(err as { code?: string }).code ?? ''}`.slice(0, 200) : 'error';
        await ctx.db.updateTable('tip_intake_queue').set({ claim: `${now.toISOString()}|failed`, error: reason }).where('id', '=', id).where('claim', '=', claim).execute();
        ctx.log.error({ err: (err as Error).message, queueId: id }, 'a queued tip could not be filed; it stays queued');
      }
    }
    if (!progressed || batch.length < DRAIN_BATCH) return filed;
  }
}

/** Periodic housekeeping: spent challenges past expiry, the IP-hash keys of days gone. */
export async function pruneTipIntake(ctx: AppContext): Promise<void> {
  await pruneSpentChallenges(ctx);
  await pruneIpKeys(ctx);
}

/** Waits for this process's drain to finish (a closing server). */
export async function settleTipIntake(ctx: AppContext): Promise<void> {
  await stateOf(ctx).draining;
}
