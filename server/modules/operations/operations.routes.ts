import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import {
  operationDto,
  operationListQuery,
  operationSummaryDto,
  planOperationInput,
  reasonInput,
  resolveConflictInput,
  updateOperationInput,
} from '../../../common/schemas/operations.ts';
import { abilities, id, idParams } from '../../../common/schemas/shared.ts';
import {
  activateOperation,
  approveOperation,
  closeOperation,
  exportOperationsCsv,
  getOperation,
  listOperations,
  planOperation,
  resolveConflict,
  updateOperation,
  waiveConflicts,
} from './operations.service.ts';
import { afterActionHtml, afterActionPdf, buildAfterAction } from './after-action.ts';
import { operationWithSession } from './operation-state.ts';

export async function operationRoutes(app: App, ctx: AppContext) {
  const tags = ['operations'];
  app.get(
    '/operations',
    { schema: { tags, summary: 'Operations the caller may see', querystring: operationListQuery, response: { 200: z.object({ operations: z.array(operationSummaryDto), abilities }) } } },
    async (request) => listOperations(ctx, actorOf(request), request.query),
  );
  app.get(
    '/operations.csv',
    { schema: { tags, summary: 'The filtered operations list as CSV (the same filters as the list)', querystring: operationListQuery, response: { 200: z.string() } } },
    async (request, reply) => {
      const csv = await exportOperationsCsv(ctx, actorOf(request), request.query, request.meta);
      const stamp = ctx.clock.now().toISOString().slice(0, 10);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="lantern-operations-${stamp}.csv"`).send(csv);
    },
  );
  app.post(
    '/operations',
    { schema: { tags, summary: 'Plan an operation (draft); it is deconflicted at once', body: planOperationInput, response: { 201: operationDto } } },
    async (request, reply) => reply.status(201).send(await planOperation(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get('/operations/:id', { config: { withSession: { companion: operationWithSession, param: 'id' } }, schema: { tags, summary: 'One operation', params: idParams, response: { 200: operationDto } } }, async (request) =>
    getOperation(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.patch(
    '/operations/:id',
    { schema: { tags, summary: 'Change a draft or approved plan (an approved plan returns to draft)', params: idParams, body: updateOperationInput, response: { 200: operationDto } } },
    async (request) => updateOperation(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post('/operations/:id/approve', { schema: { tags, summary: 'Approve a draft plan', params: idParams, response: { 200: operationDto } } }, async (request) =>
    approveOperation(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post('/operations/:id/activate', { schema: { tags, summary: 'Start the operation (no unresolved conflicts)', params: idParams, response: { 200: operationDto } } }, async (request) =>
    activateOperation(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post('/operations/:id/close', { schema: { tags, summary: 'Close the operation', params: idParams, response: { 200: operationDto } } }, async (request) =>
    closeOperation(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post(
    '/operations/:id/waiver',
    { schema: { tags, summary: 'Record an emergency waiver over open conflicts', params: idParams, body: reasonInput, response: { 200: operationDto } } },
    async (request) => waiveConflicts(ctx, actorOf(request), request.params.id, request.body.reason, request.meta),
  );
  app.post(
    '/operations/:id/conflicts/:conflictId/resolve',
    { schema: { tags, summary: 'Mark a deconfliction conflict resolved', params: z.object({ id, conflictId: id }), body: resolveConflictInput, response: { 200: operationDto } } },
    async (request) => resolveConflict(ctx, actorOf(request), request.params.id, request.params.conflictId, request.body.note, request.meta),
  );
  app.get(
    '/operations/:id/after-action',
    { schema: { tags, summary: 'The after-action report, as a printable page', params: idParams, response: { 200: z.string() } } },
    async (request, reply) => {
      const report = await buildAfterAction(ctx, actorOf(request), request.params.id, request.meta);
      return reply.type('text/html; charset=utf-8').send(afterActionHtml(report));
    },
  );
  app.get(
    '/operations/:id/after-action.pdf',
    { schema: { tags, summary: 'The after-action report, as a tagged PDF', params: idParams, response: { 200: z.any() } } },
    async (request, reply) => {
      const report = await buildAfterAction(ctx, actorOf(request), request.params.id, request.meta);
      const safe = report.operation.name.replace(/[^A-Za-z0-9 -]/g, '').trim().replace(/\s+/g, '-').toLowerCase() || 'operation';
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="after-action-${safe}.pdf"`)
        .send(await afterActionPdf(report));
    },
  );
}
