import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { assignmentFlag } from '../../auth/access.ts';
import { holdRow, lockUntilCommit, type Dialect, type Queryable, type Trx } from '../../db/database.ts';
import type { ContactRow } from '../../db/schema/index.ts';
import { contactAccess, sealedContactSql as sealedSql } from './contacts.access.ts';

/**
 * Contacts the actor may open, in SQL: the SQL form of `contact.read` (`contacts.access.ts`) — an adult's
 * record to whoever reads the operation's persons, a sealed record to the lead agency's assigned users
 * and the receiving caseworker.
 */
export function contactsVisibleTo(actor: Actor): Expression<SqlBool> {
  return contactAccess.grants['contact.read'].where(actor);
}

/** One contact the actor may open, with what its policy needs to know about the operation. */
export function findVisible(db: Queryable, actor: Actor, id: string) {
  return db
    .selectFrom('contact as c')
    .innerJoin('operation as o', 'o.id', 'c.operation_id')
    .selectAll('c')
    .select([
      'o.task_force_id as op_task_force_id',
      'o.status as op_status',
      'o.starts_at as op_starts_at',
      'o.commander_user_id as op_commander_user_id',
      assignmentFlag(actor, 'c.operation_id').as('op_assigned'),
      (eb) => eb.selectFrom('custody_handoff as h').select('h.to_agency_id').whereRef('h.contact_id', '=', 'c.id').limit(1).as('custody_to_agency_id'),
    ])
    .where('c.id', '=', id)
    .where(contactsVisibleTo(actor))
    .executeTakeFirst();
}
export type VisibleContactRow = NonNullable<Awaited<ReturnType<typeof findVisible>>>;

/**
 * The live list of an operation's contacts. Sealed records are left out unless `includeSealed` (the
 * caller is an assigned user of the lead agency); `since` keeps only rows changed after it.
 * Referral and custody figures are counts and ids only, for the list's badges.
 */
export function listForOperation(db: Queryable, operationId: string, opts: { includeSealed: boolean; since?: string | undefined }) {
  let query = db
    .selectFrom('contact as c')
    .innerJoin('app_user as u', 'u.id', 'c.recorded_by')
    .innerJoin('agency as a', 'a.id', 'c.recorded_by_agency_id')
    .selectAll('c')
    .select([
      'u.display_name as recorder_name',
      'a.name as recorder_agency_name',
      (eb) => eb.selectFrom('referral as r').select((s) => s.fn.countAll<number>().as('n')).whereRef('r.contact_id', '=', 'c.id').as('referral_count'),
      (eb) => eb.selectFrom('custody_handoff as h').select('h.id').whereRef('h.contact_id', '=', 'c.id').limit(1).as('custody_handoff_id'),
    ])
    .where('c.operation_id', '=', operationId);
  if (!opts.includeSealed) query = query.where(sql<SqlBool>`not ${sealedSql()}`);
  if (opts.since) query = query.where('c.updated_at', '>', opts.since);
  return query.orderBy('c.person_number').limit(5000).execute();
}
export type ContactListRow = Awaited<ReturnType<typeof listForOperation>>[number];

/** The same row shape as the list, for one contact already known to be visible. */
export function findListRow(db: Queryable, id: string) {
  return db
    .selectFrom('contact as c')
    .innerJoin('app_user as u', 'u.id', 'c.recorded_by')
    .innerJoin('agency as a', 'a.id', 'c.recorded_by_agency_id')
    .selectAll('c')
    .select([
      'u.display_name as recorder_name',
      'a.name as recorder_agency_name',
      (eb) => eb.selectFrom('referral as r').select((s) => s.fn.countAll<number>().as('n')).whereRef('r.contact_id', '=', 'c.id').as('referral_count'),
      (eb) => eb.selectFrom('custody_handoff as h').select('h.id').whereRef('h.contact_id', '=', 'c.id').limit(1).as('custody_handoff_id'),
    ])
    .where('c.id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function countForOperation(db: Queryable, operationId: string) {
  const row = await db
    .selectFrom('contact as c')
    .select([(eb) => eb.fn.countAll<number>().as('total'), sql<number>`sum(case when ${sealedSql()} then 1 else 0 end)`.as('sealed')])
    .where('c.operation_id', '=', operationId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), sealed: Number(row.sealed ?? 0) };
}

