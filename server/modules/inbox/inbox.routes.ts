import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { inboxItemDto } from '../../../common/schemas/operations.ts';
import { idParams, okResponse } from '../../../common/schemas/shared.ts';
import { listInbox, markRead } from './inbox.service.ts';

export async function inboxRoutes(app: App, ctx: AppContext) {
  const tags = ['inbox'];
  app.get(
    '/inbox',
    {
      schema: {
        tags,
        summary: 'My notices: deconfliction, referrals, custody deadlines',
        querystring: z.object({ unread: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(inboxItemDto), unread: z.number() }) },
      },
    },
    async (request) => listInbox(ctx, actorOf(request), { unreadOnly: request.query.unread === 'true' }),
  );
  app.post('/inbox/:id/read', { schema: { tags, summary: 'Mark a notice read', params: idParams, response: { 200: okResponse } } }, async (request) =>
    markRead(ctx, actorOf(request), request.params.id),
  );
}
