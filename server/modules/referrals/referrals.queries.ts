import type { Expression, SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { assignmentFlag } from '../../auth/access.ts';
import type { Queryable } from '../../db/database.ts';
import type { ReferralNoteTable, ReferralRow, ReferralTable } from '../../db/schema/index.ts';
import { referralAccess } from './referrals.access.ts';

/** Referrals the actor may see: the SQL form of `referral.read` (`referrals.access.ts`). */
export function referralsVisibleTo(actor: Actor): Expression<SqlBool> {
  return referralAccess.grants['referral.read'].where(actor);
}

function base(db: Queryable, actor: Actor) {
  return db
    .selectFrom('referral as r')
    .innerJoin('agency as ta', 'ta.id', 'r.to_agency_id')
    .innerJoin('agency as fa', 'fa.id', 'r.agency_id')
    .innerJoin('contact as c', 'c.id', 'r.contact_id')
    .innerJoin('app_user as su', 'su.id', 'r.sent_by')
    .selectAll('r')
    .select(['ta.name as to_agency_name', 'fa.name as from_agency_name', 'c.person_number', 'su.display_name as sender_name', assignmentFlag(actor, 'r.operation_id').as('assigned')])
    .where(referralsVisibleTo(actor));
}
export type VisibleReferralRow = NonNullable<Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirst']>>>;

export function findVisible(db: Queryable, actor: Actor, id: string) {
  return base(db, actor).where('r.id', '=', id).executeTakeFirst();
}

export function list(db: Queryable, actor: Actor, filter: { operationId?: string | undefined; contactId?: string | undefined; status?: string | undefined }) {
  let query = base(db, actor);
  if (filter.operationId) query = query.where('r.operation_id', '=', filter.operationId);
  if (filter.contactId) query = query.where('r.contact_id', '=', filter.contactId);
  if (filter.status) query = query.where('r.status', '=', filter.status);
  return query.orderBy('r.sent_at', 'desc').orderBy('r.id', 'desc').limit(500).execute();
}

/**
 * A victim-services agency the operation may refer to: one taking part in it as victim services, or a
 * victim-services member of its task force.
 */
export function findReferralTarget(db: Queryable, agencyId: string, operationId: string, taskForceId: string) {
  return db
    .selectFrom('agency as a')
    .select([
      'a.id',
      'a.name',
      'a.kind',
      (eb) =>
        eb
          .selectFrom('operation_agency as oa')
          .select('oa.role')
          .whereRef('oa.agency_id', '=', 'a.id')
          .where('oa.operation_id', '=', operationId)
          .limit(1)
          .as('operation_role'),
      (eb) =>
        eb
          .selectFrom('task_force_member as m')
          .select('m.agency_id')
          .whereRef('m.agency_id', '=', 'a.id')
          .where('m.task_force_id', '=', taskForceId)
          .limit(1)
          .as('member'),
    ])
    .where('a.id', '=', agencyId)
    .executeTakeFirst();
}

/** An open (sent or accepted) referral of this person to this agency. */
export function findOpen(db: Queryable, contactId: string, toAgencyId: string) {
  return db
    .selectFrom('referral')
    .select('id')
    .where('contact_id', '=', contactId)
    .where('to_agency_id', '=', toAgencyId)
    .where('status', 'in', ['sent', 'accepted'])
    .executeTakeFirst();
}

export async function insert(db: Queryable, row: ReferralTable) {
  await db.insertInto('referral').values(row).execute();
}

/** Changes a referral still in `fromStatus`; false when it moved on first. */
export async function updateFromStatus(db: Queryable, id: string, fromStatus: string, changes: Partial<ReferralRow>) {
  const res = await db.updateTable('referral').set(changes).where('id', '=', id).where('status', '=', fromStatus).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function update(db: Queryable, id: string, changes: Partial<ReferralRow>) {
  await db.updateTable('referral').set(changes).where('id', '=', id).execute();
}

export function agencyOfUser(db: Queryable, userId: string) {
  return db.selectFrom('app_user').select(['agency_id']).where('id', '=', userId).executeTakeFirst();
}

/** The advocates' notes of these referrals, oldest first (callers check the actor may read them). */
export function notesOf(db: Queryable, referralIds: readonly string[]) {
  if (referralIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('referral_note as n')
    .leftJoin('app_user as u', 'u.id', 'n.author_user_id')
    .selectAll('n')
    .select('u.display_name as author_name')
    .where('n.referral_id', 'in', [...referralIds])
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
}
export type ReferralNoteListRow = Awaited<ReturnType<typeof notesOf>>[number];

/** Appends a note: there is no update or delete of a note. */
export async function insertNote(db: Queryable, row: ReferralNoteTable) {
  await db.insertInto('referral_note').values(row).execute();
}
