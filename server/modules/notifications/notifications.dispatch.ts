import type { AppContext } from '../../context.ts';
import { newToken } from '../../lib/ids.ts';
import type { EmailGroup } from '../../../common/schemas/notifications.ts';
import { digestEmail, noticeEmail, smtpMailer, type Mailer } from './mailer.ts';
import { emailGroupOf } from './notifications.kinds.ts';
import { preferenceOf } from './notifications.service.ts';
import * as q from './notifications.queries.ts';

/** Notices older than this when first seen are not emailed (a first start, or a restore, does not mail the past). */
export const SCAN_WINDOW_MS = 24 * 60 * 60_000;
/** An immediate email is tried this many times, then left as failed (the notice stays in the inbox). */
export const MAX_ATTEMPTS = 5;
/** The daily digest goes at this hour of the task force's time zone. */
export const DIGEST_HOUR = 7;
const BATCH = 200;

export interface DispatchResult {
  scanned: number;
  sent: number;
  digests: number;
  failed: number;
}

/** Whether a person wants this notice emailed, and how ('off', at once, or in the digest). */
function deliveryFor(group: EmailGroup, pref: ReturnType<typeof preferenceOf>): 'off' | 'pending' | 'digest' {
  // RSMo 210.125.2: the custody statement countdown cannot be silenced or held for a digest.
  if (group === 'custody') return 'pending';
  if (!pref.email[group]) return 'off';
  return pref.delivery === 'digest' ? 'digest' : 'pending';
}

/**
 * Works out who gets an email for each new notice. Each notice is claimed by inserting its scan row in
 * the transaction that queues its deliveries: of two processes, one inserts it and queues, the other
 * finds it taken and moves on — and a process that dies before committing leaves it for the next.
 */
export async function queueNewNotices(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const since = new Date(now.getTime() - SCAN_WINDOW_MS).toISOString();
  let queued = 0;
  for (;;) {
    const items = await q.unscannedItems(ctx.db, since, BATCH);
    for (const item of items) {
      const group = emailGroupOf(item.kind);
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await q.claimItem(trx, item.id, at)) || !group) return;
        const people = await q.recipientsOf(trx, item);
        const prefs = new Map((await q.preferencesOf(trx, people.map((p) => p.id))).map((p) => [p.user_id, p]));
        await q.insertDeliveries(
          trx,
          people.map((p) => ({ item_id: item.id, user_id: p.id, status: deliveryFor(group, preferenceOf(prefs.get(p.id))), queued_at: at })),
        );
        queued++;
      });
    }
    // Every item of a full batch is now claimed (by this process or another): the next batch is new.
    if (items.length < BATCH) return queued;
  }
}

