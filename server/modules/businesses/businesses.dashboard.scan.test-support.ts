import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { Queryable } from '../../db/database.ts';
import { visibleBusinesses } from './businesses.queries.ts';
import type { StageCountyCount } from './businesses.dashboard.queries.ts';

/*
 * The dashboard's figures counted the slow way, by scanning the visible businesses and their events: what
 * the dashboard read before migration 0017 gave it running counts. Kept as the reference the running
 * counts are checked against (businesses.dashboard.tally.test.ts).
 */

/** A count as either back end returns it (PostgreSQL's bigint arrives as a string). */
const n = (v: unknown) => Number(v ?? 0);

const flag = (column: 'b.notified_at' | 'b.responded_at' | 'b.lease_action_at' | 'b.closed_at') =>
  sql<number | string>`sum(case when ${sql.ref(column)} is not null then 1 else 0 end)`;

/**
 * The visible businesses counted by county and current stage, with how many of each group carry each
 * dated step (notified, responded, lease action, closed): one grouped scan, from which the summary, the
 * map and most of the funnel are added up.
 */
export async function countByCountyAndStage(db: Queryable, actor: Actor): Promise<StageCountyCount[]> {
  const rows = await visibleBusinesses(db, actor)
    .select((eb) => [
      'b.county_fips',
      'b.stage',
      eb.fn.countAll<number | string>().as('businesses'),
      flag('b.notified_at').as('notified'),
      flag('b.responded_at').as('responded'),
      flag('b.lease_action_at').as('lease_action'),
      flag('b.closed_at').as('closed'),
    ])
    .groupBy(['b.county_fips', 'b.stage'])
    .execute();
  return rows.map((r) => ({
    countyFips: r.county_fips,
    stage: r.stage,
    businesses: n(r.businesses),
    notified: n(r.notified),
    responded: n(r.responded),
    leaseAction: n(r.lease_action),
    closed: n(r.closed),
  }));
}

/** Distinct landlords of the visible businesses whose landlord was notified, and of those whose landlord answered. */
export async function countLandlords(db: Queryable, actor: Actor): Promise<{ notified: number; responded: number }> {
  const row = await visibleBusinesses(db, actor)
    .select([
      sql<number | string>`count(distinct case when b.notified_at is not null then b.landlord_id end)`.as('notified'),
      sql<number | string>`count(distinct case when b.responded_at is not null then b.landlord_id end)`.as('responded'),
    ])
    .executeTakeFirstOrThrow();
  return { notified: n(row.notified), responded: n(row.responded) };
}

/**
 * Visible businesses that ever moved to each of `stages`, by their stage events (`business_event.to_stage`):
 * for the legal stages a business may pass through and leave. One pass over the visible businesses, each
 * stage's movers a set read from the index `business_event_stage` (never the million events by business).
 */
export async function countReachedByEvents(db: Queryable, actor: Actor, stages: readonly string[]): Promise<Map<string, number>> {
  if (stages.length === 0) return new Map();
  const movedTo = (stage: string) => db.selectFrom('business_event as e').select('e.business_id').where('e.to_stage', '=', stage);
  const row = await visibleBusinesses(db, actor)
    .select((eb) => stages.map((stage, i) => eb.fn.sum<number | string>(eb.case().when('b.id', 'in', movedTo(stage)).then(1).else(0).end()).as(`s${i}`)))
    .executeTakeFirstOrThrow();
  const values = row as Record<string, unknown>;
  return new Map(stages.map((stage, i) => [stage, n(values[`s${i}`])]));
}

/** When the landlord was first notified and when the business closed, for the visible businesses that have both. */
export async function noticeToClosure(db: Queryable, actor: Actor): Promise<{ notifiedAt: string; closedAt: string }[]> {
  const rows = await visibleBusinesses(db, actor)
    .select(['b.notified_at', 'b.closed_at'])
    .where('b.notified_at', 'is not', null)
    .where('b.closed_at', 'is not', null)
    .execute();
  return rows.map((r) => ({ notifiedAt: r.notified_at!, closedAt: r.closed_at! }));
}
