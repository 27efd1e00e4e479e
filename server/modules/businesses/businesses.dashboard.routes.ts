import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { businessSummary, campaignDashboard } from '../../../common/schemas/businesses.ts';
import { dashboardCsv, getDashboard, getSummary } from './businesses.dashboard.ts';

/** The summary (contract), the dashboard and map, and its CSV (issue #11, item 7). */
export async function businessDashboardRoutes(app: App, ctx: AppContext) {
  const tags = ['businesses'];
  app.get(
    '/businesses/summary',
    {
      schema: {
        tags,
        summary: 'The campaign in four figures over the businesses I may see: count by stage, landlords notified and responded, businesses evicted or in eviction',
        response: { 200: businessSummary },
      },
    },
    async (request) => getSummary(ctx, actorOf(request), request.meta),
  );
  app.get(
    '/businesses/dashboard',
    {
      schema: {
        tags,
        summary: 'The campaign dashboard: counts by stage and county (for the map), response rate, median days from notice to closure, the funnel and the sentence',
        response: { 200: campaignDashboard },
      },
    },
    async (request) => getDashboard(ctx, actorOf(request), request.meta),
  );
  app.get(
    '/businesses/dashboard.csv',
    { schema: { tags, summary: 'The dashboard as CSV: one row per county with its count at each stage, then the totals', response: { 200: z.string() } } },
    async (request, reply) => {
      const csv = await dashboardCsv(ctx, actorOf(request), request.meta);
      const stamp = ctx.clock.now().toISOString().slice(0, 10);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="lantern-campaign-${stamp}.csv"`).send(csv);
    },
  );
}
