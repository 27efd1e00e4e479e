import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { importJob, importJobParams, importPreview, importPreviewInput, importStarted, importStartInput } from '../../../common/schemas/tips-import.ts';
import { failStaleImports, getImport, previewImport, rejectedRowsCsv, settleImports, startImport } from './tips.import.ts';

/** The national hotline's CSV import (issue #10, item 4): preview, start, follow, rejected rows. */
export async function tipImportRoutes(app: App, ctx: AppContext) {
  const tags = ['tips'];
  app.post(
    '/tips/import/preview',
    {
      schema: {
        tags,
        summary: "The file's columns, the suggested mapping, and its first rows as they would be filed, each with its problems (queue staff); writes nothing",
        body: importPreviewInput,
        response: { 200: importPreview },
      },
    },
    async (request) => previewImport(ctx, actorOf(request), request.body),
  );
  app.post(
    '/tips/import',
    {
      schema: { tags, summary: 'Import the file with the mapping (queue staff); answers the job at once', body: importStartInput, response: { 202: importStarted } },
    },
    async (request, reply) => reply.status(202).send(await startImport(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get(
    '/tips/import/:jobId',
    { schema: { tags, summary: 'An import: progress, imported, duplicates and every rejected row with its reason', params: importJobParams, response: { 200: importJob } } },
    async (request) => getImport(ctx, actorOf(request), request.params.jobId),
  );
  app.get(
    '/tips/import/:jobId/rejected.csv',
    { schema: { tags, summary: "An import's rejected rows as CSV: row, field, reason, then the file's own columns", params: importJobParams } },
    async (request, reply) => {
      const csv = await rejectedRowsCsv(ctx, actorOf(request), request.params.jobId, request.meta);
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="hotline-import-${request.params.jobId}-rejected.csv"`)
        .send(csv);
    },
  );
  // A job left running by a process that died is failed now, not when someone next looks.
  await failStaleImports(ctx).catch((err: Error) => ctx.log.warn({ err: err.message }, 'tip import: stale jobs not marked failed at start'));
  app.addHook('onClose', async () => settleImports(ctx));
}
