import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { auditPageDto, auditQuery } from '../../../common/schemas/audit.ts';
import { exportAuditCsv, searchAudit } from './audit-log.service.ts';

export async function auditLogRoutes(app: App, ctx: AppContext) {
  const tags = ['audit'];
  app.get('/audit', { schema: { tags, summary: 'Search the audit log', querystring: auditQuery, response: { 200: auditPageDto } } }, async (request) =>
    searchAudit(ctx, actorOf(request), request.query, request.meta),
  );
  app.get(
    '/audit/export.csv',
    { schema: { tags, summary: 'The audit log search as CSV', querystring: auditQuery, response: { 200: z.string() } } },
    async (request, reply) => {
      const csv = await exportAuditCsv(ctx, actorOf(request), request.query, request.meta);
      const stamp = ctx.clock.now().toISOString().slice(0, 19).replaceAll(':', '');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="lantern-audit-${stamp}.csv"`)
        .send(csv);
    },
  );
}
