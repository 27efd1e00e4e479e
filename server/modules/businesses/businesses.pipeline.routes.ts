import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import { sendFile } from '../../lib/attachments.ts';
import type { AppContext } from '../../context.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import {
  businessEvents,
  clearBusinessInput,
  indicatorDto,
  indicatorInput,
  indicatorList,
  stageChanged,
  stageChangeInput,
  verifyIndicatorInput,
  withdrawIndicatorInput,
} from '../../../common/schemas/businesses.ts';
import { downloadAttachment, INDICATOR_BODY_LIMIT, listIndicators, recordIndicator, verifyIndicator, withdrawIndicator } from './businesses.indicators.ts';
import { changeStage, clearBusiness, listBusinessEvents } from './businesses.stages.ts';

/** Indicators, verification, clearing and the pipeline's stages (issue #11, items 2 and 5). */
export async function businessPipelineRoutes(app: App, ctx: AppContext) {
  const tags = ['businesses'];
  app.post(
    '/businesses/:id/indicators',
    {
      bodyLimit: INDICATOR_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Record an indicator (Polaris typology) with its evidence: a note, the day observed, and optionally a photo or PDF (base64, at most 5 MB)',
        params: idParams,
        body: indicatorInput,
        response: { 201: indicatorDto },
      },
    },
    async (request, reply) => reply.status(201).send(await recordIndicator(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.get(
    '/businesses/:id/indicators',
    { schema: { tags, summary: "A business's indicators with their evidence (withdrawn ones marked) and the score that explains itself", params: idParams, response: { 200: indicatorList } } },
    async (request) => listIndicators(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post(
    '/business-indicators/:id/verify',
    { schema: { tags, summary: 'Verify an indicator: a second person (never the one who recorded it) confirms the evidence', params: idParams, body: verifyIndicatorInput, response: { 200: indicatorDto } } },
    async (request) => verifyIndicator(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/business-indicators/:id/withdraw',
    { schema: { tags, summary: 'Withdraw an indicator with a reason: it stays in the history, marked, and no longer counts', params: idParams, body: withdrawIndicatorInput, response: { 200: indicatorDto } } },
    async (request) => withdrawIndicator(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.get(
    '/business-attachments/:id',
    { schema: { tags, summary: "Download an indicator's attachment (to whoever reads its business; audited)", params: idParams, response: { 200: z.any() } } },
    async (request, reply) => {
      const file = await downloadAttachment(ctx, actorOf(request), request.params.id, request.meta);
      return sendFile(reply, file);
    },
  );
  app.post(
    '/businesses/:id/stage',
    {
      schema: {
        tags,
        summary: 'Move a business to its next stage (with the outcome where the stage has one); out-of-order changes are refused naming the allowed next stages',
        params: idParams,
        body: stageChangeInput,
        response: { 200: stageChanged },
      },
    },
    async (request) => changeStage(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/businesses/:id/clear',
    { schema: { tags, summary: 'Clear a legitimate business with a reason (until its landlord is notified): shown in its history as plainly as a flag', params: idParams, body: clearBusinessInput, response: { 200: stageChanged } } },
    async (request) => clearBusiness(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.get(
    '/businesses/:id/events',
    { schema: { tags, summary: "A business's dated history: entry, indicators, verification, every stage change and clearing, with who", params: idParams, response: { 200: businessEvents } } },
    async (request) => listBusinessEvents(ctx, actorOf(request), request.params.id, request.meta),
  );
}
