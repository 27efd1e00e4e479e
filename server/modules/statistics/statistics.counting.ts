import type { AppContext } from '../../context.ts';
import { lockUntilCommit, type Queryable, type Trx } from '../../db/database.ts';
import { unsafeOutcomeCells } from '../contacts/contacts.outcome.ts';
import { FAMILIES, type Family, type Quarter } from '../disclosure/statistics.cells.ts';
import { nextQuarter, quarterOf } from './quarters.ts';
import * as q from './statistics.queries.ts';

/**
 * Keeps the public statistics' summary counts (atoms: family × category × county × quarter) current, in
 * the same transaction as the records they count, so a release never scans the records
 * (docs/disclosure.md, "Fixed periods, frozen once published").
 *
 * A count belongs to the quarter of its event (an operation's start, in the task force's zone) unless that
 * quarter is already published: then it goes to the current open quarter ("corrections batched into
 * later periods"), so a published quarter never changes.
 */

/** Held shared by every count and exclusively by a release, so a quarter cannot be frozen under a count. */
export const LEDGER_LOCK = 'statistics.ledger';

/**
 * Where a count of an event in `home` goes: `home`, unless a release has published it — or any later
 * quarter, since releases cover every quarter from the first one on — in which case the open quarter
 * of `now`.
 */
export async function targetQuarter(db: Queryable, home: Quarter, now: Date, timeZone: string): Promise<Quarter> {
  const newest = await q.newestFrozenQuarter(db);
  if (newest === null || home > newest) return home;
  const open = quarterOf(now, timeZone);
  // A clock behind the ledger (never in production) still must not write into a frozen quarter.
  return open > newest ? open : nextQuarter(newest);
}

type Counts = Map<string, { family: Family; category: string; value: number }>;

function add(counts: Counts, family: Family, category: string, n: number) {
  // A category the layout does not know would make every later release refuse to build; the schemas
  // keep them out, this keeps a stray one from blocking publication.
  if (!n || !(FAMILIES[family] as readonly string[]).includes(category)) return;
  const key = `${family}|${category}`;
  const c = counts.get(key);
  if (c) c.value += n;
  else counts.set(key, { family, category, value: n });
}

/**
 * What a closed operation counts: itself, its persons by role and by outcome, services offered. (A child
 * taken into protective custody is the outcome `protective_custody`; it is not counted twice.)
 */
async function operationCounts(db: Queryable, operationId: string): Promise<Counts> {
  const outcome = await unsafeOutcomeCells(db, operationId);
  const counts: Counts = new Map();
  add(counts, 'operations', 'all', 1);
  for (const g of outcome.groups) {
    add(counts, 'persons', g.role, g.count);
    if (g.disposition) add(counts, 'outcomes', g.disposition, g.count);
  }
  for (const s of outcome.services) add(counts, 'services', s.service, s.offered);
  return counts;
}

/**
 * Counts a closed operation into the atoms, or — when it was counted before (a correction to one of its
 * contacts) — only the difference from what was counted, recorded per operation in `stat_counted`.
 * Call it in the transaction that closes the operation or corrects the contact; it is idempotent.
 * The county is the operation's first location's; the quarter its start's (see {@link targetQuarter}).
 */
