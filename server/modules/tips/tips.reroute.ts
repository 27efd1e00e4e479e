import type { AppContext } from '../../context.ts';
import { auditActor, hasRole, type Actor } from '../../auth/actor.ts';
import { authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { TipStatus } from '../../../common/tips.ts';
import type { AgencyKind } from '../../../common/roles.ts';
import type { RerouteTipInput, ReroutedTip, ShareTipInput, TipDestinations, TipShareDto } from '../../../common/schemas/tips-routing.ts';
import { notify } from '../inbox/inbox.service.ts';
import { QUEUE_ROLES, TIP_QUEUE_AGENCY_KINDS, TIP_ROLES, type TipRecord } from './tips.access.ts';
import { tipPolicy } from './tips.policy.ts';
import type { RoutingNote } from './tips.routing.ts';
import * as q from './tips.reroute.queries.ts';

/**
 * Rerouting and sharing a tip (issue #10, item 6): the queue staff move a tip to another agency of its
 * task force, with a reason, or let another agency read it while they keep it.
 */

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

/** The states a tip may still be moved or shared in (as the `tip.reroute` and `tip.share` grants say). */
const OPEN_STATUSES: readonly TipStatus[] = ['new', 'assigned', 'under_review', 'linked', 'referred'];

function record(row: q.VisibleTipRow): TipRecord {
  return {
    id: row.id,
    agencyId: row.agency_id,
    status: row.status as TipStatus,
    assignedUserId: row.assigned_user_id,
    sharedWithActor: Number(row.shared_with_actor) === 1,
  };
}

/** Loads the tip as the actor may see it (absent → 404) and checks the action(s) (none allowed → 403). */
async function loadFor(db: Queryable, actor: Actor, id: string, ...actions: ('tip.reroute' | 'tip.share')[]) {
  const row = await q.findVisibleTip(db, actor, id);
  if (!row) {
    // The tip workers of the agency it was just moved away from (one of two people moving it at once, a
    // page left open) are told what happened: they could read it in their queue, so this tells them
    // nothing new. Anyone else gets the plain 404.
    if (hasRole(actor, ...TIP_ROLES) && (await q.wasMovedFrom(db, id, actor.agencyId))) {
      throw conflict("version: this tip was moved out of your agency's queue; it is no longer yours to move or share", 'version');
    }
    throw notFound('tip');
  }
  const rec = record(row);
  if (!actions.some((a) => can(actor, tipPolicy, a, rec))) authorize(actor, tipPolicy, actions[0]!, rec);
  return row;
}

/** The receiving agency: one that works tips, a member of the tip's task force, not the tip's own queue. */
async function targetOf(db: Queryable, row: q.VisibleTipRow, agencyId: string) {
  if (agencyId === row.agency_id) throw invalid('agencyId', "is the agency whose queue already holds the tip");
  const target = await q.findAgencyInTaskForces(db, agencyId, await q.taskForcesOfTip(db, row));
  if (!target || !target.member || !TIP_QUEUE_AGENCY_KINDS.includes(target.kind as AgencyKind)) {
    throw invalid('agencyId', "must be a law-enforcement, prosecutor or federal agency of the tip's task force");
  }
  return target;
}

/**
 * The receiving agency's tip staff hear of it in their inbox. The notice says only that a tip arrived
 * and where to open it: never what the tip says, where, or who moved it why.
 */
async function tellReceivingAgency(db: Queryable, ctx: AppContext, tipId: string, agencyId: string, kind: 'tip.routed' | 'tip.shared') {
  for (const role of QUEUE_ROLES) {
    await notify(db, ctx, {
      agencyId,
      audience: { role },
      kind,
      title: kind === 'tip.routed' ? 'A tip was routed to your agency' : 'A tip was shared with your agency',
      body: `Open it in the tip queue: /tip-queue/${tipId}`,
      recordType: 'tip',
      recordId: tipId,
    });
  }
}

/**
 * Moves a tip to the queue of another agency of its task force (`tip.reroute`: the holding agency's
 * coordinators and analysts, while the tip is open). The tip starts over there: status 'new', no one
 * assigned. The holding agency loses it unless it was shared with them; its conversation and identifiers
 * move with it. The reason is kept in the tip's history; the version the actor saw must still be current.
 */
export async function rerouteTip(ctx: AppContext, actor: Actor, id: string, input: RerouteTipInput, meta: RequestMeta): Promise<ReroutedTip> {
  const row = await loadFor(ctx.db, actor, id, 'tip.reroute');
  if (row.version !== input.version) throw conflict(`version: this tip changed since you opened it (version ${row.version} now); reload it`, 'version');
  const target = await targetOf(ctx.db, row, input.agencyId);
  const now = ctx.clock.now().toISOString();
  let previous: RoutingNote | undefined;
  try {
    previous = JSON.parse(row.routing) as RoutingNote;
  } catch {
    previous = undefined;
  }
  // A second reroute keeps the first routing, not a chain of them.
  const original = previous?.rule === 'rerouted' ? previous.previous : previous;
  const routing: RoutingNote = {
    rule: 'rerouted',
    ...(original?.zip ? { zip: original.zip } : {}),
    ...(original?.countyFips ? { countyFips: original.countyFips } : {}),
    from: row.agency_id,
    to: target.id,
    by: actor.userId,
    at: now,
    ...(original ? { previous: original } : {}),
  };
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const moved = await q.moveTip(tx.db, { id, version: input.version, fromAgencyId: row.agency_id }, { toAgencyId: target.id, routing: JSON.stringify(routing), at: now }, OPEN_STATUSES);
    if (!moved) throw conflict('version: this tip was changed a moment ago (moved, assigned or closed); reload it', 'version');
    await q.moveTipRows(tx.db, id, target.id);
    await q.insertEvent(tx.db, { id: newId(), tipId: id, agencyId: row.agency_id, at: now, kind: 'rerouted', actorUserId: actor.userId, detail: { from: row.agency_id, to: target.id, reason: input.reason } });
    await tellReceivingAgency(tx.db, ctx, id, target.id, 'tip.routed');
    tx.audit({
      action: 'tip.reroute',
      recordType: 'tip',
      recordId: id,
      recordAgencyId: row.agency_id,
      changedFields: ['agencyId', 'status', 'assignedUserId', 'routing'],
      detail: { from: row.agency_id, to: target.id, fromStatus: row.status, version: input.version + 1 },
    });
  });
  const after = await q.findVisibleTip(ctx.db, actor, id);
  return { id, agency: { id: target.id, name: target.name }, status: 'new', version: input.version + 1, routing: routing as unknown as Record<string, unknown>, readable: after !== undefined };
}

