import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { TipEventTable, TipMessageTable, TipRow } from '../../db/schema/index.ts';
import { TIP_ROLES, sharedWithActorFlag, tipAccess } from './tips.access.ts';

/** Tips the actor may see: the SQL form of `tip.read` (`tips.access.ts`), over alias `t`. */
export function tipsVisibleTo(actor: Actor): Expression<SqlBool> {
  return tipAccess.grants['tip.read'].where(actor);
}

/** The queue's filters, already resolved to instants and ids. */
export interface TipFilter {
  agencyId?: string | undefined;
  countyFips?: string | undefined;
  statuses?: readonly string[] | undefined;
  urgent?: boolean | undefined;
  /** Received at or after. */
  from?: string | undefined;
  /** Received before. */
  before?: string | undefined;
  /** Assigned to this user; null: to no one. */
  assignee?: string | null | undefined;
}

function visible(db: Queryable, actor: Actor) {
  return db.selectFrom('tip as t').where(tipsVisibleTo(actor));
}

function filtered(db: Queryable, actor: Actor, f: TipFilter) {
  let q = visible(db, actor);
  if (f.agencyId) q = q.where('t.agency_id', '=', f.agencyId);
  if (f.countyFips) q = q.where('t.county_fips', '=', f.countyFips);
  if (f.statuses?.length) q = q.where('t.status', 'in', [...f.statuses]);
  if (f.urgent !== undefined) q = q.where('t.urgent', '=', f.urgent ? 1 : 0);
  if (f.from) q = q.where('t.received_at', '>=', f.from);
  if (f.before) q = q.where('t.received_at', '<', f.before);
  if (f.assignee === null) q = q.where('t.assigned_user_id', 'is', null);
  else if (f.assignee) q = q.where('t.assigned_user_id', '=', f.assignee);
  return q;
}

/** A tip with what a queue row shows: its agency, its assignee, whether it was shared with the actor, unread messages. */
function withRow<Q extends ReturnType<typeof visible>>(q: Q, actor: Actor) {
  return q
    .innerJoin('agency as a', 'a.id', 't.agency_id')
    .leftJoin('app_user as au', 'au.id', 't.assigned_user_id')
    .selectAll('t')
    .select((eb) => [
      'a.name as agency_name',
      'au.display_name as assignee_name',
      sharedWithActorFlag(actor).as('shared_with_actor'),
      eb
        .selectFrom('tip_message as m')
        .select((s) => s.fn.countAll<number | string>().as('n'))
        .whereRef('m.tip_id', '=', 't.id')
        .where('m.from_tipster', '=', 1)
        .where('m.read_at', 'is', null)
        .as('unread_messages'),
    ]);
}

export type VisibleTipRow = TipRow & {
  agency_name: string;
  assignee_name: string | null;
  shared_with_actor: number | string;
  unread_messages: number | string | null;
};

/** The queue: urgent first, then by score, then newest. */
export async function list(db: Queryable, actor: Actor, f: TipFilter, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    withRow(filtered(db, actor, f), actor)
      .orderBy('t.urgent', 'desc')
      .orderBy('t.score', 'desc')
      .orderBy('t.received_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(db, actor, f)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as VisibleTipRow[], total: Number(count.n) };
}

export async function findVisible(db: Queryable, actor: Actor, id: string): Promise<VisibleTipRow | undefined> {
  return (await withRow(visible(db, actor).where('t.id', '=', id), actor).executeTakeFirst()) as VisibleTipRow | undefined;
}

/** Visible tips by county, with the urgent ones still open. Tips with no county are not on the map. */
export async function countByCounty(db: Queryable, actor: Actor, f: TipFilter) {
  const rows = await filtered(db, actor, f)
    .where('t.county_fips', 'is not', null)
    .select((eb) => [
      't.county_fips',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string>(sql<number>`case when t.urgent = 1 and t.status <> 'closed' then 1 else 0 end`).as('urgent_open'),
    ])
    .groupBy('t.county_fips')
    .orderBy('t.county_fips')
    .execute();
  return rows.map((r) => ({ countyFips: r.county_fips!, count: Number(r.n), urgentOpen: Number(r.urgent_open ?? 0) }));
}

export function eventsOf(db: Queryable, tipId: string) {
  return db
    .selectFrom('tip_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.at', 'e.kind', 'e.detail', 'u.display_name as by_name'])
    .where('e.tip_id', '=', tipId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

export function messagesOf(db: Queryable, tipId: string) {
  return db
    .selectFrom('tip_message as m')
    .leftJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['m.id', 'm.at', 'm.from_tipster', 'm.body', 'm.read_at', 'u.display_name as author_name'])
    .where('m.tip_id', '=', tipId)
    .orderBy('m.at')
    .orderBy('m.id')
    .execute();
}

export function sharesOf(db: Queryable, tipId: string) {
  return db
    .selectFrom('tip_share as s')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .select(['s.agency_id', 'a.name as agency_name', 's.shared_at', 's.reason'])
    .where('s.tip_id', '=', tipId)
    .orderBy('s.shared_at')
    .execute();
}

/** Marks the tipster's messages read; returns how many were unread. */
export async function markTipsterMessagesRead(db: Queryable, tipId: string, at: string): Promise<number> {
  const res = await db.updateTable('tip_message').set({ read_at: at }).where('tip_id', '=', tipId).where('from_tipster', '=', 1).where('read_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Changes a tip still in the state and version the actor read; false when someone changed it first.
 * The version always moves on.
 */
export async function updateIfUnchanged(db: Queryable, id: string, seen: { status: string; version: number }, changes: Partial<Omit<TipRow, 'id' | 'version'>>) {
  const res = await db
    .updateTable('tip')
    .set({ ...changes, version: seen.version + 1 })
    .where('id', '=', id)
    .where('status', '=', seen.status)
    .where('version', '=', seen.version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function current(db: Queryable, id: string) {
  return db.selectFrom('tip').select(['status', 'version']).where('id', '=', id).executeTakeFirst();
}

export async function insertEvent(db: Queryable, row: TipEventTable) {
  await db.insertInto('tip_event').values(row).execute();
}

export async function insertMessage(db: Queryable, row: TipMessageTable) {
  await db.insertInto('tip_message').values(row).execute();
}

/** An enabled account of `agencyId` holding a tip-working role: who a tip of that agency may be assigned to. */
/** The active coordinators, analysts and officers of an agency: those a tip in its queue may be assigned to. */
function tipWorkers(db: Queryable, agencyId: string) {
  return db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.display_name'])
    .where('u.agency_id', '=', agencyId)
    .where('u.disabled_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('membership as m')
          .select('m.user_id')
          .whereRef('m.user_id', '=', 'u.id')
          .where('m.agency_id', '=', agencyId)
          .where('m.role', 'in', [...TIP_ROLES]),
      ),
    );
}

export function listTipWorkers(db: Queryable, agencyId: string) {
  return tipWorkers(db, agencyId).orderBy('u.display_name').execute();
}

export function findTipWorker(db: Queryable, agencyId: string, userId: string) {
  return tipWorkers(db, agencyId).where('u.id', '=', userId).executeTakeFirst();
}

/** The lead agency of a task force (whose coordinators hear of every urgent tip in it). */
export function leadAgencyOf(db: Queryable, taskForceId: string) {
  return db.selectFrom('task_force').select('agency_id').where('id', '=', taskForceId).executeTakeFirst();
}