export function servicesOf(db: Queryable, contactIds: readonly string[]) {
  if (contactIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('contact_service').selectAll().where('contact_id', 'in', [...contactIds]).orderBy('contact_id').orderBy('service').execute();
}

/** The name of the turn officers recording into one operation take (an advisory lock on PostgreSQL). */
const numberingLock = (operationId: string) => `contact.person_number:${operationId}`;

/**
 * The start of recording a contact: officers recording into one operation take turns from here to the
 * commit (an advisory lock on PostgreSQL; SQLite has one writer, held by the transaction already). Then,
 * in one statement, the operation's row held (shared) so it cannot close meanwhile, its status, the next
 * person number and the contact already recorded under `clientRef` (a retry), if any. The lock comes
 * first, on its own: the numbers are read in a snapshot taken after it, and a queue of officers waiting
 * for it holds no row lock.
 */
export async function holdForRecording(trx: Trx, dialect: Dialect, operationId: string, clientRef: string | null) {
  if (dialect === 'postgres') await lockUntilCommit(dialect, trx, numberingLock(operationId));
  const row = await holdRow(
    dialect,
    trx
      .selectFrom('operation as o')
      .select((eb) => [
        'o.status',
        eb.selectFrom('contact').select((e) => e.fn.max('person_number').as('n')).where('operation_id', '=', operationId).as('last_number'),
        eb.selectFrom('contact').select('id').where('operation_id', '=', operationId).where('client_ref', '=', clientRef).limit(1).as('retry_id'),
        eb.selectFrom('contact').select('person_number').where('operation_id', '=', operationId).where('client_ref', '=', clientRef).limit(1).as('retry_number'),
      ])
      .where('o.id', '=', operationId),
    'shared',
  ).executeTakeFirst();
  if (!row) return null;
  return {
    status: row.status,
    next: Number(row.last_number ?? 0) + 1,
    retry: clientRef !== null && row.retry_id ? { id: row.retry_id, personNumber: Number(row.retry_number) } : null,
  };
}

/**
 * `holdForRecording` for a group commit's several operations at once: their turns taken in one statement,
 * in the order of the locks' keys (two batches that share operations take them in the same order, and
 * never each hold one the other waits for); then each operation's row held (shared), its status and last
 * person number in one statement, and the contacts already recorded under any of the `clientRefs`.
 */
export async function holdManyForRecording(trx: Trx, dialect: Dialect, operationIds: readonly string[], clientRefs: readonly string[]) {
  if (dialect === 'postgres') {
    // `offset 0` keeps the ordered subquery as it is, so the locks are taken in its order.
    await sql`select pg_advisory_xact_lock(l.k) from (select distinct hashtext(n) as k from unnest(${[...operationIds].map(numberingLock)}::text[]) as n order by k offset 0) as l`.execute(trx);
  }
  const ops = await holdRow(
    dialect,
    trx
      .selectFrom('operation as o')
      .select((eb) => ['o.id', 'o.status', eb.selectFrom('contact as c').select((e) => e.fn.max('c.person_number').as('n')).whereRef('c.operation_id', '=', 'o.id').as('last_number')])
      .where('o.id', 'in', [...operationIds]),
    'shared',
  ).execute();
  const retries = clientRefs.length
    ? await trx
        .selectFrom('contact')
        .select(['operation_id', 'client_ref', 'id', 'person_number'])
        .where('operation_id', 'in', [...operationIds])
        .where('client_ref', 'in', [...clientRefs])
        .execute()
    : [];
  return {
    operations: new Map(ops.map((o) => [o.id, { status: o.status, last: Number(o.last_number ?? 0) }])),
    retries: retries.map((r) => ({ operationId: r.operation_id, clientRef: r.client_ref!, id: r.id, personNumber: Number(r.person_number) })),
  };
}

/** Writes a change if the row is still at `version`; false when someone else changed it first. */
export async function updateAtVersion(db: Queryable, id: string, version: number, changes: Partial<ContactRow>) {
  const res = await db.updateTable('contact').set(changes).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertServices(db: Queryable, contactId: string, services: readonly { service: string; offered: boolean; accepted: boolean }[]) {
  if (services.length) {
    await db
      .insertInto('contact_service')
      .values(services.map((s) => ({ contact_id: contactId, service: s.service, offered: s.offered ? 1 : 0, accepted: s.accepted ? 1 : 0 })))
      .execute();
  }
}

export async function replaceServices(db: Queryable, contactId: string, services: readonly { service: string; offered: boolean; accepted: boolean }[]) {
  await db.deleteFrom('contact_service').where('contact_id', '=', contactId).execute();
  await insertServices(db, contactId, services);
}

export function hasReferrals(db: Queryable, contactId: string) {
  return db.selectFrom('referral').select('id').where('contact_id', '=', contactId).limit(1).executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------- outcome

/**
 * Counts of an operation's contacts by every dimension the outcome reports, in one grouped scan
 * (the contact table's (operation_id, person_number) key finds the operation's rows).
 */
export function outcomeGroups(db: Queryable, operationId: string) {
  return db
    .selectFrom('contact')
    .select(['role', 'sex', 'age_band', 'disposition', 'suspect_type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('operation_id', '=', operationId)
    .groupBy(['role', 'sex', 'age_band', 'disposition', 'suspect_type'])
    .execute();
}

/** Persons offered and accepting each service. */
export function outcomeServices(db: Queryable, operationId: string) {
  return db
    .selectFrom('contact_service as s')
    .innerJoin('contact as c', 'c.id', 's.contact_id')
    .select(['s.service', sql<number>`sum(s.offered)`.as('offered'), sql<number>`sum(s.accepted)`.as('accepted')])
    .where('c.operation_id', '=', operationId)
    .groupBy('s.service')
    .execute();
}

export async function outcomePersonsServed(db: Queryable, operationId: string) {
  const row = await db
    .selectFrom('contact as c')
    .select([
      sql<number>`sum(case when exists (select 1 from contact_service s where s.contact_id = c.id and s.offered = 1) then 1 else 0 end)`.as('offered'),
      sql<number>`sum(case when exists (select 1 from contact_service s where s.contact_id = c.id and s.accepted = 1) then 1 else 0 end)`.as('accepted'),
    ])
    .where('c.operation_id', '=', operationId)
    .executeTakeFirstOrThrow();
  return { offered: Number(row.offered ?? 0), accepted: Number(row.accepted ?? 0) };
}

/** The operation's referrals, counted by status and receiving agency (counts only, never their content). */
export function outcomeReferrals(db: Queryable, operationId: string) {
  return db
    .selectFrom('referral as r')
    .innerJoin('agency as a', 'a.id', 'r.to_agency_id')
    .select(['r.status', 'a.name as agency_name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.operation_id', '=', operationId)
    .groupBy(['r.status', 'a.name'])
    .execute();
}

/** The operation's custody hand-offs, counted by receiving agency and receipt. */
export function outcomeCustody(db: Queryable, operationId: string) {
  return db
    .selectFrom('custody_handoff as h')
    .innerJoin('agency as a', 'a.id', 'h.to_agency_id')
    .select(['a.name as agency_name', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when h.receipt_at is null then 0 else 1 end)`.as('received')])
    .where('h.operation_id', '=', operationId)
    .groupBy('a.name')
    .execute();
}

/** Every role × disposition pairing recorded on any contact (null: none recorded). */
export function rolePairings(db: Queryable) {
  return db.selectFrom('contact').select(['role', 'disposition']).distinct().execute();
}

/** Every role × service pairing offered to any contact. */
export function roleServices(db: Queryable) {
  return db
    .selectFrom('contact_service as s')
    .innerJoin('contact as c', 'c.id', 's.contact_id')
    .select(['c.role', 's.service'])
    .where('s.offered', '=', 1)
    .distinct()
    .execute();
}
