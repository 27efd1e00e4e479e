import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, type World } from '../../test/fixtures.ts';
import { unseal } from '../../lib/sealed.ts';
import { LETTER_MERGE_FIELDS } from '../../../common/businesses.ts';
import { clients, insertTestBusiness, insertTestIndicator, insertTestLandlord, seedLetterWorld, type LetterWorld } from './businesses.letters.test-support.ts';

/** Notice letters (issue #11, item 4): template, merge, numbering, the tagged PDF and the Word file, delivery. */
describeEachDatabase('landlord notice letters', (backend) => {
  let env: TestEnv;
  let world: World;
  let lw: LetterWorld;
  let as: ReturnType<typeof clients>;
  const year = () => env.clock.now().getUTCFullYear();

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    lw = await seedLetterWorld(env, world);
    as = clients(env);
  });
  afterAll(() => env.close());

  /** A business of the lead police agency at `stage`, with a landlord and two standing indicators (one verified). */
  async function readyBusiness(opts: { stage?: 'landlord_identified' | 'landlord_notified' | 'identified'; agent?: string | null; landlord?: boolean; indicators?: boolean } = {}) {
    const base = { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id };
    const landlord = opts.landlord === false ? null : await insertTestLandlord(env.ctx, { ...base, agent: opts.agent === undefined ? 'Pat Agent' : opts.agent });
    const business = await insertTestBusiness(env.ctx, { ...base, stage: opts.stage ?? 'landlord_identified', landlordId: landlord?.id ?? null });
    if (opts.indicators !== false) {
      const ind = { businessId: business.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id };
      await insertTestIndicator(env.ctx, { ...ind, indicator: 'covered_windows', observedOn: '2026-03-14', note: 'SECRET NOTE about Jane', verifiedBy: world.users.analyst.id });
      await insertTestIndicator(env.ctx, { ...ind, indicator: 'late_hours', observedOn: '2026-04-02', note: 'another secret note' });
      await insertTestIndicator(env.ctx, { ...ind, indicator: 'cash_only', observedOn: '2026-04-03', withdrawn: true });
    }
    return { business, landlord };
  }

  const docxText = (buf: Buffer) => strFromU8(unzipSync(new Uint8Array(buf))['word/document.xml']!);

  it('the template starts as Lantern default letter (version 0) using every merge field; only the attorney general’s staff edit it', async () => {
    const police = await as(world.users.coordinator);
    const got = await police.get('/api/notice-template');
    expect(got.statusCode, got.body).toBe(200);
    const dto = body(got);
    expect(dto).toMatchObject({ id: null, version: 0, responseDays: 30, mergeFields: [...LETTER_MERGE_FIELDS] });
    for (const f of LETTER_MERGE_FIELDS) expect(`${dto.title}\n${dto.body}`).toContain(`{{${f}}}`);
    expect(dto.abilities['notice.editTemplate']).toBe(false);

    const edit = { title: dto.title, body: dto.body, legalBasis: dto.legalBasis, responseDays: 21 };
    expect((await police.put('/api/notice-template', edit)).statusCode).toBe(403);
    expect((await (await as(lw.agOfficer)).put('/api/notice-template', edit)).statusCode).toBe(403);
    expect((await (await as(world.users.advocate)).get('/api/notice-template')).statusCode).toBe(403);

    const ag = await as(lw.agAnalyst);
    expect(body(await ag.get('/api/notice-template')).abilities['notice.editTemplate']).toBe(true);
    const unknown = await ag.put('/api/notice-template', { ...edit, body: `${edit.body}\n\n{{victim_name}}` });
    expect(unknown.statusCode).toBe(400);
    expect(body(unknown).error.field).toBe('body');
    expect(body(unknown).error.message).toContain('{{victim_name}}');

    const saved = await ag.put('/api/notice-template', edit);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(body(saved)).toMatchObject({ version: 1, responseDays: 21, updatedBy: 'AG Analyst' });
    const [audit] = await auditRows(env, 'notice.editTemplate', body(saved).id);
    expect(audit).toMatchObject({ actor_user_id: lw.agAnalyst.id });

    // A second save without the version read, or with a stale one, is refused; the right one makes version 2.
    expect((await ag.put('/api/notice-template', edit)).statusCode).toBe(409);
    const second = await (await as(lw.agCoordinator)).put('/api/notice-template', { ...edit, title: 'Notice to the owner of {{property}}', version: 1 });
    expect(body(second)).toMatchObject({ version: 2, title: 'Notice to the owner of {{property}}' });
    const stale = await ag.put('/api/notice-template', { ...edit, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error.field).toBe('version');
    // Another task force's office has its own (still the default).
    expect(body(await (await as(lw.otherAgAnalyst)).get('/api/notice-template'))).toMatchObject({ version: 0 });
  });

  it('drafts a numbered letter as a tagged PDF and a Word document, with the evidence but never the notes; downloads are audited', async () => {
    const { business, landlord } = await readyBusiness();
    const ag = await as(lw.agAnalyst);
    const res = await ag.post(`/api/businesses/${business.id}/letters`);
    expect(res.statusCode, res.body).toBe(201);
    const letter = body(res);
    expect(letter).toMatchObject({ businessId: business.id, businessName: business.name, landlordId: landlord!.id, sentAt: null, version: 1 });
    expect(letter.number).toMatch(new RegExp(`^HOPE-${year()}-\\d{4}$`));
    expect(letter.responseDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const next = body(await ag.post(`/api/businesses/${business.id}/letters`));
    expect(Number(next.number.slice(-4))).toBe(Number(letter.number.slice(-4)) + 1);

    const stored = await env.ctx.db.selectFrom('notice_letter').selectAll().where('id', '=', letter.id).executeTakeFirstOrThrow();
    expect(stored.pdf.startsWith('JVBER')).toBe(false); // sealed, not the bare base64 of a PDF
    const merge = JSON.parse(unseal(env.ctx.keyring, 'notice_letter', 'merge', letter.id, stored.merge));
    expect(merge.owner).toBe(landlord!.name);
    expect(merge.evidence_summary).toContain('Covered or blacked-out windows — last observed March 2026, confirmed by a second investigator');
    expect(merge.evidence_summary).toContain('Open very late hours — last observed April 2026');
    expect(merge.evidence_summary).not.toContain('Cash only');
    expect(JSON.stringify(merge)).not.toContain('SECRET');

    const pdf = await ag.get(letter.pdfUrl);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="${letter.number}.pdf"`);
    const pdfText = pdf.rawPayload.toString('latin1');
    expect(pdfText.startsWith('%PDF-')).toBe(true);
    expect(pdfText).toContain('/StructTreeRoot');
    expect(pdfText).toMatch(/\/Lang \(en-US\)/);
    expect(pdfText).toContain('/MarkInfo');

    const docx = await ag.get(letter.docxUrl);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers['content-disposition']).toBe(`attachment; filename="${letter.number}.docx"`);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const xml = docxText(docx.rawPayload);
    for (const text of [business.name, letter.number, 'Attorney General', 'Covered or blacked-out windows', 'Pat Agent']) expect(xml).toContain(text);
    expect(xml).not.toContain('SECRET');

    const downloads = await auditRows(env, 'business.readLandlord', letter.id);
    expect(downloads.map((a) => JSON.parse(a.detail as string).format).filter(Boolean).sort()).toEqual(['docx', 'pdf']);
    expect(downloads[0]).toMatchObject({ actor_user_id: lw.agAnalyst.id, record_agency_id: world.agencies.lead });
    const [drafted] = await auditRows(env, 'business.draftLetter', business.id);
    expect(JSON.parse(drafted!.detail as string)).toMatchObject({ number: next.number });
    const events = await env.ctx.db.selectFrom('business_event').selectAll().where('business_id', '=', business.id).where('kind', '=', 'letter').execute();
    expect(events).toHaveLength(2);

    const list = body(await ag.get(`/api/businesses/${business.id}/letters`));
    expect(list.items.map((l: { number: string }) => l.number)).toEqual([next.number, letter.number]);
    expect(body(await ag.get(`/api/letters/${letter.id}`))).toMatchObject({ number: letter.number });
  });

  it('refuses a letter with an unfilled merge field, naming it: no landlord (owner), no agent, no evidence', async () => {
    const ag = await as(lw.agAnalyst);
    const cases: [Parameters<typeof readyBusiness>[0], string][] = [
      [{ landlord: false }, 'owner'],
      [{ agent: null }, 'agent'],
      [{ indicators: false }, 'evidence_summary'],
    ];
    for (const [opts, field] of cases) {
      const { business } = await readyBusiness(opts);
      const res = await ag.post(`/api/businesses/${business.id}/letters`);
      expect(res.statusCode, field).toBe(400);
      expect(body(res).error).toMatchObject({ code: 'unfilled_merge_field', field });
      expect(body(res).error.message).toContain(`{{${field}}}`);
      expect(await env.ctx.db.selectFrom('notice_letter').select('id').where('business_id', '=', business.id).execute()).toHaveLength(0);
    }
    // A business whose evidence is not yet verified is too early for a notice.
    const { business } = await readyBusiness({ stage: 'identified' });
    const early = await ag.post(`/api/businesses/${business.id}/letters`);
    expect(early.statusCode).toBe(409);
    expect(body(early).error.field).toBe('stage');
  });

  it('cross-agency: a police analyst may not draft (403); another task force’s office finds nothing (404)', async () => {
    const { business } = await readyBusiness();
    const letter = body(await (await as(lw.agAnalyst)).post(`/api/businesses/${business.id}/letters`));
    const police = await as(world.users.analyst);
    expect((await police.post(`/api/businesses/${business.id}/letters`)).statusCode).toBe(403);
    expect((await police.post(`/api/letters/${letter.id}/sent`, { via: 'certified_mail', at: env.clock.now().toISOString(), version: 1 })).statusCode).toBe(403);
    const other = await as(lw.otherAgAnalyst);
    expect((await other.post(`/api/businesses/${business.id}/letters`)).statusCode).toBe(404);
    for (const url of [`/api/letters/${letter.id}`, letter.pdfUrl, letter.docxUrl, `/api/businesses/${business.id}/letters`]) expect((await other.get(url)).statusCode, url).toBe(404);
    expect((await (await as(world.users.advocate)).get(letter.pdfUrl)).statusCode).toBe(404);
    expect((await (await as(world.users.outsiderCoordinator)).get(letter.pdfUrl)).statusCode).toBe(404);
  });

  it('a letter recorded as sent moves its business from "landlord identified" to "landlord notified", with the letter’s deadline', async () => {
    const { business } = await readyBusiness({ stage: 'landlord_identified' });
    const ag = await as(lw.agAnalyst);
    const letter = body(await ag.post(`/api/businesses/${business.id}/letters`));
    env.clock.advance(60_000);
    const sentAt = env.clock.now().toISOString();
    const sent = await ag.post(`/api/letters/${letter.id}/sent`, { via: 'certified_mail', at: sentAt, version: 1 });
    expect(sent.statusCode, sent.body).toBe(200);
    const row = await env.ctx.db.selectFrom('business').select(['stage', 'notified_at', 'response_due']).where('id', '=', business.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ stage: 'landlord_notified', notified_at: sentAt, response_due: letter.responseDue });
    expect(await auditRows(env, 'business.advance', business.id)).toHaveLength(1);
  });

  it('records how a letter was sent (a landlord contact, an event) and when delivered; twice is refused', async () => {
    const { business, landlord } = await readyBusiness({ stage: 'landlord_notified' });
    const ag = await as(lw.agCoordinator);
    const letter = body(await ag.post(`/api/businesses/${business.id}/letters`));
    env.clock.advance(60_000);
    const sentAt = env.clock.now().toISOString();
    const future = await ag.post(`/api/letters/${letter.id}/sent`, { via: 'certified_mail', at: new Date(Date.now() + 86_400_000 * 400).toISOString(), version: 1 });
    expect(future.statusCode).toBe(400);
    expect(body(future).error.field).toBe('at');
    const early = await ag.post(`/api/letters/${letter.id}/delivered`, { at: sentAt, version: 1 });
    expect(early.statusCode).toBe(409);

    const sent = await ag.post(`/api/letters/${letter.id}/sent`, { via: 'certified_mail', at: sentAt, tracking: '9400 1000 0000 0000 0000 00', version: 1 });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(body(sent)).toMatchObject({ sentVia: 'certified_mail', sentAt, tracking: '9400 1000 0000 0000 0000 00', version: 2 });
    const again = await ag.post(`/api/letters/${letter.id}/sent`, { via: 'email', at: sentAt, version: 2 });
    expect(again.statusCode).toBe(409);
    const stale = await ag.post(`/api/letters/${letter.id}/delivered`, { at: sentAt, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error.field).toBe('version');

    const delivered = await ag.post(`/api/letters/${letter.id}/delivered`, { at: sentAt, version: 2 });
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(body(delivered)).toMatchObject({ deliveredAt: sentAt, version: 3 });

    const owner = body(await ag.get(`/api/landlords/${landlord!.id}`));
    expect(owner.contacts).toMatchObject([{ channel: 'letter', direction: 'outgoing', businessId: business.id, by: 'AG Coordinator', at: sentAt }]);
    expect(owner.contacts[0].note).toContain(letter.number);
    const steps = (await env.ctx.db.selectFrom('business_event').select('detail').where('business_id', '=', business.id).where('kind', '=', 'letter').orderBy('id').execute()).map((e) => JSON.parse(e.detail).step);
    expect(steps).toEqual(['drafted', 'sent', 'delivered']);
    expect((await auditRows(env, 'business.sendLetter', letter.id)).map((a) => JSON.parse(a.detail as string).step)).toEqual(['delivered', 'sent']);
  });
});
