import type { Expression, SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { assignmentFlag } from '../../auth/access.ts';
import type { Queryable } from '../../db/database.ts';
import type { CustodyHandoffRow, CustodyHandoffTable, ParentNotificationTable } from '../../db/schema/index.ts';
import { custodyAccess } from './custody.access.ts';

/** Hand-offs the actor may see: the SQL form of `custody.read` (`custody.access.ts`). */
export function custodyVisibleTo(actor: Actor): Expression<SqlBool> {
  return custodyAccess.grants['custody.read'].where(actor);
}

function base(db: Queryable, actor: Actor) {
  return db
    .selectFrom('custody_handoff as h')
    .innerJoin('contact as c', 'c.id', 'h.contact_id')
    .innerJoin('operation as o', 'o.id', 'h.operation_id')
    .innerJoin('agency as fa', 'fa.id', 'h.agency_id')
    .innerJoin('agency as ta', 'ta.id', 'h.to_agency_id')
    .innerJoin('app_user as u', 'u.id', 'h.officer_user_id')
    .selectAll('h')
    .select([
      'c.person_number',
      'c.sex',
      'c.age_band',
      'c.estimated_age',
      'c.name as child_name',
      'o.name as operation_name',
      'fa.name as from_agency_name',
      'ta.name as to_agency_name',
      'u.display_name as officer_name',
      assignmentFlag(actor, 'h.operation_id').as('assigned'),
    ])
    .where(custodyVisibleTo(actor));
}
export type VisibleCustodyRow = NonNullable<Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirst']>>>;

export function findVisible(db: Queryable, actor: Actor, id: string) {
  return base(db, actor).where('h.id', '=', id).executeTakeFirst();
}

export function list(db: Queryable, actor: Actor, filter: { operationId?: string | undefined }) {
  let query = base(db, actor);
  if (filter.operationId) query = query.where('h.operation_id', '=', filter.operationId);
  return query.orderBy('h.taken_at', 'desc').orderBy('h.id', 'desc').limit(500).execute();
}

export function parentNotificationsOf(db: Queryable, handoffIds: readonly string[]) {
  if (handoffIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('parent_notification as p')
    .innerJoin('app_user as u', 'u.id', 'p.recorded_by')
    .selectAll('p')
    .select('u.display_name as recorder_name')
    .where('p.handoff_id', 'in', [...handoffIds])
    .orderBy('p.at')
    .orderBy('p.id')
    .execute();
}
export type ParentNotificationListRow = Awaited<ReturnType<typeof parentNotificationsOf>>[number];

/** A child-welfare agency the operation may hand a child to: a participant as child welfare, or a task-force member. */
export function findHandoffTarget(db: Queryable, agencyId: string, operationId: string, taskForceId: string) {
  return db
    .selectFrom('agency as a')
    .select([
      'a.id',
      'a.name',
      'a.kind',
      (eb) => eb.selectFrom('operation_agency as oa').select('oa.role').whereRef('oa.agency_id', '=', 'a.id').where('oa.operation_id', '=', operationId).limit(1).as('operation_role'),
      (eb) => eb.selectFrom('task_force_member as m').select('m.agency_id').whereRef('m.agency_id', '=', 'a.id').where('m.task_force_id', '=', taskForceId).limit(1).as('member'),
    ])
    .where('a.id', '=', agencyId)
    .executeTakeFirst();
}

/** The officer named on a hand-off: assigned to the operation, in the owning agency (so the sealed record is theirs to see). */
export function findAssignedOfficer(db: Queryable, operationId: string, userId: string, agencyId: string) {
  return db
    .selectFrom('operation_assignment as oa')
    .innerJoin('app_user as u', 'u.id', 'oa.user_id')
    .select(['u.id', 'u.display_name', 'u.phone'])
    .where('oa.operation_id', '=', operationId)
    .where('oa.user_id', '=', userId)
    .where('u.agency_id', '=', agencyId)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

export function findByContact(db: Queryable, contactId: string) {
  return db.selectFrom('custody_handoff').select('id').where('contact_id', '=', contactId).executeTakeFirst();
}

export async function insert(db: Queryable, row: CustodyHandoffTable) {
  await db.insertInto('custody_handoff').values(row).execute();
}

export async function insertParentNotification(db: Queryable, row: ParentNotificationTable) {
  await db.insertInto('parent_notification').values(row).execute();
}

export async function update(db: Queryable, id: string, changes: Partial<CustodyHandoffRow>) {
  await db.updateTable('custody_handoff').set(changes).where('id', '=', id).execute();
}

/** Records the receipt unless it was recorded a moment ago; false then. */
export async function updateUnreceived(db: Queryable, id: string, changes: Partial<CustodyHandoffRow>) {
  const res = await db.updateTable('custody_handoff').set(changes).where('id', '=', id).where('receipt_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Unfiled written statements due before `until` (and not long past: an overdue alert is filed the first
 * minute it applies), with what a notice may say: the person number and the operation's name.
 */
export function dueStatements(db: Queryable, until: string, notBefore: string) {
  return db
    .selectFrom('custody_handoff as h')
    .innerJoin('contact as c', 'c.id', 'h.contact_id')
    .innerJoin('operation as o', 'o.id', 'h.operation_id')
    .innerJoin('app_user as u', 'u.id', 'h.officer_user_id')
    .select(['h.id', 'h.agency_id', 'h.operation_id', 'h.officer_user_id', 'h.statement_due_at', 'c.person_number', 'o.name as operation_name', 'u.agency_id as officer_agency_id'])
    .where('h.statement_filed_at', 'is', null)
    .where('h.statement_due_at', '<=', until)
    .where('h.statement_due_at', '>', notBefore)
    .orderBy('h.statement_due_at')
    .execute();
}

export async function existingDedupeKeys(db: Queryable, keys: readonly string[]) {
  if (keys.length === 0) return new Set<string>();
  const rows = await db.selectFrom('inbox_item').select('dedupe_key').where('dedupe_key', 'in', [...keys]).execute();
  return new Set(rows.map((r) => r.dedupe_key));
}
