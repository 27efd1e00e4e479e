import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { createdUserDto, createUserInput, updateUserInput, userDto, userListQuery } from '../../../common/schemas/directory.ts';
import { abilities, idParams } from '../../../common/schemas/shared.ts';
import { createUser, getUser, listUsers, resetMfa, resetPassword, unlockUser, updateUser } from './users.service.ts';

export async function userRoutes(app: App, ctx: AppContext) {
  const tags = ['directory'];
  app.get(
    '/users',
    { schema: { tags, summary: 'Accounts the caller may see', querystring: userListQuery, response: { 200: z.object({ users: z.array(userDto), abilities }) } } },
    async (request) => listUsers(ctx, actorOf(request), request.query),
  );
  app.post(
    '/users',
    { schema: { tags, summary: 'Open an account (agency administrator)', body: createUserInput, response: { 201: createdUserDto } } },
    async (request, reply) => reply.status(201).send(await createUser(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get('/users/:id', { schema: { tags, summary: 'One account', params: idParams, response: { 200: userDto } } }, async (request) =>
    getUser(ctx, actorOf(request), request.params.id),
  );
  app.patch(
    '/users/:id',
    { schema: { tags, summary: 'Change name, phone, roles or enabled state', params: idParams, body: updateUserInput, response: { 200: userDto } } },
    async (request) => updateUser(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post('/users/:id/unlock', { schema: { tags, summary: 'Unlock after failed sign-ins', params: idParams, response: { 200: userDto } } }, async (request) =>
    unlockUser(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post('/users/:id/reset-mfa', { schema: { tags, summary: 'Make the person set up MFA again', params: idParams, response: { 200: userDto } } }, async (request) =>
    resetMfa(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post(
    '/users/:id/reset-password',
    { schema: { tags, summary: 'Issue a temporary password', params: idParams, response: { 200: z.object({ temporaryPassword: z.string() }) } } },
    async (request) => resetPassword(ctx, actorOf(request), request.params.id, request.meta),
  );
}
