import type { AppContext } from '../context.ts';
import { loadActor } from '../auth/actor.ts';
import { publishIfDue } from '../modules/statistics/statistics.service.ts';
import { quarterOf } from '../modules/statistics/quarters.ts';
import { DEMO_EMAIL_DOMAIN } from './demo-directory.ts';

const meta = { ip: null, userAgent: 'lantern demo', requestId: null };

export interface DemoStatisticsOptions {
  /** Publish the demo's statistics as of this moment rather than during the last quarter that has ended. */
  statisticsAsOf?: Date;
}

/**
 * A moment in the newest quarter that has ended (in the task force's time zone): published as of then,
 * every quarter before it is out and it is left for a PIO to publish.
 */
export function lastClosedQuarterMoment(now: Date, timeZone: string): Date {
  const current = quarterOf(now, timeZone);
  let at = now;
  while (quarterOf(at, timeZone) === current) at = new Date(at.getTime() - 86_400_000);
  return at;
}

/**
 * The demo's public statistics (issue #4): once the demo's operations are loaded, the demo PIO publishes
 * a release of the quarters that had ended by `statisticsAsOf` — the story's operation (Jackson County,
 * fourth quarter of 2020) and last year's inspection in Johnson County among them — through the same
 * service and policy as the API. Harmless to run again: with no new quarter ended it publishes nothing.
 *
 * By default it publishes as the PIO would have during the newest quarter that has ended, so that one
 * quarter is left for a demo PIO to preview and publish (issue #9, item 15). An earlier `statisticsAsOf`
 * leaves the quarters ended since.
 */
export async function publishDemoStatistics(ctx: AppContext, opts: DemoStatisticsOptions = {}): Promise<{ seq: number | null }> {
  const pio = await ctx.db.selectFrom('app_user').select('id').where('email', '=', `pio@${DEMO_EMAIL_DOMAIN}`).executeTakeFirst();
  if (!pio) return { seq: null };
  const asOf = opts.statisticsAsOf ?? lastClosedQuarterMoment(ctx.clock.now(), ctx.jurisdiction.timeZone);
  const at = { ...ctx, clock: { now: () => new Date(asOf) } };
  const release = await publishIfDue(at, await loadActor(ctx.db, pio.id), meta);
  return { seq: release?.seq ?? null };
}
