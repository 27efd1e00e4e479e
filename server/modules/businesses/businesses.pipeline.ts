import { countEvent } from '../statistics/statistics.counting.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Tx } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { AppError, conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { BUSINESS_STAGE_LABELS, BUSINESS_TRANSITIONS, DEFAULT_RESPONSE_DAYS, STAGE_OUTCOMES, type BusinessStage } from '../../../common/businesses.ts';
import { settleNotices } from '../inbox/inbox.service.ts';

/** A stage change asked for inside a caller's transaction (a letter sent, a deadline passed). */
export interface StageChange {
  businessId: string;
  to: BusinessStage;
  outcome?: string | undefined;
  note?: string | undefined;
  /** The version the caller read; absent: whatever the current one is, the stage precondition still holds. */
  expectedVersion?: number | undefined;
  /** When it happened, if not now (a delivery recorded later). */
  at?: string | undefined;
  /**
   * landlord_notified only: the day the landlord must answer by (YYYY-MM-DD), as the letter says it. Absent:
   * the day of `at` plus the notice template's response days.
   */
  responseDue?: string | undefined;
}

/** The inbox notices the response deadline files (businesses.reminders.ts): settled once the landlord answers. */
export const DEADLINE_NOTICE_KINDS = ['business.deadline.soon', 'business.deadline.passed'] as const;

const DAY_MS = 86_400_000;

/** The calendar day (YYYY-MM-DD) of an instant in the jurisdiction's time zone: deadlines are the state's days. */
export function localDay(ctx: Pick<AppContext, 'jurisdiction'>, at: Date): string {
  return at.toLocaleDateString('en-CA', { timeZone: ctx.jurisdiction.timeZone });
}

