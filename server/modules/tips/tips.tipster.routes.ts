import { z } from 'zod';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { requiredText } from '../../../common/schemas/shared.ts';
import { language } from '../../../common/schemas/disclosure.ts';
import { tipsterStatus } from '../../../common/schemas/tips.ts';
import { TIP_LIMITS } from '../../../common/tips.ts';
import { addTipsterMessage, tipsterView } from './tips.tipster.ts';
import { RateLimited } from './tips.tipster.intake.ts';

/** A receipt as typed: digits, maybe grouped by spaces or dashes. */
export const receiptInput = requiredText(100);

export const tipsterStatusInput = z.object({ receipt: receiptInput, language: language.optional() });
export const tipsterMessageInput = z.object({ receipt: receiptInput, body: requiredText(TIP_LIMITS.message) });

export const tipsterViewDto = z.object({
  status: tipsterStatus,
  language,
  messages: z.array(z.object({ at: z.string(), fromTipster: z.boolean(), body: z.string() })),
});

/** A refusal for too many requests names when to try again (Retry-After), then goes on to the app's error handler. */
export function withRetryAfter(error: FastifyError | Error, _request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof RateLimited) reply.header('retry-after', String(error.retryAfterSeconds));
  throw error;
}

/**
 * The tipster's JSON API (issue #10, item 3), for the same pages under /tip/status. POST only: the receipt
 * is a secret and never goes in a URL (logs, history, referrers). No session and no cookie: a cross-site
 * request can only ask about a receipt it already knows.
 */
export async function tipsterRoutes(app: App, ctx: AppContext) {
  const tags = ['tips'];
  const config = { access: 'public' as const };
  app.post(
    '/public/tips/status',
    {
      schema: {
        tags,
        summary: 'The tipster’s view of a tip, by its receipt: the status word and the conversation',
        body: tipsterStatusInput,
        response: { 200: tipsterViewDto },
      },
      config,
      errorHandler: withRetryAfter,
    },
    async (request) => tipsterView(ctx, { receipt: request.body.receipt, language: request.body.language, ip: request.ip }),
  );
  app.post(
    '/public/tips/messages',
    {
      schema: {
        tags,
        summary: 'The tipster adds information or answers the investigator',
        body: tipsterMessageInput,
        response: { 201: z.object({ at: z.string() }) },
      },
      config,
      errorHandler: withRetryAfter,
    },
    async (request, reply) => reply.status(201).send(await addTipsterMessage(ctx, { receipt: request.body.receipt, body: request.body.body, ip: request.ip })),
  );
}
