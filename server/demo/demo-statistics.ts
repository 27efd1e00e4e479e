import type { AppContext } from '../context.ts';
import { loadActor } from '../auth/actor.ts';
import { publishIfDue } from '../modules/statistics/statistics.service.ts';
import { DEMO_EMAIL_DOMAIN } from './demo-directory.ts';

const meta = { ip: null, userAgent: 'lantern demo', requestId: null };

export interface DemoStatisticsOptions {
  /** Publish the demo's statistics as of this moment rather than now. */
  statisticsAsOf?: Date;
}

/**
 * The demo's public statistics (issue #4): once the demo's operations are loaded, the demo PIO publishes
 * a release of every quarter that has ended — the story's operation (Jackson County, fourth quarter of
 * 2020) and last year's inspection in Johnson County among them — through the same service and policy
 * as the API. Harmless to run again: with no new quarter ended it publishes nothing.
 *
 * `asOf` publishes as the PIO would have on that day, leaving the quarters that ended since for a PIO
 * to preview and publish (the browser tests do).
 */
export async function publishDemoStatistics(ctx: AppContext, opts: DemoStatisticsOptions = {}): Promise<{ seq: number | null }> {
  const pio = await ctx.db.selectFrom('app_user').select('id').where('email', '=', `pio@${DEMO_EMAIL_DOMAIN}`).executeTakeFirst();
  if (!pio) return { seq: null };
  const asOf = opts.statisticsAsOf;
  const at = asOf ? { ...ctx, clock: { now: () => new Date(asOf) } } : ctx;
  const release = await publishIfDue(at, await loadActor(ctx.db, pio.id), meta);
  return { seq: release?.seq ?? null };
}
