import type { Expression, SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { containsText, holdRow, type Dialect, type Queryable } from '../../db/database.ts';
import type { OperationAgencyTable, OperationEventTable, OperationLocationRow, OperationRow, OperationSubjectRow } from '../../db/schema/index.ts';
import { blocking, involving } from './conflicts.queries.ts';
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

/** Of these operations, the ids the actor may see ("of these ids, which may this user read?"). */
export async function visibleAmong(db: Queryable, actor: Actor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('operation').select('id').where('id', 'in', ids).where(operationsVisibleTo(actor)).execute();
  return new Set(rows.map((r) => r.id));
}

/** Unscoped: only for code that has already established why it may look (a deconfliction match, a referral). */
export function unsafeFindById(db: Queryable, id: string) {
  return db.selectFrom('operation').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * `findVisible`, and whether the actor is assigned to the operation, in one statement: every request about
 * an operation needs both (its policy asks), and on PostgreSQL each statement is a round trip.
 */
export async function findVisibleWithAssignment(db: Queryable, actor: Actor, id: string) {
  const found = await db
    .selectFrom('operation')
    .selectAll('operation')
    .select((eb) =>
      eb
        .exists(eb.selectFrom('operation_assignment as oa').select('oa.user_id').whereRef('oa.operation_id', '=', 'operation.id').where('oa.user_id', '=', actor.userId))
        .as('actor_assigned'),
    )
    .where('operation.id', '=', id)
    .where(operationsVisibleTo(actor))
    .executeTakeFirst();
  if (!found) return undefined;
  const { actor_assigned, ...row } = found;
  // SQLite answers 1 or 0, PostgreSQL true or false.
  return { row, assigned: Number(actor_assigned) === 1 };
}

export interface ListFilter {
  status?: string | undefined;
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  agencyId?: string | undefined;
  county?: string | undefined;
}

/** The first rows the list shows, and the most an export carries. */
export const LIST_MAX = 500;
export const EXPORT_MAX = 5000;

/**
 * The operations the actor may see (always through `operationsVisibleTo`), filtered in SQL. `now`
 * decides which open conflicts still count (those between live operations, `blocking`).
 */
export function list(db: Queryable, actor: Actor, filter: ListFilter, now: string, limit = LIST_MAX) {
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
          .selectFrom('deconfliction_conflict')
          .select((s) => s.fn.countAll<number>().as('n'))
          .where(blocking(now))
          .where(involving(eb.ref('operation.id')))
          .as('open_conflicts'),
      (eb) => eb.selectFrom('contact').select((s) => s.fn.countAll<number>().as('n')).whereRef('contact.operation_id', '=', 'operation.id').as('contacts'),
    ])
    .where(operationsVisibleTo(actor));
  if (filter.status) query = query.where('operation.status', '=', filter.status);
  if (filter.q) {
    const q = filter.q;
    query = query.where((eb) => containsText(eb.ref('operation.name'), q));
  }
  if (filter.from) query = query.where('operation.ends_at', '>', new Date(filter.from).toISOString());
  if (filter.to) query = query.where('operation.starts_at', '<', new Date(filter.to).toISOString());
  if (filter.agencyId) {
    const agencyId = filter.agencyId;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('operation_agency as fa').select('fa.agency_id').whereRef('fa.operation_id', '=', 'operation.id').where('fa.agency_id', '=', agencyId)),
    );
  }
  if (filter.county) {
    const county = filter.county;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('operation_location as fl').select('fl.id').whereRef('fl.operation_id', '=', 'operation.id').where('fl.county_fips', '=', county)),
    );
  }
  return query.orderBy('operation.starts_at', 'desc').orderBy('operation.id').limit(limit).execute();
}

