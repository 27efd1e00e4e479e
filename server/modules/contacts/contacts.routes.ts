import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import {
  contactDto,
  contactListDto,
  contactListQuery,
  outcomeDto,
  recordContactInput,
  recordedContactDto,
  updateContactInput,
} from '../../../common/schemas/contacts.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import { operationWithSession } from '../operations/operation-state.ts';
import { getContact, getOutcome, listContacts, recordContact, updateContact } from './contacts.service.ts';

export async function contactRoutes(app: App, ctx: AppContext) {
  const tags = ['contacts'];
  // Each of these requests reads its operation first: with the session, in one statement.
  const withSession = { companion: operationWithSession, param: 'id' };
  app.post(
    '/operations/:id/contacts',
    {
      config: { withSession },
      schema: {
        tags,
        summary: 'Record a person contacted in a running operation (a retry with the same clientRef returns the first, 200)',
        params: idParams,
        body: recordContactInput,
        response: { 200: recordedContactDto, 201: recordedContactDto },
      },
    },
    async (request, reply) => {
      const { created, contact } = await recordContact(ctx, actorOf(request), request.params.id, request.body, request.meta);
      return reply.status(created ? 201 : 200).send(contact);
    },
  );
  app.get(
    '/operations/:id/contacts',
    { config: { withSession }, schema: { tags, summary: 'The live list of an operation’s contacts (minors sealed)', params: idParams, querystring: contactListQuery, response: { 200: contactListDto } } },
    async (request) => listContacts(ctx, actorOf(request), request.params.id, request.query, request.meta),
  );
  app.get(
    '/operations/:id/outcome',
    { config: { withSession }, schema: { tags, summary: 'The operation’s outcome: counts from its recorded contacts, never persons', params: idParams, response: { 200: outcomeDto } } },
    async (request) => getOutcome(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.get('/contacts/:id', { schema: { tags, summary: 'One contact, with date of birth and phones', params: idParams, response: { 200: contactDto } } }, async (request) =>
    getContact(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.patch(
    '/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Change a contact (a closed operation’s only with correctionReason)',
        params: idParams,
        body: updateContactInput,
        response: { 200: recordedContactDto },
      },
    },
    async (request) => updateContact(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
}
