import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import {
  businessDto,
  businessFactInput,
  businessList,
  businessListQuery,
  businessNetwork,
  businessOperatorInput,
  newBusinessInput,
  updateBusinessInput,
} from '../../../common/schemas/businesses.ts';
import { addFact, addOperator, createBusiness, getBusiness, listBusinesses, updateBusiness } from './businesses.service.ts';
import { businessNetwork as networkOf } from './businesses.network.ts';

/** The registry (issue #11, items 1 and 2's record): list, one business, entry, facts, operators, network. */
export async function businessRoutes(app: App, ctx: AppContext) {
  const tags = ['businesses'];
  app.get(
    '/businesses',
    {
      schema: {
        tags,
        summary: 'The business registry: the businesses I may see, newest stage change first (filters: stage, countyFips, q for words of the name, address or city)',
        querystring: businessListQuery,
        response: { 200: businessList },
      },
    },
    async (request) => listBusinesses(ctx, actorOf(request), request.query, request.meta),
  );
  app.post(
    '/businesses',
    {
      schema: {
        tags,
        summary: 'Enter a business into the campaign (409 duplicate naming the business already at that place under that name)',
        body: newBusinessInput,
        response: { 201: businessDto },
      },
    },
    async (request, reply) => reply.status(201).send(await createBusiness(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get(
    '/businesses/:id',
    {
      schema: {
        tags,
        summary: 'One business: facts with sources, operators (for those who may read them), score and reasons, landlord, next stages',
        params: idParams,
        response: { 200: businessDto },
      },
    },
    async (request) => getBusiness(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.patch(
    '/businesses/:id',
    {
      schema: { tags, summary: 'Correct a business’s name, hours or license facts, with their source and the version read', params: idParams, body: updateBusinessInput, response: { 200: businessDto } },
    },
    async (request) => updateBusiness(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/businesses/:id/facts',
    {
      schema: { tags, summary: 'Add a former name, phone, website or ad/review handle to a business, with its source', params: idParams, body: businessFactInput, response: { 201: businessDto } },
    },
    async (request, reply) => reply.status(201).send(await addFact(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.post(
    '/businesses/:id/operators',
    {
      schema: { tags, summary: 'Add an operator or owner (person or company) to a business, with its source', params: idParams, body: businessOperatorInput, response: { 201: businessDto } },
    },
    async (request, reply) => reply.status(201).send(await addOperator(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.get(
    '/businesses/:id/network',
    {
      schema: {
        tags,
        summary: 'A business’s network: other businesses I may see sharing an operator, phone, address, website, handle or name, and what is shared',
        params: idParams,
        response: { 200: businessNetwork },
      },
    },
    async (request) => networkOf(ctx, actorOf(request), request.params.id, request.meta),
  );
}
