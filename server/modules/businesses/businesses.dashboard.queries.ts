import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { Queryable } from '../../db/database.ts';
import { businessesVisibleTo } from './businesses.queries.ts';

/**
 * The dashboard's figures, read from the running counts that migration 0017's triggers keep (by task force),
 * never from the businesses themselves: a handful of rows per county and stage, whatever the campaign's size.
 *
 * Which counts an actor may add up is `business.read`'s own SQL filter, applied to each count table under
 * the alias `b`: the rule reads only a business's task force, and each count row carries its task force,
 * so a row is visible exactly when the businesses it counts are. (Were the rule to read another column of
 * a business, these queries would fail loudly rather than count wrongly; businesses.dashboard.tally.test.ts
 * checks them against a scan of the businesses for generated actors.)
 */
const visible = (actor: Actor): Expression<SqlBool> => businessesVisibleTo(actor);

/** A count as either back end returns it (PostgreSQL's bigint sums arrive as strings). */
const n = (v: unknown) => Number(v ?? 0);

export interface StageCountyCount {
  countyFips: string;
  stage: string;
  businesses: number;
  notified: number;
  responded: number;
  leaseAction: number;
  closed: number;
}

/** The visible businesses by county and current stage, with how many of each group carry each dated step. */
export async function countByCountyAndStage(db: Queryable, actor: Actor): Promise<StageCountyCount[]> {
  const rows = await db
    .selectFrom('campaign_stage_tally as b')
    .where(visible(actor))
    .where('b.businesses', '>', 0)
    .select((eb) => [
      'b.county_fips',
      'b.stage',
      eb.fn.sum<number | string>('b.businesses').as('businesses'),
      eb.fn.sum<number | string>('b.notified').as('notified'),
      eb.fn.sum<number | string>('b.responded').as('responded'),
      eb.fn.sum<number | string>('b.lease_action').as('lease_action'),
      eb.fn.sum<number | string>('b.closed').as('closed'),
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
  const row = await db
    .selectFrom('campaign_landlord_tally as b')
    .where(visible(actor))
    .select([
      sql<number | string>`count(distinct case when b.notified > 0 then b.landlord_id end)`.as('notified'),
      sql<number | string>`count(distinct case when b.responded > 0 then b.landlord_id end)`.as('responded'),
    ])
    .executeTakeFirstOrThrow();
  return { notified: n(row.notified), responded: n(row.responded) };
}

/** Visible businesses that ever moved to each of the event-counted stages (civil action, criminal referral). */
export async function countReachedByEvents(db: Queryable, actor: Actor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('campaign_reached_tally as b')
    .where(visible(actor))
    .select((eb) => ['b.stage', eb.fn.sum<number | string>('b.businesses').as('businesses')])
    .groupBy('b.stage')
    .execute();
  return new Map(rows.map((r) => [r.stage, n(r.businesses)]));
}

/** Days from notice to closure of the visible businesses, in tenths of a day: how many closed after each. */
export async function closureHistogram(db: Queryable, actor: Actor): Promise<{ tenths: number; businesses: number }[]> {
  const rows = await db
    .selectFrom('campaign_closure_tally as b')
    .where(visible(actor))
    .where('b.businesses', '>', 0)
    .select((eb) => ['b.tenths', eb.fn.sum<number | string>('b.businesses').as('businesses')])
    .groupBy('b.tenths')
    .execute();
  return rows.map((r) => ({ tenths: n(r.tenths), businesses: n(r.businesses) }));
}
