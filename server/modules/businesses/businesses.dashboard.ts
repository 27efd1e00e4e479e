import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { forbidden } from '../../lib/errors.ts';
import { csvRow } from '../../lib/csv.ts';
import { BUSINESS_STAGES, BUSINESS_STAGE_LABELS, type BusinessStage } from '../../../common/businesses.ts';
import type { BusinessSummary, CampaignDashboard } from '../../../common/schemas/businesses.ts';
import { worksCampaign } from './businesses.access.ts';
import * as q from './businesses.dashboard.queries.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

/** The pipeline's stages in order (without `cleared`, the exit of a legitimate business). */
export const PIPELINE_STAGES: readonly BusinessStage[] = BUSINESS_STAGES.filter((s) => s !== 'cleared');
const stageIndex = (stage: string) => PIPELINE_STAGES.indexOf(stage as BusinessStage);
/** Legal stages a business may pass through and leave (civil action, then referral, then closed): counted by their events. */
const EVENT_COUNTED: readonly BusinessStage[] = ['civil_action', 'criminal_referral'];

const zeroStages = () => Object.fromEntries(BUSINESS_STAGES.map((s) => [s, 0])) as Record<BusinessStage, number>;

function requireCampaign(actor: Actor) {
  if (!worksCampaign(actor)) throw forbidden('The campaign’s figures are for the business campaign’s staff.');
}

/**
 * The summary (issue #11, contract), over the businesses the actor may see (`business.read`):
 * - `byStage`: how many businesses are at each stage now (every stage named, zero included);
 * - `landlordsNotified`: distinct landlords of businesses whose landlord was notified (`notified_at` set);
 * - `landlordsResponded`: distinct landlords of businesses whose landlord answered (`responded_at` set);
 * - `evictedOrInEviction`: businesses with a lease action (`lease_action_at` set): those at lease action,
 *   closed, and in a later legal stage that came after a lease action — the attorney general's "evicted or
 *   in some phase of eviction".
 * Two grouped queries over the running counts (businesses.dashboard.queries.ts); no business is loaded.
 */
function summaryOf(groups: q.StageCountyCount[], landlords: { notified: number; responded: number }): BusinessSummary {
  const byStage = zeroStages();
  let evicted = 0;
  for (const g of groups) {
    byStage[g.stage as BusinessStage] = (byStage[g.stage as BusinessStage] ?? 0) + g.businesses;
    evicted += g.leaseAction;
  }
  return { byStage, landlordsNotified: landlords.notified, landlordsResponded: landlords.responded, evictedOrInEviction: evicted };
}

/** GET /api/businesses/summary: the contract's figures (see `summaryOf`), an audited read. */
export async function getSummary(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<BusinessSummary> {
  requireCampaign(actor);
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const [groups, landlords] = await Promise.all([q.countByCountyAndStage(tx.db, actor), q.countLandlords(tx.db, actor)]);
    const summary = summaryOf(groups, landlords);
    tx.audit({ action: 'business.read', recordType: 'business', detail: { view: 'summary', businesses: groups.reduce((s, g) => s + g.businesses, 0) } });
    return summary;
  });
}

/** The middle value (the mean of the two middle ones for an even count), or null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median of a histogram's values (each value `value` counted `count` times), or null for none: the
 * mean of the two middle values for an even count, as `median` gives over the values written out.
 */
export function medianOfHistogram(bins: readonly { value: number; count: number }[]): number | null {
  const sorted = bins.filter((b) => b.count > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, b) => s + b.count, 0);
  if (total === 0) return null;
  /** The k-th value (0-based) in order. */
  const at = (k: number) => {
    let seen = 0;
    for (const b of sorted) if ((seen += b.count) > k) return b.value;
    return sorted[sorted.length - 1]!.value;
  };
  const mid = Math.floor(total / 2);
  return total % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** The attorney general's sentence. */
export function evictionSentence(n: number): string {
  return n === 1 ? '1 business has been evicted or is in some phase of eviction.' : `${n.toLocaleString('en-US')} businesses have been evicted or are in some phase of eviction.`;
}

