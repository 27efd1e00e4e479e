import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Lang } from '../../lib/i18n.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { notify } from '../inbox/inbox.service.ts';
import { tipsterStatusOf, type TipStatus, type TipsterStatus } from '../../../common/tips.ts';
import { QUEUE_ROLES } from './tips.access.ts';
import { ipHash, queuedReceiptExists, RateLimited, receiptHash } from './tips.tipster.intake.ts';

/**
 * The tipster's side of a tip (issue #10, item 3): with the receipt and nothing else, the status in three
 * words, the conversation with the investigator, and a way to add information or answer. The tipster
 * has no account and no cookie: the receipt is the only key, found by its keyed hash.
 */

export interface TipsterMessage {
  at: string;
  fromTipster: boolean;
  body: string;
}

export interface TipsterView {
  status: TipsterStatus;
  language: Lang;
  messages: TipsterMessage[];
}

/** How often one address may look up a receipt or write, per window. Receipts have 20 digits: guessing is hopeless anyway. */
export const TIPSTER_LIMITS = {
  lookup: { max: 30, windowMs: 10 * 60_000 },
  message: { max: 10, windowMs: 10 * 60_000 },
} as const;

/**
 * One more hit for this address (its keyed hash, intake's `ipHash`) in a fixed window, counted in the
 * database so every process shares the count (DESIGN.md §8); over the limit → 429 with when to try again.
 * Counters live in `rate_limit`, pruned two hours after their window. Off when the operator turned rate
 * limits off (LANTERN_RATE_LIMIT).
 */
export async function countTipsterHit(ctx: AppContext, ip: string | null, what: keyof typeof TIPSTER_LIMITS): Promise<void> {
  if (!ctx.config.rateLimit) return;
  const ipKey = await ipHash(ctx, ip ?? 'unknown');
  const { max, windowMs } = TIPSTER_LIMITS[what];
  const now = ctx.clock.now().getTime();
  const windowStart = now - (now % windowMs);
  const row = await ctx.db
    .insertInto('rate_limit')
    .values({ key: `tipster:${what}:${ipKey}`, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  if (Number(row.hits) > max) throw new RateLimited(Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)));
}

/** No request meta reaches a tipster's audit rows: no address, no browser (issue #10, item 1). */
const anonymous = { actor: null, meta: { ip: null, userAgent: null, requestId: null } };

/** The tip a receipt names, if any. A wrong receipt and a right one do the same lookups (see below). */
async function findByReceipt(ctx: AppContext, hash: string) {
  const [tip, queued] = await Promise.all([
    ctx.db.selectFrom('tip').select(['id', 'agency_id', 'status', 'language', 'assigned_user_id']).where('receipt_hash', '=', hash).executeTakeFirst(),
    queuedReceiptExists(ctx, hash),
  ]);
  return { tip, queued };
}

/**
 * What the tipster may read: the status word (never a detail of the investigation) and the conversation,
 * staff shown only as "Investigator". Reading marks the staff's messages read by the tipster.
 *
 * A wrong receipt answers exactly like a right one with nothing to show ("received", no messages), after
 * the same lookups, so the answer and its timing say nothing about which receipts exist.
 */
export async function tipsterView(ctx: AppContext, input: { receipt: string; ip: string | null; language?: Lang | undefined }): Promise<TipsterView> {
  await countTipsterHit(ctx, input.ip, 'lookup');
  const { tip } = await findByReceipt(ctx, receiptHash(ctx, input.receipt));
  const tipId = tip?.id ?? '';
  const rows = await ctx.db
    .selectFrom('tip_message')
    .select(['id', 'at', 'from_tipster', 'body'])
    .where('tip_id', '=', tipId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const now = ctx.clock.now().toISOString();
  await ctx.db.updateTable('tip_message').set({ read_at: now }).where('tip_id', '=', tipId).where('from_tipster', '=', 0).where('read_at', 'is', null).execute();
  return {
    // A queued tip (a burst, not yet filed) and a wrong receipt read "received", like a new tip.
    status: tip ? tipsterStatusOf(tip.status as TipStatus) : 'received',
    language: tip ? (tip.language === 'es' ? 'es' : 'en') : (input.language ?? 'en'),
    messages: rows.map((m) => ({ at: m.at, fromTipster: Number(m.from_tipster) === 1, body: unseal(ctx.keyring, 'tip_message', 'body', m.id, m.body) })),
  };
}

/**
 * The tipster adds information or answers the investigator: the message (sealed), the tip's history entry,
 * the audit row (no actor, no address) and a notice to the person handling the tip, or to the queue's
 * coordinators and analysts, saying only that the tipster replied, all in one transaction.
 *
 * A wrong receipt, or a tip still in the intake queue, gets the same answer and nothing is written.
 */
export async function addTipsterMessage(ctx: AppContext, input: { receipt: string; body: string; ip: string | null }): Promise<{ at: string }> {
  await countTipsterHit(ctx, input.ip, 'message');
  const hash = receiptHash(ctx, input.receipt);
  const at = ctx.clock.now().toISOString();
  const { tip } = await findByReceipt(ctx, hash);
  if (!tip) return { at };
  await ctx.audit.transact(anonymous, async (tx) => {
    // The tip as it is now, inside the transaction: rerouting may have moved it to another queue.
    const current = await tx.db.selectFrom('tip').select(['id', 'agency_id', 'assigned_user_id']).where('id', '=', tip.id).executeTakeFirstOrThrow();
    const id = newId();
    await tx.db
      .insertInto('tip_message')
      .values({ id, tip_id: current.id, agency_id: current.agency_id, at, from_tipster: 1, user_id: null, body: seal(ctx.keyring, 'tip_message', 'body', id, input.body), read_at: null })
      .execute();
    await tx.db
      .insertInto('tip_event')
      .values({ id: newId(), tip_id: current.id, agency_id: current.agency_id, at, kind: 'message', actor_user_id: null, detail: JSON.stringify({ direction: 'from_tipster', messageId: id }) })
      .execute();
    tx.audit({ action: 'tip.message', recordType: 'tip', recordId: current.id, recordAgencyId: current.agency_id, changedFields: ['messages'], detail: { fromTipster: true, messageId: id } });
    const notice = { agencyId: current.agency_id, kind: 'tip.tipster_replied', title: 'A tipster replied', body: 'There is a new message from the tipster on a tip.', recordType: 'tip', recordId: current.id };
    if (current.assigned_user_id) {
      await notify(tx.db, ctx, { ...notice, audience: { userId: current.assigned_user_id }, dedupeKey: `tip-reply:${current.id}:${current.assigned_user_id}`, refresh: true });
    } else {
      for (const role of QUEUE_ROLES) await notify(tx.db, ctx, { ...notice, audience: { role }, dedupeKey: `tip-reply:${current.id}:${role}`, refresh: true });
    }
  });
  return { at };
}