/** The counties of the listed operations' places, one read for all of them (the export's column). */
export function countiesOf(db: Queryable, operationIds: string[]) {
  if (operationIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('operation_location').select(['operation_id', 'county_fips']).distinct().where('operation_id', 'in', operationIds).execute();
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

/** The names a plan shows: its task force and lead agency, and how many contacts it holds. */
export async function namesAndCount(db: Queryable, row: Pick<OperationRow, 'id' | 'task_force_id' | 'agency_id'>) {
  const [taskForce, lead, contacts] = await Promise.all([
    db.selectFrom('task_force').select(['id', 'name']).where('id', '=', row.task_force_id).executeTakeFirstOrThrow(),
    db.selectFrom('agency').select(['id', 'name']).where('id', '=', row.agency_id).executeTakeFirstOrThrow(),
    db.selectFrom('contact').select((eb) => eb.fn.countAll<number>().as('n')).where('operation_id', '=', row.id).executeTakeFirstOrThrow(),
  ]);
  return { taskForce, lead, contacts: Number(contacts.n) };
}

// ---------------------------------------------------------------------------------------------- state

export function statusOf(db: Queryable, id: string) {
  return db.selectFrom('operation').select(['status', 'version']).where('id', '=', id).executeTakeFirst();
}

/** The operation's status and version, its row held until the commit (see `holdRow`). */
export function holdStatus(db: Queryable, dialect: Dialect, id: string, mode: 'exclusive' | 'shared') {
  return holdRow(dialect, db.selectFrom('operation').select(['status', 'version']).where('id', '=', id), mode).executeTakeFirst();
}

/** Writes `changes` only at the status and version given; returns whether it did. */
export async function updateAt(db: Queryable, at: Pick<OperationRow, 'id' | 'status' | 'version'>, changes: Partial<OperationRow>) {
  const updated = await db.updateTable('operation').set(changes).where('id', '=', at.id).where('status', '=', at.status).where('version', '=', at.version).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function insert(db: Queryable, row: OperationRow) {
  await db.insertInto('operation').values(row).execute();
}

export async function insertEvent(db: Queryable, row: OperationEventTable) {
  await db.insertInto('operation_event').values(row).execute();
}

/** The minors of an operation, with their decision and any hand-off (closing requires both). */
export function minorsOf(db: Queryable, operationId: string) {
  return db
    .selectFrom('contact')
    .leftJoin('custody_handoff', 'custody_handoff.contact_id', 'contact.id')
    .select(['contact.person_number', 'contact.disposition', 'custody_handoff.id as handoff_id'])
    .where('contact.operation_id', '=', operationId)
    .where('contact.role', '=', 'minor')
    .orderBy('contact.person_number')
    .execute();
}

// ---------------------------------------------------------------------------------------------- plan parts

/** The agencies of a task force, with their kind (who may take part, and as what). */
export function taskForceMembers(db: Queryable, taskForceId: string) {
  return db.selectFrom('task_force_member as m').innerJoin('agency as a', 'a.id', 'm.agency_id').select(['a.id', 'a.kind']).where('m.task_force_id', '=', taskForceId).execute();
}

/** Active accounts among `ids`, one row per role they hold. */
export function activeUsersWithRoles(db: Queryable, ids: string[]) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.agency_id', 'm.role'])
    .where('u.id', 'in', ids)
    .where('u.disabled_at', 'is', null)
    .execute();
}

/** Replaces the plan's places (and their grid cells, filed by the caller) and subjects. */
export async function replacePlaces(db: Queryable, operationId: string, locations: OperationLocationRow[], subjects: OperationSubjectRow[]) {
  await db.deleteFrom('operation_location_cell').where('operation_id', '=', operationId).execute();
  await db.deleteFrom('operation_location').where('operation_id', '=', operationId).execute();
  await db.deleteFrom('operation_subject').where('operation_id', '=', operationId).execute();
  if (locations.length) await db.insertInto('operation_location').values(locations).execute();
  if (subjects.length) await db.insertInto('operation_subject').values(subjects).execute();
}

export async function replaceParticipants(db: Queryable, operationId: string, rows: OperationAgencyTable[]) {
  await db.deleteFrom('operation_agency').where('operation_id', '=', operationId).execute();
  if (rows.length) await db.insertInto('operation_agency').values(rows).execute();
}

export async function replaceAssignments(db: Queryable, operationId: string, rows: { user_id: string; agency_id: string }[], at: string) {
  await db.deleteFrom('operation_assignment').where('operation_id', '=', operationId).execute();
  if (rows.length) await db.insertInto('operation_assignment').values(rows.map((r) => ({ operation_id: operationId, ...r, assigned_at: at }))).execute();
}

export type OperationListRow = Awaited<ReturnType<typeof list>>[number];
export type { OperationRow };
