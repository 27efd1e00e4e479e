import type { AppContext } from '../../context.ts';
import { loadActor, type Actor } from '../../auth/actor.ts';
import { authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { NoticeBatchRow } from '../../db/schema/index.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { LetterBatchDto } from '../../../common/schemas/businesses.ts';
import { businessPolicy, noticeTemplatePolicy } from './businesses.policy.ts';
import { businessRecord, findVisibleBusiness } from './businesses.queries.ts';
import { who } from './businesses.landlords.ts';
import { draftLetterIn } from './businesses.letters.ts';

/**
 * A batch of notice letters (issue #11, item 4): the attorney general's staff name up to 500 businesses
 * and get a job at once (202); the letters are drafted after the answer, one business per transaction,
 * each counted in the batch's row in the same transaction as its letter (so a letter is never drafted
 * twice, and progress never runs ahead of the letters). Every business ends with a letter or a refusal
 * naming the field or the reason — never silently skipped.
 *
 * The job row is claimed with a token (`claim`) by one update; a heartbeat keeps `updated_at` moving.
 * A job whose process died (no heartbeat for {@link STALE_AFTER_MS}) is claimed again by the sweep that
 * runs when the server starts and every {@link SWEEP_MS}, and goes on from where it stopped.
 */

export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 60_000;
export const SWEEP_MS = 30_000;
const SERVER_TROUBLE = 'could not be drafted because of a problem on our side (logged); try this business again';

interface Refusal {
  businessId: string;
  businessName: string | null;
  field: string | null;
  reason: string;
}

/** The batches this process works, by context: awaited when the server closes. */
const runningHere = new WeakMap<AppContext, Map<string, Promise<void>>>();
function jobsOf(ctx: AppContext) {
  let jobs = runningHere.get(ctx);
  if (!jobs) runningHere.set(ctx, (jobs = new Map()));
  return jobs;
}

/** The attorney general's staff of the actor's task force: the only ones who run batches. */
function authorizeBatch(actor: Actor, taskForceId: string | undefined) {
  authorize(actor, noticeTemplatePolicy, 'notice.editTemplate', { taskForceId: taskForceId ?? '' });
}

/** POST /api/letters/batch: the job, at once (202); the letters follow. */
export async function startBatch(ctx: AppContext, actor: Actor, input: { businessIds: string[] }, meta: RequestMeta): Promise<LetterBatchDto> {
  const taskForceId = actor.taskForceIds[0];
  authorizeBatch(actor, taskForceId);
  const ids = [...new Set(input.businessIds)];
  const at = ctx.clock.now().toISOString();
  const row: NoticeBatchRow = {
    id: newId(),
    agency_id: actor.agencyId,
    task_force_id: taskForceId!,
    created_by: actor.userId,
    status: 'queued',
    total: ids.length,
    processed: 0,
    generated: 0,
    refused: '[]',
    business_ids: JSON.stringify(ids),
    claim: null,
    error: null,
    created_at: at,
    updated_at: at,
    finished_at: null,
  };
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await tx.db.insertInto('notice_batch').values(row).execute();
    tx.audit({ action: 'business.draftLetter', recordType: 'notice_batch', recordId: row.id, recordAgencyId: actor.agencyId, detail: { step: 'batchStarted', businesses: ids.length } });
  });
  launch(ctx, row.id, meta);
  return toDto(ctx, row);
}

/** GET /api/letter-batches/:id: progress, letters and refusals (the starting office's letter staff). */
export async function getBatch(ctx: AppContext, actor: Actor, id: string): Promise<LetterBatchDto> {
  const row = await ctx.db.selectFrom('notice_batch').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.agency_id !== actor.agencyId || !actor.taskForceIds.includes(row.task_force_id)) throw notFound('letter batch');
  authorizeBatch(actor, row.task_force_id);
  return toDto(ctx, row);
}

async function toDto(ctx: AppContext, row: NoticeBatchRow): Promise<LetterBatchDto> {
  const letters = await ctx.db.selectFrom('notice_letter').select(['id', 'number', 'business_id']).where('batch_id', '=', row.id).orderBy('number').execute();
  return {
    id: row.id,
    status: row.status as LetterBatchDto['status'],
    total: Number(row.total),
    processed: Number(row.processed),
    generated: Number(row.generated),
    refused: JSON.parse(row.refused) as Refusal[],
    letters: letters.map((l) => ({ id: l.id, number: l.number, businessId: l.business_id })),
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** Claims and works every batch left queued, or running without a heartbeat (its process died). */
export async function resumeBatches(ctx: AppContext): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - STALE_AFTER_MS).toISOString();
  const rows = await ctx.db
    .selectFrom('notice_batch')
    .select('id')
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('updated_at', '<', cutoff)])]))
    .execute();
  const jobs = jobsOf(ctx);
  const fresh = rows.filter((r) => !jobs.has(r.id));
  for (const r of fresh) launch(ctx, r.id, { ip: null, userAgent: null, requestId: null });
  return fresh.length;
}

