import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { createTaskForceInput, taskForceContactsDto, taskForceDto, taskForceMemberInput, updateTaskForceInput } from '../../../common/schemas/directory.ts';
import { abilities, id, idParams } from '../../../common/schemas/shared.ts';
import { addAgency, createTaskForce, getTaskForce, listTaskForceContacts, listTaskForces, removeAgency, updateTaskForce } from './task-forces.service.ts';

export async function taskForceRoutes(app: App, ctx: AppContext) {
  const tags = ['directory'];
  app.get(
    '/task-forces',
    { schema: { tags, summary: "Task forces of the caller's agency", response: { 200: z.object({ taskForces: z.array(taskForceDto), abilities }) } } },
    async (request) => listTaskForces(ctx, actorOf(request)),
  );
  app.post(
    '/task-forces',
    { schema: { tags, summary: 'Form a task force (platform administrator)', body: createTaskForceInput, response: { 201: taskForceDto } } },
    async (request, reply) => reply.status(201).send(await createTaskForce(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get(
    '/task-forces/:id',
    { schema: { tags, summary: 'One task force and its member agencies', params: idParams, response: { 200: taskForceDto } } },
    async (request) => getTaskForce(ctx, actorOf(request), request.params.id),
  );
  app.get(
    '/task-forces/:id/contacts',
    { schema: { tags, summary: "The member agencies' coordinators and their phones (members only)", params: idParams, response: { 200: taskForceContactsDto } } },
    async (request) => listTaskForceContacts(ctx, actorOf(request), request.params.id),
  );
  app.patch(
    '/task-forces/:id',
    { schema: { tags, summary: 'Rename or describe a task force', params: idParams, body: updateTaskForceInput, response: { 200: taskForceDto } } },
    async (request) => updateTaskForce(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/task-forces/:id/agencies',
    { schema: { tags, summary: 'Invite a partner agency', params: idParams, body: taskForceMemberInput, response: { 200: taskForceDto } } },
    async (request) => addAgency(ctx, actorOf(request), request.params.id, request.body.agencyId, request.meta),
  );
  app.delete(
    '/task-forces/:id/agencies/:agencyId',
    { schema: { tags, summary: 'Release a partner agency', params: z.object({ id, agencyId: id }), response: { 200: taskForceDto } } },
    async (request) => removeAgency(ctx, actorOf(request), request.params.id, request.params.agencyId, request.meta),
  );
}
