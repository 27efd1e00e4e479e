import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, insertUser, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, closeOperation, handOff, minor, recordContact, suspect } from '../../test/operations-fixtures.ts';

describeEachDatabase('press releases', (backend) => {
  let env: TestEnv;
  let world: World;
  let operationId: string;
  let pio2: TestUser;
  const cookies = new Map<string, string>();
  const signedIn = async (user: TestUser) => {
    if (!cookies.has(user.id)) cookies.set(user.id, await signIn(env, user));
    return as(env, cookies.get(user.id)!);
  };

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    pio2 = await insertUser(env, world.agencies.partner, ['pio']);
    const op = await activeOperation(signedIn, world);
    operationId = op.id;
    const officer = await signedIn(world.users.officer);
    for (let i = 0; i < 5; i++) await recordContact(officer, operationId, suspect({ name: i === 0 ? 'Bartholomew Quackenbush' : undefined, phones: i === 0 ? ['(816) 555-0177'] : [] }));
    for (let i = 0; i < 10; i++) {
      await recordContact(officer, operationId, adultVictim({ disposition: 'offered_services', aliases: i === 0 ? ['Velvet'] : [], services: ['food', 'lodging'].map((service) => ({ service, offered: true, accepted: false })) }));
    }
    for (let i = 0; i < 3; i++) {
      const child = await recordContact(officer, operationId, minor({ disposition: 'protective_custody' }));
      expect((await officer.post(`/api/contacts/${child.id}/custody`, handOff(world, env.clock.now().toISOString()))).statusCode).toBe(201);
    }
    await closeOperation(signedIn, world, operationId);
  });
  afterAll(() => env.close());

  it('drafts from the outcome, is refused for a leaked name, approved twice, published, public in both languages, corrected visibly', async () => {
    const pio = await signedIn(world.users.pio);
    const drafted = await pio.post(`/api/operations/${operationId}/press-releases`, {});
    expect(drafted.statusCode).toBe(201);
    const draft = body(drafted);
    expect(draft.en.body).toContain('Five adult males were contacted and detained.');
    expect(draft.en.body).toContain('Ten adult women were contacted and offered victim services, including food and lodging.');
    expect(draft.en.body).toContain('Three children, all under the age of 5, were taken into protective custody');
    expect(draft.es.body).toContain('Cinco hombres adultos fueron contactados y detenidos.');
    expect(draft.problems).toEqual([]);

    // A leaked name and a wrong figure are found, pointing at the words.
    const leaked = await pio.patch(`/api/press-releases/${draft.id}`, { bodyEn: `${draft.en.body}\n\nOne of them, Bartholomew Quackenbush, was known to police.`, quoteEn: 'Six men were detained tonight', quoteBy: 'Chief Example' });
    expect(leaked.statusCode).toBe(200);
    const problems = body(leaked).problems;
    expect(problems.some((p: { code: string; field: string; excerpt: string }) => p.code === 'identifying' && p.field === 'bodyEn' && p.excerpt === 'Bartholomew Quackenbush')).toBe(true);
    expect(problems.some((p: { code: string; field: string; excerpt: string }) => p.code === 'figure' && p.field === 'quoteEn' && p.excerpt === 'Six')).toBe(true);
    const refused = await pio.post(`/api/press-releases/${draft.id}/approve`, {});
    expect(refused.statusCode).toBe(422);
    expect(body(refused).error).toMatchObject({ code: 'guard_failed', field: 'bodyEn' });
    expect(body(refused).error.message).toContain('Bartholomew Quackenbush');

    const fixed = await pio.patch(`/api/press-releases/${draft.id}`, { bodyEn: draft.en.body, quoteEn: 'Human trafficking continues to be a problem in Missouri', quoteEs: 'La trata de personas sigue siendo un problema en Misuri', version: body(leaked).version });
    expect(fixed.statusCode).toBe(200);
    expect(body(fixed).problems).toEqual([]);

    // Two approvals by two people: the PIO and the lead coordinator.
    expect(body(await pio.post(`/api/press-releases/${draft.id}/approve`, {})).approvals).toHaveLength(1);
    expect((await pio.post(`/api/press-releases/${draft.id}/publish`)).statusCode).toBe(403);
    const coordinator = await signedIn(world.users.coordinator);
    const approved = body(await coordinator.post(`/api/press-releases/${draft.id}/approve`, {}));
    expect(approved.approvals.map((a: { kind: string }) => a.kind).sort()).toEqual(['coordinator', 'pio']);
    const published = await pio.post(`/api/press-releases/${draft.id}/publish`);
    expect(published.statusCode).toBe(200);
    const slug = body(published).slug;
    expect(slug).toMatch(/^\d{4}-\d{2}-\d{2}-human-trafficking-operation/);
    const audit = await env.ctx.db.selectFrom('audit_event').select('action').where('record_id', '=', draft.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['pressRelease.create', 'pressRelease.approve', 'pressRelease.publish']));

    // Public: API (contract) and pages, English and Spanish, without a session.
    const list = await env.app.inject({ method: 'GET', url: '/api/public/press-releases' });
    expect(list.statusCode).toBe(200);
    expect(body(list)[0]).toMatchObject({ slug, language: 'en' });
    const one = body(await env.app.inject({ method: 'GET', url: `/api/public/press-releases/${slug}?lang=es` }));
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['slug', 'title', 'body', 'language', 'publishedAt']));
    expect(one.language).toBe('es');
    expect(one.body).toContain('Cinco hombres adultos');
    expect(one.body).toContain('La trata de personas sigue siendo un problema en Misuri');
    expect(one.body).toContain('1-888-373-7888');
    const page = await env.app.inject({ method: 'GET', url: `/news/${slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Five adult males were contacted and detained.');
    expect(page.body).not.toContain('Quackenbush');
    expect(page.body).not.toMatch(/<script/i);
    const es = await env.app.inject({ method: 'GET', url: `/news/${slug}?lang=es` });
    expect(es.body).toContain('<html lang="es">');
    const pdf = await env.app.inject({ method: 'GET', url: `/news/${slug}.pdf` });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.toString('latin1')).toContain('/StructTreeRoot');
    const atom = await env.app.inject({ method: 'GET', url: '/news/feed.atom' });
    expect(atom.body).toContain(`/news/${slug}`);

    // Published: no silent edit; a correction carries a visible note.
    expect((await pio.patch(`/api/press-releases/${draft.id}`, { titleEn: 'Changed quietly' })).statusCode).toBe(403);
    const corrected = await pio.post(`/api/press-releases/${draft.id}/corrections`, { noteEn: 'An earlier version misspelled an agency name.', titleEn: `${draft.en.title} (updated)` });
    expect(corrected.statusCode).toBe(200);
    const after = body(await env.app.inject({ method: 'GET', url: `/api/public/press-releases/${slug}` }));
    expect(after.title).toContain('(updated)');
    expect(after.corrections[0].note).toBe('An earlier version misspelled an agency name.');
    expect((await env.app.inject({ method: 'GET', url: `/news/${slug}` })).body).toContain('An earlier version misspelled an agency name.');
    // No Spanish note was given: the Spanish page says so in Spanish and quotes the English one.
    const esAfter = body(await env.app.inject({ method: 'GET', url: `/api/public/press-releases/${slug}?lang=es` }));
    expect(esAfter.corrections[0].note).toBe('Se corrigió este comunicado. Nota en inglés: «An earlier version misspelled an agency name.»');
    const leakyCorrection = await pio.post(`/api/press-releases/${draft.id}/corrections`, { noteEn: 'Name added.', bodyEn: `${draft.en.body} Also Velvet.` });
    expect(leakyCorrection.statusCode).toBe(422);
  });

  it('keeps drafts from the public and from those who may not see the operation', async () => {
    const pio = await signedIn(world.users.pio);
    const draft = body(await pio.post(`/api/operations/${operationId}/press-releases`, {}));
    expect(body(await env.app.inject({ method: 'GET', url: '/api/public/press-releases' })).some((r: { title: string }) => r.title === draft.en.title && !r.title.includes('updated'))).toBe(false);
    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.caseworker, world.users.officer]) {
      expect((await (await signedIn(user)).get(`/api/press-releases/${draft.id}`)).statusCode).toBe(404);
    }
    expect((await (await signedIn(world.users.analyst)).post(`/api/operations/${operationId}/press-releases`, {})).statusCode).toBe(403);
    // One person cannot give both approvals.
    const both = await insertUser(env, world.agencies.lead, ['pio', 'coordinator']);
    const c = await signedIn(both);
    expect((await c.post(`/api/press-releases/${draft.id}/approve`, { as: 'pio' })).statusCode).toBe(200);
    expect((await c.post(`/api/press-releases/${draft.id}/approve`, { as: 'coordinator' })).statusCode).toBe(403);
    // A PIO of another agency of the task force may approve as PIO... but only one PIO approval counts.
    expect((await (await signedIn(pio2)).post(`/api/press-releases/${draft.id}/approve`, { as: 'pio' })).statusCode).toBe(403);
    expect((await env.app.inject({ method: 'GET', url: '/news/no-such-release' })).statusCode).toBe(404);
    expect((await env.app.inject({ method: 'GET', url: '/api/public/press-releases/no-such-release' })).statusCode).toBe(404);
  });

  it('shows the hotline correctly on /help, in both languages', async () => {
    const en = await env.app.inject({ method: 'GET', url: '/help' });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('1-888-373-7888');
    expect(en.body).toContain('233733');
    expect(en.body).toContain('911');
    expect(en.body).toContain('href="/tip"');
    const es = await env.app.inject({ method: 'GET', url: '/help?lang=es' });
    expect(es.body).toContain('Línea Nacional contra la Trata de Personas');
  });
});
