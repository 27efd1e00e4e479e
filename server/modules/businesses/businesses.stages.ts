import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { BUSINESS_TRANSITIONS, CLEARABLE_STAGES, type BusinessStage } from '../../../common/businesses.ts';
import type { businessEvents, clearBusinessInput, StageChangeInput } from '../../../common/schemas/businesses.ts';
import { businessRecord, findVisibleBusiness } from './businesses.queries.ts';
import { businessPolicy } from './businesses.policy.ts';
import { advanceStage, lostRace, stageLabel } from './businesses.pipeline.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

const parse = (json: string): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/**
 * Moves a business to its next stage by hand (issue #11, item 5): its keepers' coordinators and analysts.
 * A landlord is normally marked notified when a notice letter is recorded as sent; by hand it needs a note
 * saying how they were notified.
 */
export async function changeStage(ctx: AppContext, actor: Actor, id: string, input: StageChangeInput, meta: RequestMeta) {
  const row = await findVisibleBusiness(ctx.db, actor, id);
  if (!row) throw notFound('business');
  const record = businessRecord(row);
  // Cleared (or closed) since the caller read it: they lost a race (409, what it is now), as clearing
  // tells its own; the grant no longer reaching the business would otherwise answer 403.
  if (input.version !== row.version && !can(actor, businessPolicy, 'business.advance', record) && can(actor, businessPolicy, 'business.advance', { ...record, stage: 'identified' })) {
    await lostRace(ctx.db, id);
  }
  authorize(actor, businessPolicy, 'business.advance', record);
  if (input.to === 'landlord_notified' && !input.note) {
    throw invalid('note', 'say how the landlord was notified (recording a notice letter as sent marks the landlord notified by itself)');
  }
  const outcome = input.outcome || undefined;
  const moved = await ctx.audit.transact(who(actor, meta), (tx) =>
    advanceStage(tx, ctx, actor, { businessId: id, to: input.to, outcome, note: input.note || undefined, expectedVersion: input.version, responseDue: input.responseDue }),
  );
  return { id, stage: moved.stage, outcome: outcome ?? null, version: moved.version, nextStages: [...BUSINESS_TRANSITIONS[moved.stage]] };
}

/**
 * Clears a legitimate business with a reason (issue #11, item 2): it leaves the pipeline, and its history
 * shows the clearing as plainly as the flags. Open until the landlord is notified. The indicators stay
 * with this business's id: a later business at the same address starts without them.
 */
export async function clearBusiness(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof clearBusinessInput>, meta: RequestMeta) {
  const row = await findVisibleBusiness(ctx.db, actor, id);
  if (!row) throw notFound('business');
  const record = businessRecord(row);
  const stage = row.stage as BusinessStage;
  // The grant includes the stage; one who could clear it at an earlier stage hears why not now.
  if (!CLEARABLE_STAGES.includes(stage) && can(actor, businessPolicy, 'business.clear', { ...record, stage: 'identified' })) {
    if (input.version !== row.version) await lostRace(ctx.db, id);
    throw conflict(
      stage === 'cleared'
        ? 'stage: this business is already cleared'
        : `stage: a business can be cleared only until its landlord is notified (${CLEARABLE_STAGES.map(stageLabel).join(', ')}); it is ${stageLabel(stage)}`,
      'stage',
    );
  }
  authorize(actor, businessPolicy, 'business.clear', record);
  if (input.version !== row.version) await lostRace(ctx.db, id);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const res = await tx.db
      .updateTable('business')
      .set({ stage: 'cleared', outcome: null, version: row.version + 1, stage_changed_at: now, updated_at: now, cleared_at: now, cleared_by: actor.userId, cleared_reason: input.reason })
      .where('id', '=', id)
      .where('stage', '=', stage)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) await lostRace(tx.db, id);
    await tx.db
      .insertInto('business_event')
      .values({ id: newId(), business_id: id, agency_id: row.agency_id, at: now, kind: 'cleared', from_stage: stage, to_stage: 'cleared', outcome: null, actor_user_id: actor.userId, detail: JSON.stringify({ reason: input.reason }) })
      .execute();
    // The reason is free text: the history shows it, the audit row says only that one was given.
    tx.audit({ action: 'business.clear', recordType: 'business', recordId: id, recordAgencyId: row.agency_id, changedFields: ['stage', 'clearedAt', 'clearedBy', 'clearedReason'], detail: { from: stage } });
  });
  return { id, stage: 'cleared' as const, outcome: null, version: row.version + 1, nextStages: [] };
}

/** A business's dated history with who did what (issue #11, item 5): an audited read. */
export async function listBusinessEvents(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<z.infer<typeof businessEvents>> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await findVisibleBusiness(tx.db, actor, id);
    if (!row) throw notFound('business');
    authorize(actor, businessPolicy, 'business.read', businessRecord(row));
    const events = await tx.db
      .selectFrom('business_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
      .select(['e.id', 'e.at', 'e.kind', 'e.from_stage', 'e.to_stage', 'e.outcome', 'e.detail', 'u.display_name'])
      .where('e.business_id', '=', id)
      .orderBy('e.at')
      .orderBy('e.id')
      .execute();
    tx.audit({ action: 'business.read', recordType: 'business', recordId: id, recordAgencyId: row.agency_id, detail: { view: 'events', events: events.length } });
    return {
      items: events.map((e) => ({
        id: e.id,
        at: e.at,
        kind: e.kind,
        fromStage: (e.from_stage as BusinessStage | null) ?? null,
        toStage: (e.to_stage as BusinessStage | null) ?? null,
        outcome: e.outcome,
        by: e.display_name ?? null,
        detail: parse(e.detail),
      })),
    };
  });
}
