import type { Actor } from '../../auth/actor.ts';
import type { Queryable } from '../../db/database.ts';
import { sharedWithActorFlag, tipAccess } from './tips.access.ts';

/** A tip the actor may read (the SQL form of `tip.read`), with what the grants need to know. */
export function findVisibleTip(db: Queryable, actor: Actor, id: string) {
  return db
    .selectFrom('tip as t')
    .select(['t.id', 't.agency_id', 't.task_force_id', 't.status', 't.version', 't.assigned_user_id', 't.routing', sharedWithActorFlag(actor).as('shared_with_actor')])
    .where('t.id', '=', id)
    .where(tipAccess.grants['tip.read'].where(actor))
    .executeTakeFirst();
}
export type VisibleTipRow = NonNullable<Awaited<ReturnType<typeof findVisibleTip>>>;

/** Did the tip once sit in this agency's queue and get moved out of it? (The 'rerouted' event is written under the agency it left.) */
export async function wasMovedFrom(db: Queryable, tipId: string, agencyId: string): Promise<boolean> {
  const row = await db.selectFrom('tip_event').select('id').where('tip_id', '=', tipId).where('kind', '=', 'rerouted').where('agency_id', '=', agencyId).executeTakeFirst();
  return row !== undefined;
}

/** The task forces a tip belongs to: its own, or (a tip routed without one) those of its agency. */
export async function taskForcesOfTip(db: Queryable, tip: { task_force_id: string | null; agency_id: string }): Promise<string[]> {
  if (tip.task_force_id) return [tip.task_force_id];
  const rows = await db.selectFrom('task_force_member').select('task_force_id').where('agency_id', '=', tip.agency_id).execute();
  return rows.map((r) => r.task_force_id);
}

/** An agency, and whether it is a member of one of `taskForceIds`. */
export async function findAgencyInTaskForces(db: Queryable, agencyId: string, taskForceIds: readonly string[]) {
  const agency = await db.selectFrom('agency').select(['id', 'name', 'kind']).where('id', '=', agencyId).executeTakeFirst();
  if (!agency) return null;
  const member =
    taskForceIds.length > 0 &&
    (await db.selectFrom('task_force_member').select('agency_id').where('agency_id', '=', agencyId).where('task_force_id', 'in', taskForceIds).executeTakeFirst()) !== undefined;
  return { ...agency, member };
}

/**
 * Moves the tip to another queue, if nobody changed it since the actor loaded it: the version, the
 * holding agency and an open state are all re-checked where it is written. Returns whether it moved.
 */
export async function moveTip(
  db: Queryable,
  tip: { id: string; version: number; fromAgencyId: string },
  change: { toAgencyId: string; routing: string; at: string },
  openStatuses: readonly string[],
): Promise<boolean> {
  const res = await db
    .updateTable('tip')
    .set({ agency_id: change.toAgencyId, status: 'new', assigned_user_id: null, routing: change.routing, version: tip.version + 1, updated_at: change.at })
    .where('id', '=', tip.id)
    .where('version', '=', tip.version)
    .where('agency_id', '=', tip.fromAgencyId)
    .where('status', 'in', openStatuses)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * The rows that belong to the tip's owner move with it: the conversation with the tipster and the tip's
 * identifiers in the shared index. The history (tip_event) stays as it was written: each row names the
 * agency whose queue held the tip when it happened.
 */
export async function moveTipRows(db: Queryable, tipId: string, toAgencyId: string) {
  await db.updateTable('tip_message').set({ agency_id: toAgencyId }).where('tip_id', '=', tipId).execute();
  await db.updateTable('record_identifier').set({ agency_id: toAgencyId }).where('record_type', '=', 'tip').where('record_id', '=', tipId).execute();
}

export function insertEvent(db: Queryable, event: { id: string; tipId: string; agencyId: string; at: string; kind: string; actorUserId: string; detail: Record<string, unknown> }) {
  return db
    .insertInto('tip_event')
    .values({ id: event.id, tip_id: event.tipId, agency_id: event.agencyId, at: event.at, kind: event.kind, actor_user_id: event.actorUserId, detail: JSON.stringify(event.detail) })
    .execute();
}

/**
 * Shares the tip, if it is still open in the queue the actor loaded it from (re-checked where it is
 * written). False when nothing was written: the tip moved or closed, or it was already shared with that
 * agency (the primary key decides, atomically).
 */
export async function insertShare(
  db: Queryable,
  share: { tipId: string; fromAgencyId: string; agencyId: string; sharedBy: string; at: string; reason: string },
  openStatuses: readonly string[],
): Promise<boolean> {
  const res = await db
    .insertInto('tip_share')
    .columns(['tip_id', 'agency_id', 'shared_by', 'shared_at', 'reason'])
    .expression(
      db
        .selectFrom('tip')
        .select((eb) => [eb.ref('id').as('tip_id'), eb.val(share.agencyId).as('agency_id'), eb.val(share.sharedBy).as('shared_by'), eb.val(share.at).as('shared_at'), eb.val(share.reason).as('reason')])
        .where('id', '=', share.tipId)
        .where('agency_id', '=', share.fromAgencyId)
        .where('status', 'in', openStatuses),
    )
    .onConflict((oc) => oc.columns(['tip_id', 'agency_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function findShare(db: Queryable, tipId: string, agencyId: string) {
  return db.selectFrom('tip_share').select(['shared_at', 'reason']).where('tip_id', '=', tipId).where('agency_id', '=', agencyId).executeTakeFirst();
}

/** The agencies of these task forces of the given kinds, but one, with whether the tip is shared with each. */
export function listDestinations(db: Queryable, tipId: string, taskForceIds: readonly string[], kinds: readonly string[], exceptAgencyId: string) {
  if (taskForceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('agency as a')
    .select((eb) => [
      'a.id',
      'a.name',
      'a.kind',
      eb.exists(eb.selectFrom('tip_share as s').select('s.agency_id').whereRef('s.agency_id', '=', 'a.id').where('s.tip_id', '=', tipId)).as('shared'),
    ])
    .where((eb) => eb.exists(eb.selectFrom('task_force_member as m').select('m.agency_id').whereRef('m.agency_id', '=', 'a.id').where('m.task_force_id', 'in', taskForceIds)))
    .where('a.kind', 'in', kinds)
    .where('a.id', '<>', exceptAgencyId)
    .orderBy('a.name')
    .orderBy('a.id')
    .execute();
}