export async function countOperation(db: Trx, ctx: AppContext, operationId: string): Promise<void> {
  await lockUntilCommit(ctx.dialect, db, LEDGER_LOCK, 'shared');
  const place = await q.operationPlace(db, operationId);
  if (!place) return;
  const counts = await operationCounts(db, operationId);
  const before = await q.countedOf(db, operationId);
  const counted = before.length ? await q.countedPlaceOf(db, operationId) : undefined;
  const deltas = new Map([...counts].map(([key, c]) => [key, { ...c, delta: c.value }]));
  for (const b of before) {
    // Counted under a family the layout no longer has (children_protected, before issue #8): the release
    // ignores its atoms, so they are left as they are rather than taken back into the open quarter.
    if (!(b.family in FAMILIES)) continue;
    const key = `${b.family}|${b.category}`;
    const d = deltas.get(key);
    if (d) d.delta -= b.value;
    else deltas.set(key, { family: b.family as Family, category: b.category, value: 0, delta: -b.value });
  }
  const changed = [...deltas.values()].filter((d) => d.delta !== 0);
  if (!changed.length) return;
  const zone = ctx.jurisdiction.timeZone;
  const quarter = await targetQuarter(db, quarterOf(place.startsAt, zone), ctx.clock.now(), zone);
  const county = place.county ?? 'unknown';
  await q.addToAtoms(db, changed.map((d) => ({ family: d.family, category: d.category, county, quarter, delta: d.delta })));
  await q.setCounted(db, operationId, counts);
  // The operation stays where it was first counted (a published press release names that quarter); a
  // later difference may go to the open quarter. One counted before migration 0007 keeps no place.
  if (!before.length) await q.setCountedPlace(db, operationId, { county, quarter });
  else if (counted?.county_fips && counted.quarter) await q.setCountedPlace(db, operationId, { county: counted.county_fips, quarter: counted.quarter });
}

/**
 * Where an operation's counts are, or will be: the county and quarter they were first added to, as
 * {@link countOperation} recorded them; for one not counted yet (still active), its start's quarter as
 * {@link targetQuarter} places it now. One counted before that was recorded (migration 0007) was counted
 * when it closed — or, closed before the statistics existed, by the first release, into its own
 * quarter — so its quarter is reconstructed from what had been published when it closed.
 * Null when the operation does not exist.
 */
export async function countingPlace(db: Queryable, ctx: AppContext, operationId: string): Promise<{ county: string; quarter: Quarter } | null> {
  const place = await q.operationPlace(db, operationId);
  if (!place) return null;
  const counted = await q.countedPlaceOf(db, operationId);
  if (counted?.county_fips && counted.quarter) return { county: counted.county_fips, quarter: counted.quarter };
  const zone = ctx.jurisdiction.timeZone;
  const county = place.county ?? 'unknown';
  const home = quarterOf(place.startsAt, zone);
  if (!counted) return { county, quarter: await targetQuarter(db, home, ctx.clock.now(), zone) };
  const closedAt = (await q.operationClosedAt(db, operationId))?.closed_at ?? ctx.clock.now().toISOString();
  const newest = await q.newestFrozenQuarterAt(db, closedAt);
  if (newest === null || home > newest) return { county, quarter: home };
  const open = quarterOf(closedAt, zone);
  return { county, quarter: open > newest ? open : nextQuarter(newest) };
}

/** Of these operations, where those counted since migration 0007 were first counted (see {@link countingPlace}). */
export async function countedPlaces(db: Queryable, operationIds: readonly string[]): Promise<Map<string, { county: string; quarter: Quarter }>> {
  const rows = await q.countedPlaces(db, operationIds);
  return new Map(rows.map((r) => [r.operation_id, { county: r.county_fips, quarter: r.quarter }]));
}

/**
 * Families counted by other modules with {@link countEvent}: the business pipeline counts each business
 * when it first closes (issue #11), published statewide and by county (statistics.cells.ts, `FAMILIES`);
 * tips feed none yet, and a release ignores their atoms until their family is added to the layout.
 */
export type EventFamily = 'tips' | 'businesses_closed';

/**
 * The one call by which the tips and business-campaign modules feed their family: a tip received, a
 * business closed (`delta` −1 to take one back, with the same `at` and county as it was counted with).
 * In the caller's transaction, as for {@link countOperation}.
 */
export async function countEvent(db: Trx, ctx: AppContext, event: { family: EventFamily; county: string; at: Date | string; delta?: number }): Promise<void> {
  await lockUntilCommit(ctx.dialect, db, LEDGER_LOCK, 'shared');
  const zone = ctx.jurisdiction.timeZone;
  const quarter = await targetQuarter(db, quarterOf(event.at, zone), ctx.clock.now(), zone);
  await q.addToAtoms(db, [{ family: event.family, category: 'all', county: event.county, quarter, delta: event.delta ?? 1 }]);
}
