import { sql } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import type { BusinessScore } from '../../../common/schemas/businesses.ts';
import { BUSINESS_INDICATORS, BUSINESS_INDICATOR_WEIGHTS, INDICATOR_RECENT_DAYS, type BusinessIndicator } from '../../../common/businesses.ts';

const DAY_MS = 86_400_000;
/** Ids per query: far below both databases' bound-parameter limits. */
const CHUNK = 2000;

/** One indicator kind's standing evidence on one business, as the grouped query returns it. */
export interface IndicatorTally {
  indicator: BusinessIndicator;
  count: number;
  /** The newest observation (YYYY-MM-DD). */
  latest: string;
  /** Whether a second person verified any of the standing pieces. */
  verified: boolean;
}

/** The first day that still counts as recent at `now` (UTC calendar days). */
export function recentSince(now: Date): string {
  return new Date(now.getTime() - INDICATOR_RECENT_DAYS * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The score of one business from its standing evidence (issue #11, item 2): each indicator kind counts its
 * weight once however many pieces back it, halved when the newest piece is older than
 * INDICATOR_RECENT_DAYS (a business can change hands), and half as much again when a second person
 * verified it. The reasons list every kind, strongest first, so the number explains itself.
 */
export function scoreOf(tallies: readonly IndicatorTally[], now: Date): BusinessScore {
  const since = recentSince(now);
  const reasons = tallies
    .filter((t) => t.count > 0)
    .map((t) => {
      const recent = t.latest >= since;
      const points = BUSINESS_INDICATOR_WEIGHTS[t.indicator] * (recent ? 1 : 0.5) * (t.verified ? 1.5 : 1);
      return { indicator: t.indicator, count: t.count, verified: t.verified, latest: t.latest, recent, points };
    })
    .sort((a, b) => b.points - a.points || BUSINESS_INDICATORS.indexOf(a.indicator) - BUSINESS_INDICATORS.indexOf(b.indicator));
  const score = Math.round(reasons.reduce((sum, r) => sum + r.points, 0) * 100) / 100;
  return { score, reasons };
}

/**
 * The indicator score of each business (issue #11, item 2): which indicators, how recent, verified or
 * not. Set-based: one grouped query for all the ids (in chunks of a few thousand). Withdrawn evidence
 * does not count; an indicator of a kind the typology no longer lists is ignored. Every id asked for
 * has an entry (a business without evidence scores 0).
 */
export async function scoresFor(db: Queryable, businessIds: readonly string[], now: Date): Promise<Map<string, BusinessScore>> {
  const tallies = new Map<string, IndicatorTally[]>(businessIds.map((id) => [id, []]));
  const ids = [...tallies.keys()];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('business_indicator as bi')
      .select((eb) => [
        'bi.business_id',
        'bi.indicator',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.max('bi.observed_on').as('latest'),
        sql<number | string>`sum(case when bi.verified_at is not null then 1 else 0 end)`.as('verified'),
      ])
      .where('bi.business_id', 'in', ids.slice(i, i + CHUNK))
      .where('bi.withdrawn_at', 'is', null)
      .groupBy(['bi.business_id', 'bi.indicator'])
      .execute();
    for (const r of rows) {
      if (!(BUSINESS_INDICATORS as readonly string[]).includes(r.indicator)) continue;
      tallies.get(r.business_id)!.push({ indicator: r.indicator as BusinessIndicator, count: Number(r.n), latest: r.latest, verified: Number(r.verified) > 0 });
    }
  }
  return new Map([...tallies].map(([id, t]) => [id, scoreOf(t, now)]));
}
