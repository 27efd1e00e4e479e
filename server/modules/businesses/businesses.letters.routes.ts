import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { id, idParams, requiredText } from '../../../common/schemas/shared.ts';
import {
  landlordContactInput,
  landlordDto,
  landlordInput,
  letterBatchDto,
  letterBatchInput,
  letterDeliveredInput,
  letterSentInput,
  noticeLetterDto,
  noticeLetterList,
  noticeTemplateDto,
  noticeTemplateInput,
  setLandlordInput,
  stageChanged,
} from '../../../common/schemas/businesses.ts';
import { BUSINESS_LIMITS } from '../../../common/businesses.ts';
import { addLandlordContact, createLandlord, findLandlordsByName, getLandlord, setBusinessLandlord, updateLandlord } from './businesses.landlords.ts';
import { getTemplate, saveTemplate } from './businesses.template.ts';
import { draftLetter, getLetter, letterFile, listLetters, markDelivered, markSent } from './businesses.letters.ts';
import { getBatch, resumeBatches, settleBatches, startBatch, SWEEP_MS } from './businesses.batches.ts';

const landlordLookup = z.object({ name: requiredText(BUSINESS_LIMITS.nameMax) });
const landlordMatches = z.array(z.object({ id, label: z.string() }));
const landlordUpdate = landlordInput.partial().extend({ version: z.number().int().positive() });

const FILE_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

/** Landlords, the notice template, letters and their batches (issue #11, items 3 and 4). */
export async function businessLetterRoutes(app: App, ctx: AppContext) {
  const tags = ['businesses'];

  // ----------------------------------------------------------------------------------------- landlords
  app.post(
    '/landlords',
    { schema: { tags, summary: "Enter a property owner from county records (campaign staff; sealed, never public)", body: landlordInput, response: { 201: landlordDto } } },
    async (request, reply) => reply.status(201).send(await createLandlord(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get(
    '/landlords',
    { schema: { tags, summary: 'Landlords of exactly this name (normalised) in my task forces, to pick an existing owner', querystring: landlordLookup, response: { 200: landlordMatches } } },
    async (request) => findLandlordsByName(ctx, actorOf(request), request.query.name, request.meta),
  );
  app.get(
    '/landlords/:id',
    { schema: { tags, summary: "A landlord: owner, agent, contact history and their properties I may see (audited read)", params: idParams, response: { 200: landlordDto } } },
    async (request) => getLandlord(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.patch(
    '/landlords/:id',
    { schema: { tags, summary: "Correct a landlord's details, with the version read", params: idParams, body: landlordUpdate, response: { 200: landlordDto } } },
    async (request) => updateLandlord(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/landlords/:id/contacts',
    { schema: { tags, summary: 'Record a contact with a landlord (letter, phone, email, in person) with a sealed note', params: idParams, body: landlordContactInput, response: { 201: landlordDto } } },
    async (request, reply) => reply.status(201).send(await addLandlordContact(ctx, actorOf(request), request.params.id, request.body, request.meta)),
  );
  app.put(
    '/businesses/:id/landlord',
    {
      schema: {
        tags,
        summary: "Set a business's landlord (existing or new); a verified business moves on to landlord identified",
        params: idParams,
        body: setLandlordInput,
        response: { 200: stageChanged },
      },
    },
    async (request) => setBusinessLandlord(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );

  // ------------------------------------------------------------------------------------------ template
  app.get(
    '/notice-template',
    { schema: { tags, summary: "My task force's landlord notice template (Lantern's default letter, version 0, until one is saved)", response: { 200: noticeTemplateDto } } },
    async (request) => getTemplate(ctx, actorOf(request)),
  );
  app.put(
    '/notice-template',
    { schema: { tags, summary: "Save a new version of the notice template (the attorney general's staff); unknown merge fields refused", body: noticeTemplateInput, response: { 200: noticeTemplateDto } } },
    async (request) => saveTemplate(ctx, actorOf(request), request.body, request.meta),
  );

  // ------------------------------------------------------------------------------------------- letters
  app.post(
    '/businesses/:id/letters',
    { schema: { tags, summary: "Draft the landlord notice for a business: numbered, as a tagged PDF and a Word document; an empty merge field is refused, named", params: idParams, response: { 201: noticeLetterDto } } },
    async (request, reply) => reply.status(201).send(await draftLetter(ctx, actorOf(request), request.params.id, request.meta)),
  );
  app.get(
    '/businesses/:id/letters',
    { schema: { tags, summary: "A business's notice letters, newest first", params: idParams, response: { 200: noticeLetterList } } },
    async (request) => listLetters(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.post(
    '/letters/batch',
    { schema: { tags, summary: 'Draft letters for many businesses; answers the job at once, each business ends with a letter or a refusal', body: letterBatchInput, response: { 202: letterBatchDto } } },
    async (request, reply) => reply.status(202).send(await startBatch(ctx, actorOf(request), request.body, request.meta)),
  );
  app.get(
    '/letter-batches/:id',
    { schema: { tags, summary: 'A batch of letters: progress, the letters drafted and every refusal with its reason', params: idParams, response: { 200: letterBatchDto } } },
    async (request) => getBatch(ctx, actorOf(request), request.params.id),
  );
  app.get(
    '/letters/:id',
    { schema: { tags, summary: 'One notice letter: number, response deadline, how it was sent and delivered', params: idParams, response: { 200: noticeLetterDto } } },
    async (request) => getLetter(ctx, actorOf(request), request.params.id, request.meta),
  );
  for (const format of ['pdf', 'docx'] as const) {
    app.get(
      `/letters/:id/${format}`,
      { schema: { tags, summary: format === 'pdf' ? 'Download the letter as a tagged PDF (audited)' : 'Download the letter as an editable Word document (audited)', params: idParams } },
      async (request, reply) => {
        const file = await letterFile(ctx, actorOf(request), request.params.id, format, request.meta);
        return reply
          .type(FILE_TYPES[format])
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="${file.number}.${format}"`)
          .send(file.content);
      },
    );
  }
  app.post(
    '/letters/:id/sent',
    { schema: { tags, summary: 'Record how and when a letter was sent; the first notice moves the business to landlord notified', params: idParams, body: letterSentInput, response: { 200: noticeLetterDto } } },
    async (request) => markSent(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );
  app.post(
    '/letters/:id/delivered',
    { schema: { tags, summary: 'Record when a sent letter was delivered', params: idParams, body: letterDeliveredInput, response: { 200: noticeLetterDto } } },
    async (request) => markDelivered(ctx, actorOf(request), request.params.id, request.body, request.meta),
  );

  // Batches left by a process that died go on here, at start and every SWEEP_MS.
  await resumeBatches(ctx).catch((err: Error) => ctx.log.warn({ err: err.message }, 'letter batches: not resumed at start'));
  const sweep = setInterval(() => {
    resumeBatches(ctx).catch((err: Error) => ctx.log.warn({ err: err.message }, 'letter batches: sweep failed'));
  }, SWEEP_MS);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await settleBatches(ctx);
  });
}
