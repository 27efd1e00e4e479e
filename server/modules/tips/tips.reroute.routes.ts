import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import { reroutedTip, rerouteTipInput, shareTipInput, tipDestinations as tipDestinationsDto, tipShareDto } from '../../../common/schemas/tips-routing.ts';
import { rerouteTip, shareTip, tipDestinations } from './tips.reroute.ts';

export async function tipRerouteRoutes(app: App, ctx: AppContext) {
  const tags = ['tips'];
  app.get(
    '/tips/:id/destinations',
    {
      schema: {
        tags,
        summary: "The agencies of the tip's task force it may be rerouted to or shared with (its queue staff)",
        params: idParams,
        response: { 200: tipDestinationsDto },
      },
    },
    async (request) => tipDestinations(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/tips/:id/reroute',
    {
      schema: {
        tags,
        summary: "Move a tip to another agency's queue of its task force, with a reason (its queue staff)",
        params: idParams,
        body: rerouteTipInput,
        response: { 200: reroutedTip },
      },
    },
    async (request) => rerouteTip(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/tips/:id/share',
    {
      schema: {
        tags,
        summary: 'Let another agency of the task force read a tip; the queue keeps it (its queue staff)',
        params: idParams,
        body: shareTipInput,
        response: { 201: tipShareDto },
      },
    },
    async (request, reply) => reply.status(201).send(await shareTip(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
}
