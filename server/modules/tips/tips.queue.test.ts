import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { insertTestTip, insertTipsterMessage, shareTestTip, type TestTip } from './queue.test-support.ts';

describeEachDatabase('tip queue', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  const tip = (over: Partial<TestTip> = {}) => insertTestTip(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, ...over });
  const ids = (res: { json: () => unknown }) => (res.json() as { tips: { id: string }[] }).tips.map((t) => t.id);
  const list = async (user: TestUser, qs = '') => {
    const res = await (await signedIn(user)).get(`/api/tips${qs ? `?${qs}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  it('lists the tips of the actor’s queue, urgent first, then by score, then newest, with a summary and unread count', async () => {
    env.clock.advance(60_000);
    const low = await tip({ score: 5, narrative: 'Low ranked tip about a nail salon.' });
    env.clock.advance(60_000);
    const high = await tip({ score: 40, narrative: `High ranked. ${'Several women live at the spa and cannot leave. '.repeat(8)}` });
    env.clock.advance(60_000);
    const urgent = await tip({ minorInvolved: true, score: 0, narrative: 'A girl of about fifteen is being sold at the motel.' });
    await insertTipsterMessage(env.ctx, { id: high.id, agencyId: world.agencies.lead }, 'More: the van is white.');
    const res = await list(world.users.analyst, 'limit=200');
    const got = ids(res);
    expect(got.indexOf(urgent.id)).toBeLessThan(got.indexOf(high.id));
    expect(got.indexOf(high.id)).toBeLessThan(got.indexOf(low.id));
    const row = body(res).tips.find((t: { id: string }) => t.id === high.id);
    expect(row).toMatchObject({ status: 'new', urgent: false, score: 40, agency: { id: world.agencies.lead, name: 'Lead Police Department' }, sharedWithUs: false, assignedTo: null, unreadMessages: 1, version: 1 });
    expect(row.summary.length).toBeLessThanOrEqual(141);
    expect(row.summary.startsWith('High ranked. Several women live at the spa')).toBe(true);
    expect(row.summary.endsWith('…')).toBe(true);
    expect(body(res).total).toBeGreaterThanOrEqual(3);
    expect(body(res).abilities).toEqual({ 'tip.create': true });
    const [audit] = await auditRows(env, 'tip.read');
    expect(audit).toMatchObject({ actor_user_id: world.users.analyst.id });
    expect(JSON.parse(audit!.detail).ids).toContain(high.id);
  });

  it('pages with limit and offset, total counting every match', async () => {
    for (let i = 0; i < 3; i++) await tip({ countyFips: '29177', score: 70 + i });
    const first = body(await list(world.users.coordinator, 'county=29177&limit=2'));
    const second = body(await list(world.users.coordinator, 'county=29177&limit=2&offset=2'));
    expect(first.total).toBe(3);
    expect(first.tips.map((t: { score: number }) => t.score)).toEqual([72, 71]);
    expect(second.tips.map((t: { score: number }) => t.score)).toEqual([70]);
    expect(first.tips[0].countyName).toBe('Ray');
  });

  it('filters by agency, county, status, urgency, received dates and assignee', async () => {
    const day = '2025-03-10';
    const a = await tip({ countyFips: '29095', receivedAt: '2025-03-10T06:00:00.000Z', status: 'assigned', assignedUserId: world.users.analyst.id });
    const b = await tip({ countyFips: '29095', receivedAt: '2025-03-11T12:00:00.000Z', immediateDanger: true });
    const c = await tip({ countyFips: '29047', receivedAt: '2025-03-10T18:00:00.000Z', status: 'closed' });
    const mine = (qs: string) => list(world.users.analyst, qs).then(ids);
    expect(await mine('county=29095')).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await mine('county=29095')).not.toContain(c.id);
    expect(await mine('status=closed')).toContain(c.id);
    expect(await mine('status=closed')).not.toContain(a.id);
    expect(await mine('status=new,assigned&county=29095')).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await mine('urgent=true&county=29095')).toEqual([b.id]);
    expect(await mine('urgent=false&county=29095')).toEqual([a.id]);
    expect(await mine('assigned=me')).toEqual([a.id]);
    expect(await mine('assigned=none&county=29095')).toEqual([b.id]);
    // A day is a day of the jurisdiction (Missouri: Central time). 06:00Z on the 10th is the 10th at 1 am there.
    const onThe10th = await mine(`from=${day}&to=${day}`);
    expect(onThe10th).toEqual(expect.arrayContaining([a.id, c.id]));
    expect(onThe10th).not.toContain(b.id);
    expect(await mine('from=2025-03-11T00:00:00.000Z&to=2025-03-11T23:59:59.999Z')).toEqual([b.id]);
    expect(await mine(`agency=${world.agencies.partner}`)).toEqual([]);
  });

  it('answers bad filters with 400 naming the field', async () => {
    const analyst = await signedIn(world.users.analyst);
    const bad: [string, string][] = [
      ['status=open', 'status.0'],
      ['status=new,nope', 'status.1'],
      ['urgent=maybe', 'urgent'],
      ['county=Jackson', 'county'],
      ['from=yesterday', 'from'],
      ['to=2025-13-45', 'to'],
      ['from=2025-03-11&to=2025-03-10', 'to'],
      ['assigned=someone', 'assigned'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
      ['agency=not-an-id', 'agency'],
    ];
    for (const [qs, field] of bad) {
      const res = await analyst.get(`/api/tips?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(body(res).error.field, qs).toBe(field);
    }
  });

  it('is read by the queue’s tip workers only: no partner, outsider, advocate, caseworker, PIO or administrator sees it', async () => {
    const t = await tip({ narrative: 'Only the lead agency may read this.' });
    for (const user of [world.users.coordinator, world.users.analyst, world.users.officer]) {
      expect(ids(await list(user, 'limit=200'))).toContain(t.id);
      expect((await (await signedIn(user)).get(`/api/tips/${t.id}`)).statusCode).toBe(200);
    }
    const denied = [
      world.users.partnerAnalyst,
      world.users.partnerCoordinator,
      world.users.partnerOfficer,
      world.users.outsiderCoordinator,
      world.users.advocate,
      world.users.caseworker,
      world.users.pio,
      world.users.leadAdmin,
      world.users.platform,
    ];
    for (const user of denied) {
      expect(ids(await list(user, 'limit=200')), user.email).not.toContain(t.id);
      const res = await (await signedIn(user)).get(`/api/tips/${t.id}`);
      expect(res.statusCode, user.email).toBe(404);
      expect(res.body).not.toContain('Only the lead agency');
    }
    expect((await (await signedIn(world.users.advocate)).get('/api/tips')).json()).toMatchObject({ abilities: { 'tip.create': false } });
    expect((await env.app.inject({ method: 'GET', url: `/api/tips/${t.id}` })).statusCode).toBe(401);
  });

  it('shows a tip shared with a partner agency to its tip workers, without the tipster’s contact details', async () => {
    const contact = { name: 'Maria Callback', phone: '816-555-0142', safeMethod: 'text_message' };
    const t = await tip({ contact, narrative: 'Shared tip narrative.' });
    await shareTestTip(env.ctx, t.id, world.agencies.partner, world.users.coordinator.id);
    const partner = await signedIn(world.users.partnerAnalyst);
    const row = body(await list(world.users.partnerAnalyst, 'limit=200')).tips.find((x: { id: string }) => x.id === t.id);
    expect(row).toMatchObject({ sharedWithUs: true, agency: { id: world.agencies.lead } });
    const seen = body(await partner.get(`/api/tips/${t.id}`));
    expect(seen.tipster).toEqual({ label: 'Tipster', contact: null });
    // The name, or the number in any spelling (a bare "0142" also turns up in random record ids).
    expect(JSON.stringify(seen)).not.toMatch(/Maria|Callback|555\D?0142/);
    expect(seen.abilities).toMatchObject({ 'tip.read': true, 'tip.readContact': false, 'tip.assign': false, 'tip.message': false, 'tip.triage': false });
    expect(seen.sharedWith).toEqual([{ agencyId: world.agencies.partner, agencyName: 'Partner Highway Patrol', at: expect.any(String), reason: 'Shared for the test' }]);

    const own = body(await (await signedIn(world.users.analyst)).get(`/api/tips/${t.id}`));
    expect(own.tipster).toEqual({ label: 'Maria Callback', contact });
    expect(own.abilities).toMatchObject({ 'tip.readContact': true, 'tip.assign': true, 'tip.message': true });
    // Another agency of the task force with the tip not shared with it, and an outsider: nothing.
    expect((await (await signedIn(world.users.outsiderCoordinator)).get(`/api/tips/${t.id}`)).statusCode).toBe(404);
  });

  it('shows a tip whole: narrative, details, routing, history with names, the conversation, links; reading is audited and marks the tipster’s messages read', async () => {
    const t = await tip({
      narrative: 'Two women work at the spa and sleep there.',
      details: { address: '100 Main St', city: 'Oak Grove', when: 'every night', people: 'A man called Rico', vehicles: 'white van', phones: ['816-555-0199'], emails: [], online: ['@ricospa'], businesses: ['Lotus Spa'] },
      zip: '64075',
      countyFips: '29095',
      language: 'es',
    });
    await insertTipsterMessage(env.ctx, { id: t.id, agencyId: world.agencies.lead }, 'He vuelto: la furgoneta es blanca.');
    const officer = await signedIn(world.users.officer);
    const res = await officer.get(`/api/tips/${t.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const dto = body(res);
    expect(dto).toMatchObject({
      id: t.id,
      narrative: 'Two women work at the spa and sleep there.',
      language: 'es',
      zip: '64075',
      countyFips: '29095',
      countyName: 'Jackson',
      details: { address: '100 Main St', city: 'Oak Grove', county: null, when: 'every night', people: 'A man called Rico', vehicles: 'white van', phones: ['816-555-0199'], online: ['@ricospa'], businesses: ['Lotus Spa'] },
      tipster: { label: 'Tipster', contact: null },
      routing: { rule: 'county', countyFips: '29095' },
      closeReason: null,
      links: [],
      history: [{ kind: 'received', by: null, detail: { source: 'web' } }],
      messages: [{ from: 'Tipster', fromTipster: true, body: 'He vuelto: la furgoneta es blanca.' }],
    });
    // An officer of the queue reads but does not answer: the message stays unread for those who do.
    expect(dto.abilities['tip.message']).toBe(false);
    expect(body(await list(world.users.analyst, 'limit=200')).tips.find((x: { id: string }) => x.id === t.id).unreadMessages).toBe(1);
    const read = body(await (await signedIn(world.users.analyst)).get(`/api/tips/${t.id}`));
    expect(read.unreadMessages).toBe(0);
    expect(read.messages[0].readAt).toBe(env.clock.now().toISOString());
    expect(dto.messages[0].readAt).toBeNull();
    expect(body(await list(world.users.analyst, 'limit=200')).tips.find((x: { id: string }) => x.id === t.id).unreadMessages).toBe(0);
    const audits = await auditRows(env, 'tip.read', t.id);
    expect(audits.map((a) => a.actor_user_id)).toEqual([world.users.analyst.id, world.users.officer.id]);
    expect(JSON.parse(audits[0]!.detail)).toEqual({ messagesRead: 1 });
    expect(audits[0]!.record_agency_id).toBe(world.agencies.lead);
  });

  it('counts visible tips by county for the map, with the urgent ones still open', async () => {
    const fips = '29037';
    await tip({ countyFips: fips });
    await tip({ countyFips: fips, immediateDanger: true });
    await tip({ countyFips: fips, immediateDanger: true, status: 'closed' });
    await insertTestTip(env.ctx, { agencyId: world.agencies.partner, countyFips: fips });
    const res = await (await signedIn(world.users.analyst)).get('/api/tips/counties');
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toContainEqual({ countyFips: fips, countyName: 'Cass', count: 3, urgentOpen: 1 });
    const open = body(await (await signedIn(world.users.analyst)).get('/api/tips/counties?status=new'));
    expect(open).toContainEqual({ countyFips: fips, countyName: 'Cass', count: 2, urgentOpen: 1 });
    const partner = body(await (await signedIn(world.users.partnerAnalyst)).get('/api/tips/counties'));
    expect(partner).toContainEqual({ countyFips: fips, countyName: 'Cass', count: 1, urgentOpen: 0 });
    expect(body(await (await signedIn(world.users.advocate)).get('/api/tips/counties'))).toEqual([]);
  });

  it('never leaks a tip through a bad id: 400 for a malformed id, 404 for another', async () => {
    const analyst = await signedIn(world.users.analyst);
    expect(body(await analyst.get('/api/tips/nope')).error.field).toBe('id');
    expect((await analyst.get('/api/tips/01890000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const before = await tableCounts(env.ctx, ['tip', 'tip_event']);
    expect(await tableCounts(env.ctx, ['tip', 'tip_event'])).toEqual(before);
  });

});
