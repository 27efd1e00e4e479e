import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { altchaChallenge, publicTipInput, receiptResponse } from '../../../common/schemas/tips.ts';
import { TIP_LIMITS } from '../../../common/tips.ts';
import { createTipChallenge } from './altcha.ts';
import { checkTipRate, RateLimited } from './tips.limits.ts';
import { settleTipIntake, submitPublicTip } from './tips.public.ts';

/**
 * The public tip API (issue #10, contract): a proof-of-work challenge, and the tip itself. No sign-in, no
 * cookie set; the body is refused past TIP_LIMITS.bodyBytes before it is parsed (413).
 */
export async function tipPublicRoutes(app: App, ctx: AppContext) {
  const tags = ['tips (public)'];
  const config = { access: 'public' as const };
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    // A refusal for too many tips says when to come back.
    scope.addHook('onError', async (_request, reply, error) => {
      if (error instanceof RateLimited) reply.header('retry-after', String(error.retryAfterSeconds));
    });
    // A closing server finishes the queue drain it runs.
    scope.addHook('onClose', async () => settleTipIntake(ctx));

    scope.get(
      '/public/tips/challenge',
      { schema: { tags, summary: 'A proof-of-work challenge (ALTCHA) for the tip form', response: { 200: altchaChallenge } }, config },
      async (request) => {
        await checkTipRate(ctx, request.ip, 'challenge');
        return createTipChallenge(ctx);
      },
    );

    scope.post(
      '/public/tips',
      {
        schema: {
          tags,
          summary: 'Send a tip, anonymously: 201 with the receipt (shown once), or 202 while a burst is queued',
          body: publicTipInput,
          response: { 201: receiptResponse, 202: receiptResponse },
        },
        bodyLimit: TIP_LIMITS.bodyBytes,
        config,
      },
      async (request, reply) => {
        const { altcha, ...fields } = request.body;
        const taken = await submitPublicTip(ctx, { ip: request.ip, fields, altcha });
        return reply.status(taken.status).send(taken.status === 202 ? { receipt: taken.receipt, queued: true } : { receipt: taken.receipt });
      },
    );
  });
}