/** The most recent digest time (DIGEST_HOUR in the task force's time zone) at or before `now`. */
export function lastDigestMoment(now: Date, timeZone: string): Date {
  const hourOf = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
  const top = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  for (let h = 0; h <= 26; h++) {
    const t = new Date(top.getTime() - h * 3_600_000);
    if (Number(hourOf.format(t)) === DIGEST_HOUR) return t;
  }
  return new Date(top.getTime() - 24 * 3_600_000);
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/**
 * Sends the queued immediate emails. Each delivery is taken by a conditional update (pending → sending)
 * that only one process can make, so two processes never send the same email; a process that dies
 * mid-send leaves the row as sending (the email may or may not have gone: at most once, never twice).
 */
export async function sendPending(ctx: AppContext, mailer: Mailer): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (const d of await q.pendingDeliveries(ctx.db, MAX_ATTEMPTS, BATCH)) {
    const claim = newToken(12);
    if (!(await q.claimDelivery(ctx.db, d.item_id, d.user_id, claim))) continue;
    const group = emailGroupOf(d.kind);
    // Read in the app meanwhile, or the account disabled: nothing to tell.
    if (!group || d.disabled_at !== null || d.read_at !== null) {
      await q.finishDelivery(ctx.db, d.item_id, d.user_id, claim, { status: d.read_at !== null ? 'read' : 'skipped' });
      continue;
    }
    try {
      await mailer.send(noticeEmail(d.email, group, { publicUrl: ctx.config.publicUrl, aboutRecipient: d.addressed_to === d.user_id }));
      await q.finishDelivery(ctx.db, d.item_id, d.user_id, claim, { status: 'sent', sent_at: ctx.clock.now().toISOString(), error: null });
      sent++;
    } catch (err) {
      const attempts = d.attempts + 1;
      await q.finishDelivery(ctx.db, d.item_id, d.user_id, claim, { status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', attempts, error: errorText(err) });
      ctx.log.warn({ err: errorText(err), attempts }, 'a notice email could not be sent');
      failed++;
    }
  }
  return { sent, failed };
}

/** Sends each person who chose the digest one email for the notices queued before today's digest time. */
export async function sendDigests(ctx: AppContext, mailer: Mailer): Promise<number> {
  const moment = lastDigestMoment(ctx.clock.now(), ctx.jurisdiction.timeZone).toISOString();
  let sent = 0;
  for (const userId of await q.digestRecipients(ctx.db, moment)) {
    const claim = newToken(12);
    if ((await q.claimDigest(ctx.db, userId, moment, claim)) === 0) continue;
    const rows = await q.claimedDigest(ctx.db, claim);
    const first = rows[0];
    const unread = rows.filter((r) => r.read_at === null);
    if (!first || first.disabled_at !== null || unread.length === 0) {
      await q.finishClaim(ctx.db, claim, { status: 'read' });
      continue;
    }
    try {
      await mailer.send(digestEmail(first.email, { publicUrl: ctx.config.publicUrl }));
      await q.finishClaim(ctx.db, claim, { status: 'sent', sent_at: ctx.clock.now().toISOString(), error: null });
      sent++;
    } catch (err) {
      await q.releaseDigestClaim(ctx.db, claim, errorText(err));
      ctx.log.warn({ err: errorText(err) }, 'a digest email could not be sent');
    }
  }
  return sent;
}

/** One pass: queue the new notices, send what is due. */
export async function dispatchEmails(ctx: AppContext, mailer: Mailer): Promise<DispatchResult> {
  const scanned = await queueNewNotices(ctx);
  const { sent, failed } = await sendPending(ctx, mailer);
  const digests = await sendDigests(ctx, mailer);
  return { scanned, sent, digests, failed };
}

export interface EmailDispatcher {
  /** Runs a pass soon (after a request that may have filed a notice); passes never overlap. */
  kick(): void;
  /** Resolves when no pass is running or asked for. */
  idle(): Promise<void>;
  stop(): void;
}

const dispatchers = new WeakMap<AppContext, EmailDispatcher>();

/**
 * Starts email notification in this process when the operator configured SMTP: a pass every
 * `everyMs`, and one soon after each state-changing request (kickEmailDispatch). Null when email is off.
 */
export function startEmailDispatch(ctx: AppContext, opts: { everyMs?: number; mailer?: Mailer } = {}): EmailDispatcher | null {
  const mailer = opts.mailer ?? smtpMailer(ctx.config);
  if (!mailer) return null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await dispatchEmails(ctx, mailer);
        } catch (err) {
          ctx.log.error({ err: errorText(err) }, 'email dispatch failed');
        }
      } while (again && !stopped);
      running = null;
    })();
    return running;
  };
  const timer = setInterval(() => void run(), opts.everyMs ?? 30_000);
  timer.unref();
  const dispatcher: EmailDispatcher = {
    kick: () => {
      if (!stopped) setImmediate(() => void run());
    },
    idle: async () => {
      while (running) await running;
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
      dispatchers.delete(ctx);
      mailer.close();
    },
  };
  dispatchers.set(ctx, dispatcher);
  return dispatcher;
}

/** Asks this process's dispatcher, if email is on, for a pass soon. Cheap: passes never overlap. */
export function kickEmailDispatch(ctx: AppContext) {
  dispatchers.get(ctx)?.kick();
}
