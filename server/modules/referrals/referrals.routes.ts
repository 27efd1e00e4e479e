import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import {
  referContactInput,
  referralDto,
  referralListQuery,
  referralNoteInput,
  respondReferralInput,
  sentReferralDto,
} from '../../../common/schemas/contacts.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import { addReferralNote, getReferral, listReferrals, referContact, respondToReferral } from './referrals.service.ts';

export async function referralRoutes(app: App, ctx: AppContext) {
  const tags = ['referrals'];
  app.post(
    '/contacts/:id/referrals',
    {
      schema: {
        tags,
        summary: 'Refer an adult potential victim, with their consent, to a victim-services agency',
        params: idParams,
        body: referContactInput,
        response: { 201: sentReferralDto },
      },
    },
    async (request, reply) => reply.status(201).send(await referContact(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.get(
    '/referrals',
    {
      schema: {
        tags,
        summary: 'Referrals sent to my agency (advocates), or sent from operations whose contacts I read (status only)',
        querystring: referralListQuery,
        response: { 200: z.object({ referrals: z.array(referralDto) }) },
      },
    },
    async (request) => listReferrals(ctx, actorOf(request), request.query, request.meta),
  );
  app.get('/referrals/:id', { schema: { tags, summary: 'One referral, as my side sees it', params: idParams, response: { 200: referralDto } } }, async (request) =>
    getReferral(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post(
    '/referrals/:id/accept',
    { schema: { tags, summary: 'Accept a referral (receiving advocates)', params: idParams, body: respondReferralInput, response: { 200: referralDto } } },
    async (request) => respondToReferral(ctx, actorOf(request), request.params.id, 'accepted', request.body?.note, request.meta),
  );
  app.post(
    '/referrals/:id/decline',
    { schema: { tags, summary: 'Decline a referral (receiving advocates)', params: idParams, body: respondReferralInput, response: { 200: referralDto } } },
    async (request) => respondToReferral(ctx, actorOf(request), request.params.id, 'declined', request.body?.note, request.meta),
  );
  app.post(
    '/referrals/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a dated note to the receiving advocates’ history (append-only; never shown to the referring agency)',
        params: idParams,
        body: referralNoteInput,
        response: { 201: referralDto },
      },
    },
    async (request, reply) => reply.status(201).send(await addReferralNote(ctx, actorOf(request), request.params.id, request.body.text, request.meta)),
  );
}