/** A calendar day moved by whole days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a YYYY-MM-DD string names a real calendar day. */
export function isRealDay(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

export const stageLabel = (stage: string) => (BUSINESS_STAGE_LABELS[stage as BusinessStage] ?? stage).toLowerCase();
const listOf = (stages: readonly string[]) => stages.map(stageLabel).join(', ');

/** 409 naming the stage the business is in now, when someone else changed it first. */
export async function lostRace(db: Queryable, businessId: string): Promise<never> {
  const now = await db.selectFrom('business').select(['stage', 'version']).where('id', '=', businessId).executeTakeFirst();
  throw conflict(
    `version: this business was changed by someone else a moment ago${now ? ` (it is now ${stageLabel(now.stage)}, version ${now.version})` : ''}; reload it`,
    'version',
  );
}

/** 409 `out_of_order`, naming the stages the business may move to next. */
export function refuseOutOfOrder(from: BusinessStage, to: BusinessStage): never {
  const next = BUSINESS_TRANSITIONS[from];
  if (to === 'cleared') throw new AppError('out_of_order', 409, 'to: a business is cleared with its own action (POST /api/businesses/:id/clear), with a reason', 'to');
  const message =
    next.length === 0
      ? `to: a business that is ${stageLabel(from)} has left the pipeline; it moves to no other stage`
      : `to: a business that is ${stageLabel(from)} can move next to ${listOf(next)} — not ${stageLabel(to)}`;
  throw new AppError('out_of_order', 409, message, 'to');
}

/** 400 when the stage's outcome is missing or not one the stage allows, or given to a stage that has none. */
export function checkOutcome(to: BusinessStage, outcome: string | undefined) {
  const allowed = STAGE_OUTCOMES[to];
  if (!allowed) {
    if (outcome) throw invalid('outcome', `the stage ${stageLabel(to)} takes no outcome`);
    return;
  }
  if (!outcome) throw invalid('outcome', `is required for the stage ${stageLabel(to)}: one of ${allowed.join(', ')}`);
  if (!allowed.includes(outcome)) throw invalid('outcome', `must be one of ${allowed.join(', ')}`);
}

/** Whether a business has evidence a second person verified (still standing): the verified stage needs it. */
async function hasVerifiedEvidence(db: Queryable, businessId: string) {
  const row = await db
    .selectFrom('business_indicator')
    .select('id')
    .where('business_id', '=', businessId)
    .where('verified_at', 'is not', null)
    .whereRef('verified_by', '<>', 'recorded_by')
    .where('withdrawn_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The number of days the task force's notice template gives a landlord (DEFAULT_RESPONSE_DAYS without one). */
async function responseDays(db: Queryable, taskForceId: string) {
  const t = await db.selectFrom('notice_template').select('response_days').where('task_force_id', '=', taskForceId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return t?.response_days ?? DEFAULT_RESPONSE_DAYS;
}

const NEEDS_VERIFIED = 'to: a business is verified once a second person has verified at least one of its indicators; none is verified yet';
const NEEDS_LANDLORD = 'landlord: enter the landlord first (from county records), then mark the landlord identified';

/**
 * Moves a business to its next stage inside the caller's audited transaction (issue #11, item 5): refuses
 * an out-of-order change naming the allowed next stages (409), re-checks stage and version in the
 * update's WHERE, dates the change, writes its business_event and audit row. The actor must hold
 * `business.advance`, or the caller has already authorised a narrower act (sending a letter).
 *
 * Preconditions are re-checked where the update writes: `verified` needs standing evidence a second
 * person verified, `landlord_identified` a landlord on the business. A landlord's answer settles the
 * deadline's reminders.
 */
export async function advanceStage(tx: Tx, ctx: AppContext, actor: Actor, change: StageChange): Promise<{ stage: BusinessStage; version: number }> {
  const row = await tx.db.selectFrom('business').selectAll().where('id', '=', change.businessId).executeTakeFirst();
  if (!row) throw notFound('business');
  if (change.expectedVersion !== undefined && change.expectedVersion !== row.version) await lostRace(tx.db, row.id);
  const from = row.stage as BusinessStage;
  if (!BUSINESS_TRANSITIONS[from].includes(change.to)) refuseOutOfOrder(from, change.to);
  checkOutcome(change.to, change.outcome);

  const now = ctx.clock.now();
  const at = change.at ?? now.toISOString();
  if (change.to === 'verified' && !(await hasVerifiedEvidence(tx.db, row.id))) throw conflict(NEEDS_VERIFIED, 'to');
  if (change.to === 'landlord_identified' && !row.landlord_id) throw conflict(NEEDS_LANDLORD, 'landlord');
  if (change.to === 'landlord_responded' && change.outcome === 'no_response' && row.response_due && localDay(ctx, now) <= row.response_due) {
    throw conflict(`outcome: the landlord has until ${row.response_due} to answer; record no response once that day has passed`, 'outcome');
  }
  if (change.responseDue !== undefined && change.to !== 'landlord_notified') throw invalid('responseDue', 'only the landlord notice sets a response deadline');
  if (change.responseDue !== undefined && !isRealDay(change.responseDue)) throw invalid('responseDue', 'must be a date (YYYY-MM-DD)');
  if (change.responseDue !== undefined && change.responseDue < localDay(ctx, new Date(at))) throw invalid('responseDue', 'must not be before the day the landlord was notified');

  const dated: Record<string, string | null> = {};
  if (change.to === 'landlord_notified') {
    dated.notified_at = row.notified_at ?? at;
    dated.response_due = change.responseDue ?? addDays(localDay(ctx, new Date(at)), await responseDays(tx.db, row.task_force_id));
  }
  // "Responded" counts landlords who answered (the public 41 of 77): a recorded silence is not an answer.
  if (change.to === 'landlord_responded' && change.outcome !== 'no_response') dated.responded_at = at;
  if (change.to === 'lease_action') dated.lease_action_at = row.lease_action_at ?? at;
  if (change.to === 'closed') dated.closed_at = row.closed_at ?? at;

  let update = tx.db
    .updateTable('business')
    .set({ stage: change.to, outcome: change.outcome ?? null, version: row.version + 1, stage_changed_at: at, updated_at: now.toISOString(), ...dated })
    .where('id', '=', row.id)
    .where('stage', '=', from)
    .where('version', '=', row.version);
  // The preconditions hold at the write, not only when they were read.
  if (change.to === 'verified') {
    update = update.where((eb) =>
      eb.exists(
        eb
          .selectFrom('business_indicator as bi')
          .select('bi.id')
          .whereRef('bi.business_id', '=', 'business.id')
          .where('bi.verified_at', 'is not', null)
          .whereRef('bi.verified_by', '<>', 'bi.recorded_by')
          .where('bi.withdrawn_at', 'is', null),
      ),
    );
  }
  if (change.to === 'landlord_identified') update = update.where('landlord_id', 'is not', null);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    const current = await tx.db.selectFrom('business').select(['stage', 'version', 'landlord_id']).where('id', '=', row.id).executeTakeFirst();
    if (current && current.version === row.version && change.to === 'verified') throw conflict(NEEDS_VERIFIED, 'to');
    if (current && current.version === row.version && change.to === 'landlord_identified') throw conflict(NEEDS_LANDLORD, 'landlord');
    await lostRace(tx.db, row.id);
  }

  const detail: Record<string, string> = {};
  if (change.note) detail.note = change.note;
  if (dated.response_due) detail.responseDue = dated.response_due;
  await tx.db
    .insertInto('business_event')
    .values({
      id: newId(),
      business_id: row.id,
      agency_id: row.agency_id,
      at,
      kind: 'stage',
      from_stage: from,
      to_stage: change.to,
      outcome: change.outcome ?? null,
      actor_user_id: actor.userId,
      detail: JSON.stringify(detail),
    })
    .execute();
  // The public statistics count a business once, when it first closes: its county, that day's quarter,
  // published statewide and by county through the disclosure rules (family `businesses_closed`).
  if (change.to === 'closed' && !row.closed_at) await countEvent(tx.db, ctx, { family: 'businesses_closed', county: row.county_fips, at });
  tx.audit({
    action: 'business.advance',
    recordType: 'business',
    recordId: row.id,
    recordAgencyId: row.agency_id,
    changedFields: ['stage', 'outcome', ...Object.keys(dated).map((c) => c.replace(/_(\w)/g, (_m, ch: string) => ch.toUpperCase()))],
    detail: { from, to: change.to, outcome: change.outcome ?? null, responseDue: dated.response_due ?? null },
  });
  if (change.to === 'landlord_responded') {
    for (const kind of DEADLINE_NOTICE_KINDS) await settleNotices(tx.db, ctx, { recordType: 'business', recordId: row.id, kind });
  }
  return { stage: change.to, version: row.version + 1 };
}
