import { sql } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import type { StatReleaseCellTable, StatReleaseTable } from '../../db/schema/index.ts';
import { FAMILY_NAMES } from '../disclosure/statistics.cells.ts';

/** Storage of the public statistics: atoms (summary counts), what each operation counted, the release ledger. */

export interface AtomDelta {
  family: string;
  category: string;
  county: string;
  quarter: string;
  delta: number;
}

/** Adds to atoms, creating them at the delta: one statement, atomic on both back ends. */
export async function addToAtoms(db: Queryable, deltas: readonly AtomDelta[]) {
  const rows = deltas.filter((d) => d.delta !== 0).map((d) => ({ family: d.family, category: d.category, county_fips: d.county, quarter: d.quarter, value: d.delta }));
  if (!rows.length) return;
  await db
    .insertInto('stat_atom')
    .values(rows)
    .onConflict((oc) => oc.columns(['family', 'category', 'county_fips', 'quarter']).doUpdateSet({ value: sql<number>`stat_atom.value + excluded.value` }))
    .execute();
}

export async function newestFrozenQuarter(db: Queryable): Promise<string | null> {
  const row = await db.selectFrom('stat_frozen_quarter').select((eb) => eb.fn.max('quarter').as('q')).executeTakeFirst();
  return row?.q ?? null;
}

export async function frozenQuarters(db: Queryable): Promise<string[]> {
  return (await db.selectFrom('stat_frozen_quarter').select('quarter').orderBy('quarter').execute()).map((r) => r.quarter);
}

export async function freezeQuarters(db: Queryable, quarters: readonly string[], releaseId: string, at: string) {
  if (quarters.length) await db.insertInto('stat_frozen_quarter').values(quarters.map((quarter) => ({ quarter, frozen_at: at, release_id: releaseId }))).execute();
}

export function countedOf(db: Queryable, operationId: string) {
  return db.selectFrom('stat_counted').select(['family', 'category', 'value']).where('operation_id', '=', operationId).execute();
}

export async function setCounted(db: Queryable, operationId: string, counts: ReadonlyMap<string, { family: string; category: string; value: number }>) {
  await db.deleteFrom('stat_counted').where('operation_id', '=', operationId).execute();
  const rows = [...counts.values()].filter((c) => c.value !== 0).map((c) => ({ operation_id: operationId, family: c.family, category: c.category, value: c.value }));
  if (rows.length) await db.insertInto('stat_counted').values(rows).execute();
}

/** Where the operation's counts were first added: undefined when never counted; nulls when counted before migration 0007. */
export function countedPlaceOf(db: Queryable, operationId: string) {
  return db.selectFrom('stat_counted').select(['county_fips', 'quarter']).where('operation_id', '=', operationId).limit(1).executeTakeFirst();
}

export async function setCountedPlace(db: Queryable, operationId: string, place: { county: string; quarter: string }) {
  await db.updateTable('stat_counted').set({ county_fips: place.county, quarter: place.quarter }).where('operation_id', '=', operationId).execute();
}

/** Of these operations, the recorded places of those counted since migration 0007. */
export async function countedPlaces(db: Queryable, operationIds: readonly string[]) {
  const out: { operation_id: string; county_fips: string; quarter: string }[] = [];
  for (let i = 0; i < operationIds.length; i += 500) {
    const rows = await db
      .selectFrom('stat_counted')
      .select(['operation_id', 'county_fips', 'quarter'])
      .distinct()
      .where('operation_id', 'in', operationIds.slice(i, i + 500))
      .where('quarter', 'is not', null)
      .where('county_fips', 'is not', null)
      .execute();
    for (const r of rows) out.push({ operation_id: r.operation_id, county_fips: r.county_fips!, quarter: r.quarter! });
  }
  return out;
}

/** The newest quarter a release had frozen at `at` (ISO). */
export async function newestFrozenQuarterAt(db: Queryable, at: string): Promise<string | null> {
  const row = await db.selectFrom('stat_frozen_quarter').select((eb) => eb.fn.max('quarter').as('q')).where('frozen_at', '<=', at).executeTakeFirst();
  return row?.q ?? null;
}

export function operationClosedAt(db: Queryable, operationId: string) {
  return db.selectFrom('operation').select('closed_at').where('id', '=', operationId).executeTakeFirst();
}