/**
 * The campaign at a glance (issue #11, item 7), over the businesses the actor may see:
 * - the summary's figures (`summaryOf`);
 * - `byCounty`: each county with a business, its name from the jurisdiction setting, its count by stage,
 *   and `closed` = businesses that closed (`closed_at` set, whatever legal stage came after);
 * - `responseRate`: landlords who answered of landlords notified (null before any notice);
 * - `medianDaysNoticeToClosure`: median days from the landlord's notice to closure, to a tenth of a day;
 * - `funnel`: businesses that reached each pipeline stage — identified: all; verified and landlord
 *   identified: those at that stage or later now; notified, responded, lease action, closed: those with
 *   the stage's date set (a business can pass from a landlord's answer to civil action without a lease
 *   action); civil action and criminal referral: those with an event moving them there (or there now).
 */
export async function getDashboard(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<CampaignDashboard> {
  requireCampaign(actor);
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const dashboard = await computeDashboard(tx.db, ctx, actor);
    tx.audit({ action: 'business.read', recordType: 'business', detail: { view: 'dashboard', businesses: dashboard.byCounty.reduce((s, c) => s + c.total, 0) } });
    return dashboard;
  });
}

/** The dashboard's figures (see `getDashboard`), read from the running counts in four queries run together; the caller audits. */
export async function computeDashboard(db: Queryable, ctx: Pick<AppContext, 'jurisdiction' | 'clock'>, actor: Actor): Promise<CampaignDashboard> {
  const [groups, landlords, reached, durations] = await Promise.all([
    q.countByCountyAndStage(db, actor),
    q.countLandlords(db, actor),
    q.countReachedByEvents(db, actor),
    q.closureHistogram(db, actor),
  ]);
  const summary = summaryOf(groups, landlords);
  const counties = new Map<string, { total: number; closed: number; byStage: Record<BusinessStage, number> }>();
  const funnel = new Map<BusinessStage, number>(PIPELINE_STAGES.map((s) => [s, 0]));
  const add = (stage: BusinessStage, k: number) => funnel.set(stage, funnel.get(stage)! + k);
  for (const g of groups) {
    const county = counties.get(g.countyFips) ?? { total: 0, closed: 0, byStage: zeroStages() };
    county.total += g.businesses;
    county.closed += g.closed;
    county.byStage[g.stage as BusinessStage] += g.businesses;
    counties.set(g.countyFips, county);
    add('identified', g.businesses);
    const at = stageIndex(g.stage);
    if (at >= stageIndex('verified')) add('verified', g.businesses);
    if (at >= stageIndex('landlord_identified')) add('landlord_identified', g.businesses);
    add('landlord_notified', g.notified);
    add('landlord_responded', g.responded);
    add('lease_action', g.leaseAction);
    add('closed', g.closed);
  }
  for (const stage of EVENT_COUNTED) funnel.set(stage, Math.max(reached.get(stage) ?? 0, summary.byStage[stage]));
  // Each duration is counted to the tenth of a day (migration 0017), so the median is of those.
  const mid = medianOfHistogram(durations.map((d) => ({ value: d.tenths / 10, count: d.businesses })));
  return {
    ...summary,
    byCounty: [...counties]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([fips, c]) => ({ countyFips: fips, countyName: ctx.jurisdiction.countyName(fips), total: c.total, closed: c.closed, byStage: c.byStage })),
    responseRate: landlords.notified ? landlords.responded / landlords.notified : null,
    medianDaysNoticeToClosure: mid === null ? null : Math.round(mid * 10) / 10,
    funnel: PIPELINE_STAGES.map((stage) => ({ stage, reached: funnel.get(stage)! })),
    sentence: evictionSentence(summary.evictedOrInEviction),
    state: ctx.jurisdiction.state.postal,
    asOf: ctx.clock.now().toISOString(),
  };
}

/**
 * The dashboard as CSV: one row per county with its count at each stage and its total, then a totals row.
 * Cells go through `csvCell` (formula injection neutralised), as every export does.
 */
export async function dashboardCsv(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<string> {
  const d = await getDashboard(ctx, actor, meta);
  let out = csvRow(['County FIPS', 'County', ...BUSINESS_STAGES.map((s) => BUSINESS_STAGE_LABELS[s]), 'Closed (ever)', 'Total']);
  for (const c of d.byCounty) out += csvRow([c.countyFips, c.countyName, ...BUSINESS_STAGES.map((s) => c.byStage[s]), c.closed, c.total]);
  const closed = d.byCounty.reduce((s, c) => s + c.closed, 0);
  const total = d.byCounty.reduce((s, c) => s + c.total, 0);
  out += csvRow(['', 'All counties', ...BUSINESS_STAGES.map((s) => d.byStage[s]), closed, total]);
  return out;
}
