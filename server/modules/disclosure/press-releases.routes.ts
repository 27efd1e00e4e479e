import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { forbidden } from '../../lib/errors.ts';
import {
  approveInput,
  correctPressReleaseInput,
  draftPressReleaseInput,
  hotlineDto,
  pressReleaseDto,
  pressReleaseSummaryDto,
  updateHotlineInput,
  updatePressReleaseInput,
} from '../../../common/schemas/disclosure.ts';
import { id, idParams } from '../../../common/schemas/shared.ts';
import { hotline, setHotline } from './hotline.ts';
import {
  approvePressRelease,
  correctPressRelease,
  draftPressRelease,
  getPressRelease,
  listPressReleases,
  publishPressRelease,
  updatePressRelease,
} from './press-releases.service.ts';

export async function pressReleaseRoutes(app: App, ctx: AppContext) {
  const tags = ['disclosure'];
  app.post(
    '/operations/:id/press-releases',
    { schema: { tags, summary: "Draft a press release from the operation's outcome (English and Spanish)", params: idParams, body: draftPressReleaseInput, response: { 201: pressReleaseDto } } },
    async (request, reply) => reply.status(201).send(await draftPressRelease(ctx, actorOf(request), request.params.id, { datelineCity: request.body?.datelineCity }, request.meta)),
  );
  app.get(
    '/press-releases',
    { schema: { tags, summary: 'Press releases of operations the caller may see', querystring: z.object({ operationId: id.optional(), awaitingMyApproval: z.literal('true').optional() }), response: { 200: z.object({ pressReleases: z.array(pressReleaseSummaryDto) }) } } },
    async (request) => listPressReleases(ctx, actorOf(request), request.query),
  );
  app.get('/press-releases/:id', { schema: { tags, summary: 'One press release, with what the guards find in it', params: idParams, response: { 200: pressReleaseDto } } }, async (request) =>
    getPressRelease(ctx, actorOf(request), request.params.id),
  );
  app.patch(
    '/press-releases/:id',
    { schema: { tags, summary: 'Edit a draft (voids approvals of the old text)', params: idParams, body: updatePressReleaseInput, response: { 200: pressReleaseDto } } },
    async (request) => updatePressRelease(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/press-releases/:id/approve',
    { schema: { tags, summary: 'Approve the current text (PIO, or the lead coordinator); refused while the guards find anything', params: idParams, body: approveInput, response: { 200: pressReleaseDto } } },
    async (request) => approvePressRelease(ctx, actorOf(request), request.params.id, request.body?.as, request.meta),
  );
  app.post('/press-releases/:id/publish', { schema: { tags, summary: 'Publish an approved release at /news/<slug>', params: idParams, response: { 200: pressReleaseDto } } }, async (request) =>
    publishPressRelease(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post(
    '/press-releases/:id/corrections',
    { schema: { tags, summary: 'Correct a published release, with a visible note', params: idParams, body: correctPressReleaseInput, response: { 200: pressReleaseDto } } },
    async (request) => correctPressRelease(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );

  app.get('/settings/hotline', { schema: { tags, summary: 'The hotline printed on public pages and releases', response: { 200: hotlineDto } } }, async () => hotline(ctx.db));
  app.put(
    '/settings/hotline',
    { schema: { tags, summary: 'Change the hotline (platform administrator)', body: updateHotlineInput, response: { 200: hotlineDto } } },
    async (request) => {
      const actor: Actor = actorOf(request);
      if (!actor.platformAdmin) throw forbidden();
      await ctx.audit.transact({ actor: auditActor(actor), meta: request.meta }, async (tx) => {
        await setHotline(tx.db, request.body, ctx.clock.now().toISOString());
        tx.audit({ action: 'settings.update', recordType: 'setting', recordId: 'hotline', changedFields: ['phone', 'text'] });
      });
      return hotline(ctx.db);
    },
  );
}
