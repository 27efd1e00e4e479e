import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import {
  custodyDto,
  custodyListQuery,
  custodyReceiptInput,
  handOffInput,
  parentNotificationInput,
  updateCustodyInput,
} from '../../../common/schemas/contacts.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import { getCustody, handOffChild, listCustody, recordParentNotification, recordReceipt, updateCustody } from './custody.service.ts';

export async function custodyRoutes(app: App, ctx: AppContext) {
  const tags = ['custody'];
  app.post(
    '/contacts/:id/custody',
    { schema: { tags, summary: 'Hand a child in protective custody to child welfare (RSMo 210.125)', params: idParams, body: handOffInput, response: { 201: custodyDto } } },
    async (request, reply) => reply.status(201).send(await handOffChild(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.get(
    '/custody',
    {
      schema: {
        tags,
        summary: 'Hand-offs sent to my agency (caseworkers), or of operations I am assigned to (lead agency)',
        querystring: custodyListQuery,
        response: { 200: z.object({ handoffs: z.array(custodyDto) }) },
      },
    },
    async (request) => listCustody(ctx, actorOf(request), request.query, request.meta),
  );
  app.get('/custody/:id', { schema: { tags, summary: 'One custody hand-off, with its statement countdown', params: idParams, response: { 200: custodyDto } } }, async (request) =>
    getCustody(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.patch(
    '/custody/:id',
    { schema: { tags, summary: 'Notification times and the written statement’s filing', params: idParams, body: updateCustodyInput, response: { 200: custodyDto } } },
    async (request) => updateCustody(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/custody/:id/parent-notifications',
    { schema: { tags, summary: 'Record an attempt to notify the parent or guardian', params: idParams, body: parentNotificationInput, response: { 201: custodyDto } } },
    async (request, reply) => reply.status(201).send(await recordParentNotification(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.post(
    '/custody/:id/receipt',
    { schema: { tags, summary: 'The receiving caseworker records receipt of the child', params: idParams, body: custodyReceiptInput, response: { 200: custodyDto } } },
    async (request) => recordReceipt(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
}