/** Resolves once every batch this process works has finished (the server awaits it when closing). */
export async function settleBatches(ctx: AppContext): Promise<void> {
  const jobs = jobsOf(ctx);
  while (jobs.size) await Promise.allSettled([...jobs.values()]);
}

function launch(ctx: AppContext, batchId: string, meta: RequestMeta) {
  const jobs = jobsOf(ctx);
  if (jobs.has(batchId)) return;
  const task = (async () => {
    // After the response: the request that started the batch answers first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await runBatch(ctx, batchId, meta);
  })()
    .catch((err: Error) => ctx.log.error({ err: { message: err.message, stack: err.stack }, batch: batchId }, 'letter batch failed'))
    .finally(() => jobs.delete(batchId));
  jobs.set(batchId, task);
}

class LostClaim extends Error {}

/** Claims the batch (one update: queued, or running with no heartbeat) and drafts from where it stopped. */
export async function runBatch(ctx: AppContext, batchId: string, meta: RequestMeta): Promise<void> {
  const token = newId();
  const now = () => ctx.clock.now().toISOString();
  const cutoff = new Date(ctx.clock.now().getTime() - STALE_AFTER_MS).toISOString();
  const claimed = await ctx.db
    .updateTable('notice_batch')
    .set({ claim: token, status: 'running', updated_at: now() })
    .where('id', '=', batchId)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('updated_at', '<', cutoff)])]))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return;
  const batch = await ctx.db.selectFrom('notice_batch').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
  const ours = () => ctx.db.updateTable('notice_batch').where('id', '=', batchId).where('claim', '=', token);
  const heartbeat = setInterval(() => {
    ours()
      .set({ updated_at: now() })
      .execute()
      .catch((err: Error) => ctx.log.warn({ err: err.message, batch: batchId }, 'letter batch: heartbeat not written'));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const refused = JSON.parse(batch.refused) as Refusal[];
  const ids = JSON.parse(batch.business_ids) as string[];
  let error: string | null = null;
  try {
    const actor = await loadActor(ctx.db, batch.created_by, `batch:${batchId}`);
    for (let i = Number(batch.processed); i < ids.length; i++) {
      const businessId = ids[i]!;
      let name: string | null = null;
      try {
        await ctx.audit.transact(who(actor, meta), async (tx) => {
          const business = await findVisibleBusiness(tx.db, actor, businessId);
          if (!business) throw notFound('business');
          name = business.name;
          if (!can(actor, businessPolicy, 'business.draftLetter', businessRecord(business))) {
            throw new AppError('forbidden', 403, `you may not draft letters for this business (it is at "${business.stage}", or not shared with your office)`);
          }
          await draftLetterIn(ctx, tx, actor, business, {
            batchId,
            onWritten: async (t) => {
              const res = await t.db
                .updateTable('notice_batch')
                .set((eb) => ({ processed: eb('processed', '+', 1), generated: eb('generated', '+', 1), updated_at: now() }))
                .where('id', '=', batchId)
                .where('claim', '=', token)
                .executeTakeFirst();
              if (Number(res.numUpdatedRows) === 0) throw new LostClaim();
            },
          });
        });
      } catch (err) {
        if (err instanceof LostClaim) return;
        let refusal: Refusal;
        if (err instanceof AppError && err.status < 500) {
          const reason = err.status === 404 ? 'no such business, or it is not shared with your office' : err.field && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
          refusal = { businessId, businessName: name, field: err.field ?? null, reason };
        } else {
          ctx.log.error({ err: { message: (err as Error).message, stack: (err as Error).stack }, batch: batchId, business: businessId }, 'letter batch: a letter could not be drafted');
          refusal = { businessId, businessName: name, field: null, reason: SERVER_TROUBLE };
        }
        refused.push(refusal);
        const res = await ours()
          .set((eb) => ({ processed: eb('processed', '+', 1), refused: JSON.stringify(refused), updated_at: now() }))
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) return;
      }
      // Let requests in between letters: a batch of 500 must not hold the server.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (err) {
    const e = err as Error;
    ctx.log.error({ err: { message: e.message, stack: e.stack }, batch: batchId }, 'letter batch stopped');
    error = 'The batch stopped because of a problem on our side (logged).';
  } finally {
    clearInterval(heartbeat);
  }
  await ctx.audit.transact({ actor: { userId: batch.created_by, agencyId: batch.agency_id }, meta }, async (tx) => {
    const res = await tx.db
      .updateTable('notice_batch')
      .set({ status: error ? 'failed' : 'done', error, finished_at: now(), updated_at: now(), claim: null })
      .where('id', '=', batchId)
      .where('claim', '=', token)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return;
    const done = await tx.db.selectFrom('notice_batch').select(['processed', 'generated']).where('id', '=', batchId).executeTakeFirstOrThrow();
    tx.audit({
      action: 'business.draftLetter',
      recordType: 'notice_batch',
      recordId: batchId,
      recordAgencyId: batch.agency_id,
      outcome: error ? 'failure' : 'success',
      detail: { step: 'batchFinished', processed: Number(done.processed), generated: Number(done.generated), refused: refused.length },
    });
  });
}
