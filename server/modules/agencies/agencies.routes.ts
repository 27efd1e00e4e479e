import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { agencyDto, createAgencyInput, updateAgencyInput } from '../../../common/schemas/directory.ts';
import { abilities, idParams } from '../../../common/schemas/shared.ts';
import { createAgency, getAgency, listAgencies, updateAgency } from './agencies.service.ts';

export async function agencyRoutes(app: App, ctx: AppContext) {
  app.get(
    '/agencies',
    { schema: { tags: ['directory'], summary: 'Agencies the caller may see', response: { 200: z.object({ agencies: z.array(agencyDto), abilities }) } } },
    async (request) => listAgencies(ctx, actorOf(request)),
  );
  app.post(
    '/agencies',
    { schema: { tags: ['directory'], summary: 'Add an agency (platform administrator)', body: createAgencyInput, response: { 201: agencyDto } } },
    async (request, reply) => reply.status(201).send(await createAgency(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get(
    '/agencies/:id',
    { schema: { tags: ['directory'], summary: 'One agency', params: idParams, response: { 200: agencyDto } } },
    async (request) => getAgency(ctx, actorOf(request), request.params.id),
  );
  app.patch(
    '/agencies/:id',
    { schema: { tags: ['directory'], summary: "Change an agency's details", params: idParams, body: updateAgencyInput, response: { 200: agencyDto } } },
    async (request) => updateAgency(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
}