/**
 * Lets another agency of the tip's task force read it (`tip.share`: the holding agency's coordinators
 * and analysts, while the tip is open); the holding agency keeps it and the tipster's contact details
 * stay with them. Sharing with an agency that already has it is refused (409) and changes nothing: the
 * first share's date and reason stand, and the actor is told so rather than shown a second success.
 */
export async function shareTip(ctx: AppContext, actor: Actor, id: string, input: ShareTipInput, meta: RequestMeta): Promise<TipShareDto> {
  const row = await loadFor(ctx.db, actor, id, 'tip.share');
  const target = await targetOf(ctx.db, row, input.agencyId);
  const now = ctx.clock.now().toISOString();
  const shared = await ctx.audit.transact(who(actor, meta), async (tx) => {
    const inserted = await q.insertShare(tx.db, { tipId: id, fromAgencyId: row.agency_id, agencyId: target.id, sharedBy: actor.userId, at: now, reason: input.reason }, OPEN_STATUSES);
    if (!inserted) return false;
    await q.insertEvent(tx.db, { id: newId(), tipId: id, agencyId: row.agency_id, at: now, kind: 'shared', actorUserId: actor.userId, detail: { with: target.id, reason: input.reason } });
    await tellReceivingAgency(tx.db, ctx, id, target.id, 'tip.shared');
    tx.audit({ action: 'tip.share', recordType: 'tip', recordId: id, recordAgencyId: row.agency_id, changedFields: ['sharedWith'], detail: { with: target.id } });
    return true;
  });
  if (!shared) {
    const existing = await q.findShare(ctx.db, id, target.id);
    if (existing) throw conflict(`agencyId: this tip was already shared with ${target.name} on ${existing.shared_at.slice(0, 10)}`, 'agencyId');
    throw conflict('status: this tip was moved or closed a moment ago; reload it', 'status');
  }
  return { tipId: id, agency: { id: target.id, name: target.name }, sharedAt: now, reason: input.reason };
}

/**
 * Where the actor may send the tip: the other tip-working agencies of its task force, for the reroute and
 * share forms (the queue staff who may do either; the same 404 and 403 as the actions).
 */
export async function tipDestinations(ctx: AppContext, actor: Actor, id: string): Promise<TipDestinations> {
  const row = await loadFor(ctx.db, actor, id, 'tip.reroute', 'tip.share');
  const rows = await q.listDestinations(ctx.db, id, await q.taskForcesOfTip(ctx.db, row), TIP_QUEUE_AGENCY_KINDS, row.agency_id);
  return { agencies: rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, sharedWith: Boolean(Number(r.shared)) })) };
}
