import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import {
  addClientDocumentInput,
  assignClientInput,
  clientAssignmentParams,
  clientDocumentDto,
  clientDocumentParams,
  clientDto,
  clientListQuery,
  clientNoteInput,
  clientServiceInput,
  clientSummaryDto,
  createClientInput,
  createReleaseInput,
  createShareInput,
  receivedReleaseDto,
  releaseDto,
  revokeReleaseInput,
  sharedExtractDto,
  updateClientInput,
} from '../../../common/schemas/clients.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import { sendFile, uploadBodyLimit } from '../../lib/attachments.ts';
import { CLIENT_DOCUMENT_MAX_BYTES } from '../../../common/clients.ts';
import {
  addDocument,
  addNote,
  assignAdvocate,
  downloadDocument,
  unassignAdvocate,
  addService,
  createClient,
  createRelease,
  getClient,
  listClients,
  listReceivedReleases,
  readShared,
  revokeRelease,
  shareUnderRelease,
  updateClient,
} from './clients.service.ts';

/** The body a document of the largest size needs. */
export const CLIENT_DOCUMENT_BODY_LIMIT = uploadBodyLimit(CLIENT_DOCUMENT_MAX_BYTES);

/**
 * The advocates' compartment (issue #12). Every `/clients` route answers 404 to anyone who is not a
 * victim-services agency's advocate or supervisor, before reading anything; `/releases/:id/shared` is
 * the recipient's one way in, and only through a release in effect.
 */
export async function clientRoutes(app: App, ctx: AppContext) {
  const tags = ['clients'];
  app.get(
    '/clients',
    { schema: { tags, summary: "My agency's clients I may see (advocates assigned, supervisors)", querystring: clientListQuery, response: { 200: z.object({ clients: z.array(clientSummaryDto) }) } } },
    async (request) => listClients(ctx, actorOf(request), request.query, request.meta),
  );
  app.post(
    '/clients',
    { schema: { tags, summary: 'Open a client record: from an accepted referral, or a walk-in', body: createClientInput, response: { 201: clientDto } } },
    async (request, reply) => reply.status(201).send(await createClient(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get('/clients/:id', { schema: { tags, summary: 'One client record', params: idParams, response: { 200: clientDto } } }, async (request) =>
    getClient(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.patch(
    '/clients/:id',
    { schema: { tags, summary: "Change the client's details, needs or safety plan, or close the record", params: idParams, body: updateClientInput, response: { 200: clientDto } } },
    async (request) => updateClient(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/clients/:id/services',
    { schema: { tags, summary: 'Record a service provided, with its date', params: idParams, body: clientServiceInput, response: { 201: clientDto } } },
    async (request, reply) => reply.status(201).send(await addService(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.post(
    '/clients/:id/notes',
    { schema: { tags, summary: 'Add a dated note (append-only)', params: idParams, body: clientNoteInput, response: { 201: clientDto } } },
    async (request, reply) => reply.status(201).send(await addNote(ctx, actorOf(request), request.params.id, request.body.text, request.meta)),
  );
  app.post(
    '/clients/:id/documents',
    {
      // A file of up to 5 MB travels as base64 in the JSON, so this route takes a larger body than the rest.
      bodyLimit: CLIENT_DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Attach a document (a PDF, PNG or JPEG as base64, at most 5 MB; its bytes must match its type), stored encrypted',
        params: idParams,
        body: addClientDocumentInput,
        response: { 201: clientDocumentDto },
      },
    },
    async (request, reply) => reply.status(201).send(await addDocument(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.get(
    '/clients/:id/documents/:documentId',
    { schema: { tags, summary: "Download one of the client's documents (saved, never shown inline; audited)", params: clientDocumentParams, response: { 200: z.any() } } },
    async (request, reply) => sendFile(reply, await downloadDocument(ctx, actorOf(request), request.params.id, request.params.documentId, request.meta)),
  );
  app.post(
    '/clients/:id/assignments',
    { schema: { tags, summary: "Assign an advocate of the client's agency to the client (the agency's supervisors)", params: idParams, body: assignClientInput, response: { 201: clientDto } } },
    async (request, reply) => reply.status(201).send(await assignAdvocate(ctx, actorOf(request), request.params.id, request.body.userId, request.meta)),
  );
  app.delete(
    '/clients/:id/assignments/:userId',
    { schema: { tags, summary: 'End an advocate’s assignment to the client (the agency’s supervisors)', params: clientAssignmentParams, response: { 200: clientDto } } },
    async (request) => unassignAdvocate(ctx, actorOf(request), request.params.id, request.params.userId, request.meta),
  );
  app.post(
    '/clients/:id/releases',
    { schema: { tags, summary: 'Record a release of information: the client’s written, time-limited consent to share named scopes with one recipient', params: idParams, body: createReleaseInput, response: { 201: releaseDto } } },
    async (request, reply) => reply.status(201).send(await createRelease(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.post(
    '/releases/:id/revoke',
    { schema: { tags, summary: 'Revoke a release at once (orally, recorded by staff, or in writing)', params: idParams, body: revokeReleaseInput, response: { 200: releaseDto } } },
    async (request) => revokeRelease(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/releases/:id/shares',
    { schema: { tags, summary: 'Share a scoped extract with the release’s recipient', params: idParams, body: createShareInput, response: { 201: releaseDto } } },
    async (request, reply) => reply.status(201).send(await shareUnderRelease(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.get(
    '/releases',
    { schema: { tags, summary: 'Releases in effect naming my agency (and me, or no one person)', response: { 200: z.object({ releases: z.array(receivedReleaseDto) }) } } },
    async (request) => listReceivedReleases(ctx, actorOf(request), request.meta),
  );
  app.get(
    '/releases/:id/shared',
    { schema: { tags, summary: 'What was shared under a release, for its recipient (404 once revoked or expired)', params: idParams, response: { 200: sharedExtractDto } } },
    async (request) => readShared(ctx, actorOf(request), request.params.id, request.meta),
  );
}
