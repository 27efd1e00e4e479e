import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { timsQuery, timsReportDto } from '../../../common/schemas/clients.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import { timsCsv, timsReport } from './clients.report.ts';
import { PRINTOUT_LANGS, releasePrintout } from './clients.printout.ts';

/**
 * The agency's OVC TIMS-style quarterly measures (issue #12, item 6), for its compartment staff only, and
 * the client's printout of their releases (item 2), for the client's case team.
 */
export async function clientReportRoutes(app: App, ctx: AppContext) {
  const tags = ['clients'];
  app.get(
    '/clients/reports/tims',
    { schema: { tags, summary: "My agency's OVC TIMS measures for a quarter: clients served by type and nationality, services by category (aggregates only)", querystring: timsQuery, response: { 200: timsReportDto } } },
    async (request) => timsReport(ctx, actorOf(request), request.query.year, request.query.quarter, request.meta),
  );
  app.get(
    '/clients/reports/tims.csv',
    { schema: { tags, summary: 'The same measures as CSV: a header row, then one row per measure', querystring: timsQuery, response: { 200: z.string() } } },
    async (request, reply) => {
      const { year, quarter } = request.query;
      const csv = timsCsv(await timsReport(ctx, actorOf(request), year, quarter, request.meta));
      return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store').header('content-disposition', `attachment; filename="tims-${year}-q${quarter}.csv"`).send(csv);
    },
  );
  app.get(
    '/clients/:id/releases/printout.pdf',
    {
      schema: {
        tags,
        summary: "The client's printout of every release and every share under it, in English or Spanish (tagged PDF, audited)",
        params: idParams,
        querystring: z.object({ lang: z.enum(PRINTOUT_LANGS, { message: `must be one of ${PRINTOUT_LANGS.join(', ')}` }).default('en') }),
      },
    },
    async (request, reply) => {
      const file = await releasePrintout(ctx, actorOf(request), request.params.id, request.query.lang, request.meta);
      return reply.type('application/pdf').header('cache-control', 'no-store').header('content-disposition', `attachment; filename="releases-${request.query.lang}.pdf"`).send(file);
    },
  );
}
