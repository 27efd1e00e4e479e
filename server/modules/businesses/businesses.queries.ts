import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { containsText, type Queryable } from '../../db/database.ts';
import type { BusinessTable, DB } from '../../db/schema/index.ts';
import type { BusinessRow } from '../../db/schema/index.ts';
import type { BusinessStage } from '../../../common/businesses.ts';
import { businessAccess, type BusinessRecord } from './businesses.access.ts';

/** Businesses the actor may see: the SQL form of `business.read` (`businesses.access.ts`), over alias `b`. */
export function businessesVisibleTo(actor: Actor): Expression<SqlBool> {
  return businessAccess.grants['business.read'].where(actor);
}

/** The businesses the actor may see, alias `b`: every list and lookup starts here. */
export function visibleBusinesses(db: Queryable, actor: Actor) {
  return db.selectFrom('business as b').where(businessesVisibleTo(actor));
}

/** One business the actor may see, or undefined (the caller answers 404: not found and not visible look the same). */
export async function findVisibleBusiness(db: Queryable, actor: Actor, id: string): Promise<BusinessRow | undefined> {
  return visibleBusinesses(db, actor).selectAll('b').where('b.id', '=', id).executeTakeFirst();
}

/** What the rules read from a business row. */
export function businessRecord(row: Pick<BusinessRow, 'id' | 'agency_id' | 'task_force_id' | 'stage'>): BusinessRecord {
  return { id: row.id, agencyId: row.agency_id, taskForceId: row.task_force_id, stage: row.stage as BusinessStage };
}

// ---------------------------------------------------------------------------------------------- the registry

/** A visible business with what its list row shows: the agency's name and the open re-opening alerts. */
export type BusinessListRow = BusinessRow & { agency_name: string; open_alerts: number | string };

export interface BusinessFilter {
  stage?: BusinessStage | undefined;
  countyFips?: string | undefined;
  /** Words, each found in the name, the address or the city. */
  words?: readonly string[] | undefined;
}

type VisibleQuery = ReturnType<typeof visibleBusinesses>;
type B = DB & { b: BusinessTable };

function listed(base: VisibleQuery) {
  return base
    .innerJoin('agency as a', 'a.id', 'b.agency_id')
    .selectAll('b')
    .select('a.name as agency_name')
    .select((eb) =>
      eb
        .selectFrom('business_alert as ba')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('ba.business_id', '=', 'b.id')
        .where('ba.dismissed_at', 'is', null)
        .as('open_alerts'),
    );
}

/** The visible businesses matching a filter, newest stage change first, with the total matching. */
export async function listBusinesses(db: Queryable, actor: Actor, filter: BusinessFilter, page: { limit: number; offset: number }) {
  const where = (eb: ExpressionBuilder<B, 'b'>) => {
    const parts: Expression<SqlBool>[] = [];
    if (filter.stage) parts.push(eb('b.stage', '=', filter.stage));
    if (filter.countyFips) parts.push(eb('b.county_fips', '=', filter.countyFips));
    for (const w of filter.words ?? []) parts.push(eb.or([containsText(eb.ref('b.name'), w), containsText(eb.ref('b.address'), w), containsText(eb.ref('b.city'), w)]));
    return eb.and(parts);
  };
  const [rows, total] = await Promise.all([
    listed(visibleBusinesses(db, actor).where(where))
      .orderBy('b.stage_changed_at', 'desc')
      .orderBy('b.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute() as Promise<BusinessListRow[]>,
    visibleBusinesses(db, actor)
      .where(where)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

/** One visible business with its list row's columns, or undefined. */
export async function findVisibleListRow(db: Queryable, actor: Actor, id: string): Promise<BusinessListRow | undefined> {
  return (await listed(visibleBusinesses(db, actor).where('b.id', '=', id)).executeTakeFirst()) as BusinessListRow | undefined;
}

/** The business already entered at this place under this name in the task force (the duplicate), if any. */
export async function findSamePlace(db: Queryable, taskForceId: string, addressKey: string, nameKey: string) {
  return db
    .selectFrom('business')
    .select(['id', 'name', 'address'])
    .where('task_force_id', '=', taskForceId)
    .where('address_key', '=', addressKey)
    .where('name_key', '=', nameKey)
    .executeTakeFirst();
}

export async function factsOf(db: Queryable, businessId: string) {
  return db
    .selectFrom('business_fact as f')
    .leftJoin('app_user as u', 'u.id', 'f.recorded_by')
    .selectAll('f')
    .select('u.display_name as recorded_by_name')
    .where('f.business_id', '=', businessId)
    .orderBy('f.recorded_at')
    .orderBy('f.id')
    .execute();
}

export async function operatorsOf(db: Queryable, businessId: string) {
  return db.selectFrom('business_operator').selectAll().where('business_id', '=', businessId).orderBy('recorded_at').orderBy('id').execute();
}

export async function countOperators(db: Queryable, businessId: string): Promise<number> {
  const row = await db.selectFrom('business_operator').select((eb) => eb.fn.countAll<number>().as('n')).where('business_id', '=', businessId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function displayNames(db: Queryable, userIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter((u): u is string => !!u))];
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function landlordOf(db: Queryable, landlordId: string) {
  return db.selectFrom('landlord').select(['id', 'name']).where('id', '=', landlordId).executeTakeFirst();
}

/**
 * The other businesses the actor may see sharing an identifier of the index with `businessId` (a
 * phone, a handle or website, the address, a name), one row per (business, shared hash): one query.
 */
export async function sharedIdentifiers(db: Queryable, actor: Actor, businessId: string) {
  return visibleBusinesses(db, actor)
    .innerJoin('record_identifier as other', (j) => j.onRef('other.record_id', '=', 'b.id').on('other.record_type', '=', 'business'))
    .innerJoin('record_identifier as own', (j) => j.onRef('own.blind', '=', 'other.blind').on('own.record_type', '=', 'business').on('own.record_id', '=', businessId))
    .where('b.id', '!=', businessId)
    .select(['b.id', 'b.name', 'b.address', 'b.city', 'b.stage', 'own.kind', 'own.blind'])
    .execute();
}

/** The other businesses the actor may see sharing an operator's name hash with `businessId`: one query. */
export async function sharedOperators(db: Queryable, actor: Actor, businessId: string) {
  return visibleBusinesses(db, actor)
    .innerJoin('business_operator as other', 'other.business_id', 'b.id')
    .innerJoin('business_operator as own', (j) => j.onRef('own.name_blind', '=', 'other.name_blind').on('own.business_id', '=', businessId))
    .where('b.id', '!=', businessId)
    .select(['b.id', 'b.name', 'b.address', 'b.city', 'b.stage', 'own.id as own_operator_id', 'own.name as own_operator_name'])
    .execute();
}
