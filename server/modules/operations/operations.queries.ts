import type { Expression, SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { OperationRow } from '../../db/schema/index.ts';
import { operationAccess } from './operations.access.ts';

/**
 * Operations visible to the actor, in SQL: those they are assigned to, and — for coordinators, analysts
 * and public-information officers — every operation of their agency's task forces (the SQL form of
 * `operation.read`, declared in `operations.access.ts`).
 */
export function operationsVisibleTo(actor: Actor): Expression<SqlBool> {
  return operationAccess.grants['operation.read'].where(actor);
}

export function findVisible(db: Queryable, actor: Actor, id: string) {
  return db.selectFrom('operation').selectAll().where('id', '=', id).where(operationsVisibleTo(actor)).executeTakeFirst();
}

/** Unscoped: only for code that has already established why it may look (a deconfliction match, a referral). */
export function unsafeFindById(db: Queryable, id: string) {
  return db.selectFrom('operation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function isAssigned(db: Queryable, operationId: string, userId: string) {
  const row = await db.selectFrom('operation_assignment').select('user_id').where('operation_id', '=', operationId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export function list(db: Queryable, actor: Actor, filter: { status?: string | undefined; q?: string | undefined }) {
  let query = db
    .selectFrom('operation')
    .innerJoin('agency', 'agency.id', 'operation.agency_id')
    .select([
      'operation.id',
      'operation.name',
      'operation.type',
      'operation.status',
      'operation.starts_at',
      'operation.ends_at',
      'operation.agency_id',
      'operation.task_force_id',
      'operation.investigation_hold',
      'agency.name as lead_agency_name',
      (eb) =>
        eb
          .selectFrom('deconfliction_conflict as c')
          .select((s) => s.fn.countAll<number>().as('n'))
          .where('c.status', '=', 'open')
          .where((w) => w.or([w('c.operation_a', '=', w.ref('operation.id')), w('c.operation_b', '=', w.ref('operation.id'))]))
          .as('open_conflicts'),
      (eb) => eb.selectFrom('contact').select((s) => s.fn.countAll<number>().as('n')).whereRef('contact.operation_id', '=', 'operation.id').as('contacts'),
    ])
    .where(operationsVisibleTo(actor));
  if (filter.status) query = query.where('operation.status', '=', filter.status);
  if (filter.q) {
    const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb(eb.fn('lower', ['operation.name']), 'like', like));
  }
  return query.orderBy('operation.starts_at', 'desc').limit(500).execute();
}

export function participantsOf(db: Queryable, operationId: string) {
  return db
    .selectFrom('operation_agency as oa')
    .innerJoin('agency as a', 'a.id', 'oa.agency_id')
    .select(['oa.agency_id', 'oa.role', 'a.name', 'a.kind'])
    .where('oa.operation_id', '=', operationId)
    .orderBy('a.name')
    .execute();
}

export function assignmentsOf(db: Queryable, operationId: string) {
  return db
    .selectFrom('operation_assignment as oa')
    .innerJoin('app_user as u', 'u.id', 'oa.user_id')
    .innerJoin('agency as a', 'a.id', 'oa.agency_id')
    .select(['oa.user_id', 'oa.agency_id', 'u.display_name', 'a.name as agency_name'])
    .where('oa.operation_id', '=', operationId)
    .orderBy('u.display_name')
    .execute();
}

export function locationsOf(db: Queryable, operationId: string) {
  return db.selectFrom('operation_location').selectAll().where('operation_id', '=', operationId).orderBy('position').execute();
}

export function subjectsOf(db: Queryable, operationId: string) {
  return db.selectFrom('operation_subject').selectAll().where('operation_id', '=', operationId).orderBy('position').execute();
}

export type OperationListRow = Awaited<ReturnType<typeof list>>[number];
export type { OperationRow };
