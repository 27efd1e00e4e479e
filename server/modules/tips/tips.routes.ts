import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { staffTipInput, tipAssignees, tipDto, tipIdParams, tipMessage } from '../../../common/schemas/tips.ts';
import {
  assignTipInput,
  staffTipCreated,
  tipCountyCounts,
  tipCountyQuery,
  tipListQuery,
  tipMessageInput,
  tipQueueResponse,
  tipStatusInput,
} from '../../../common/schemas/tip-queue.ts';
import { assignTip, changeTipStatus, listAssignees, countTipsByCounty, getTip, listTips, messageTipster, recordStaffTip } from './tips.service.ts';

/** The staff tip queue (issue #10, items 4, 5 and 8). Rerouting and sharing are in tips.reroute.routes.ts. */
export async function tipRoutes(app: App, ctx: AppContext) {
  const tags = ['tips'];
  app.get(
    '/tips',
    {
      schema: {
        tags,
        summary: 'The tip queue: tips I may read, urgent first, then by triage score, then newest (filters: agency, county, status, urgent, from, to, assigned=me|none)',
        querystring: tipListQuery,
        response: { 200: tipQueueResponse },
      },
    },
    async (request) => listTips(ctx, actorOf(request), request.query, request.meta),
  );
  app.get(
    '/tips/counties',
    { schema: { tags, summary: 'Tips I may read, counted by county FIPS (and the urgent ones still open), for the map', querystring: tipCountyQuery, response: { 200: tipCountyCounts } } },
    async (request) => countTipsByCounty(ctx, actorOf(request), request.query),
  );
  app.get(
    '/tips/:id',
    { schema: { tags, summary: 'One tip with its history, messages and links to records I may see', params: tipIdParams, response: { 200: tipDto } } },
    async (request) => getTip(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post(
    '/tips',
    {
      schema: {
        tags,
        summary: 'Record a tip phoned in or forwarded by the hotline; the receipt comes back once, to read to the caller',
        body: staffTipInput,
        response: { 201: staffTipCreated },
      },
    },
    async (request, reply) => reply.status(201).send(await recordStaffTip(ctx, actorOf(request), request.body)),
  );
  app.get(
    '/tips/:id/assignees',
    { schema: { tags, summary: 'Whom the tip may be assigned to: the tip workers of the agency holding it (for those who may assign it)', params: tipIdParams, response: { 200: tipAssignees } } },
    async (request) => listAssignees(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/tips/:id/assign',
    { schema: { tags, summary: 'Assign a tip to a tip worker of its agency (new → assigned, or reassign)', params: tipIdParams, body: assignTipInput, response: { 200: tipDto } } },
    async (request) => assignTip(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/tips/:id/status',
    {
      schema: {
        tags,
        summary: 'Move a tip to its next state (under review, linked, referred, closed with a reason, reopened)',
        params: tipIdParams,
        body: tipStatusInput,
        response: { 200: tipDto },
      },
    },
    async (request) => changeTipStatus(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/tips/:id/messages',
    { schema: { tags, summary: 'Ask the tipster a question (shown on their status page)', params: tipIdParams, body: tipMessageInput, response: { 201: tipMessage } } },
    async (request, reply) => reply.status(201).send(await messageTipster(ctx, actorOf(request), request.params.id, request.body.body, request.meta)),
  );
}