/** The operation's start and the county of its first location (the one its counts go to). */
export async function operationPlace(db: Queryable, operationId: string) {
  const op = await db.selectFrom('operation').select(['id', 'starts_at']).where('id', '=', operationId).executeTakeFirst();
  if (!op) return null;
  const first = await db.selectFrom('operation_location').select('county_fips').where('operation_id', '=', operationId).orderBy('position').limit(1).executeTakeFirst();
  return { startsAt: op.starts_at, county: first?.county_fips ?? null };
}

/** Closed operations never counted (closed before the statistics existed): the publish step counts them. */
export async function uncountedClosedOperations(db: Queryable) {
  return (
    await db
      .selectFrom('operation as o')
      .select('o.id')
      .where('o.status', '=', 'closed')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('stat_counted as c').select('c.operation_id').whereRef('c.operation_id', '=', 'o.id'))))
      .execute()
  ).map((r) => r.id);
}

/** The first quarter through `through` with a count of a published family (tips and the like are counted, not yet published). */
export async function firstQuarterWithData(db: Queryable, through: string): Promise<string | null> {
  const row = await db
    .selectFrom('stat_atom')
    .select((eb) => eb.fn.min('quarter').as('q'))
    .where('value', '!=', 0)
    .where('family', 'in', FAMILY_NAMES)
    .where('quarter', '<=', through)
    .executeTakeFirst();
  return row?.q ?? null;
}

export function atomsBetween(db: Queryable, from: string, through: string) {
  return db
    .selectFrom('stat_atom')
    .select(['family', 'category', 'county_fips', 'quarter', 'value'])
    .where('quarter', '>=', from)
    .where('quarter', '<=', through)
    .where('value', '!=', 0)
    .execute();
}

export function negativeAtomsIn(db: Queryable, quarters: readonly string[]) {
  if (!quarters.length) return Promise.resolve([]);
  return db.selectFrom('stat_atom').select(['family', 'category', 'county_fips', 'quarter', 'value']).where('quarter', 'in', quarters).where('value', '<', 0).execute();
}

export async function setAtom(db: Queryable, a: { family: string; category: string; county: string; quarter: string }, value: number) {
  await db
    .updateTable('stat_atom')
    .set({ value })
    .where('family', '=', a.family)
    .where('category', '=', a.category)
    .where('county_fips', '=', a.county)
    .where('quarter', '=', a.quarter)
    .execute();
}

// ---------------------------------------------------------------------------------------------- ledger

export async function newestRelease(db: Queryable) {
  return db.selectFrom('stat_release').select(['id', 'seq', 'published_at', 'quarters']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export function releaseAt(db: Queryable, seq: number) {
  return db.selectFrom('stat_release').select(['id', 'seq']).where('seq', '=', seq).executeTakeFirst();
}

export function listReleases(db: Queryable) {
  return db
    .selectFrom('stat_release as r')
    .leftJoin('app_user as u', 'u.id', 'r.published_by')
    .select(['r.id', 'r.seq', 'r.published_at', 'r.quarters', 'r.new_quarters', 'r.cells', 'r.suppressed', 'r.complementary', 'u.display_name as publisher'])
    .orderBy('r.seq', 'desc')
    .execute();
}

/** The published face of a release's cells, in layout order (no atoms, no reasons). */
export function publicCellsOf(db: Queryable, releaseId: string) {
  return db.selectFrom('stat_release_cell').select(['family', 'dimensions', 'value', 'suppressed', 'reason', 'position']).where('release_id', '=', releaseId).orderBy('position').execute();
}

/** Every cell of releases after `afterSeq` that was new in its release, oldest release first: each ledger key once. */
export function firstCellsAfter(db: Queryable, afterSeq: number) {
  return db
    .selectFrom('stat_release_cell as c')
    .innerJoin('stat_release as r', 'r.id', 'c.release_id')
    .select(['r.seq', 'c.release_id', 'r.counties', 'c.key', 'c.family', 'c.dimensions', 'c.atoms', 'c.value', 'c.suppressed'])
    .where('c.first_release', '=', 1)
    .where('r.seq', '>', afterSeq)
    .orderBy('r.seq')
    .orderBy('c.position')
    .execute();
}

export async function maxSeq(db: Queryable): Promise<number> {
  const row = await db.selectFrom('stat_release').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export async function insertRelease(db: Queryable, release: StatReleaseTable, cells: readonly StatReleaseCellTable[]) {
  await db.insertInto('stat_release').values(release).execute();
  // 11 parameters a row: well under SQLite's and PostgreSQL's limits per statement.
  for (let i = 0; i < cells.length; i += 500) await db.insertInto('stat_release_cell').values(cells.slice(i, i + 500)).execute();
}
