import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertAgency, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { insertTestBusiness } from './businesses.test-support.ts';
import { operatorBlind } from './businesses.identifiers.ts';

/** A business as the entry form sends it (ZIP 64106: downtown Kansas City, Jackson County only). */
const entry = (over: Record<string, unknown> = {}) => ({
  name: 'Golden Lotus Spa',
  address: '1200 Grand Blvd',
  city: 'Kansas City',
  zip: '64106',
  source: 'Storefront visit',
  facts: [
    { kind: 'phone', value: '816-555-0142', source: 'Ad on a review site' },
    { kind: 'handle', value: '@goldenlotus_kc', source: 'Ad on a review site' },
  ],
  operators: [{ kind: 'person', role: 'operator', name: 'Mei Lin', source: 'Secretary of State filing' }],
  ...over,
});

/** The registry: entry, its checks and duplicates, the list, one business, changes, and who sees what. */
describeEachDatabase('the business registry', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let prosecutorAnalyst: TestUser;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    const ag = await insertAgency(env, 'Attorney General', 'prosecutor');
    await env.ctx.db.insertInto('task_force_member').values({ task_force_id: world.taskForceId, agency_id: ag, joined_at: env.clock.now().toISOString() }).execute();
    prosecutorAnalyst = await insertUser(env, ag, ['analyst'], { name: 'AG Analyst' });
  });
  afterAll(() => env.close());

  const stored = (id: string) => env.ctx.db.selectFrom('business').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('an analyst enters a business: 201, identified, county from the ZIP, phone in national form, operator sealed, event, index rows, audit', async () => {
    const analyst = await signedIn(world.users.analyst);
    const res = await analyst.post('/api/businesses', entry({ hours: '10am–2am daily', license: { number: 'BL-1', status: 'active' } }));
    expect(res.statusCode, res.body).toBe(201);
    const b = body(res);
    expect(b).toMatchObject({
      name: 'Golden Lotus Spa',
      stage: 'identified',
      countyFips: '29095',
      countyName: 'Jackson',
      agencyId: world.agencies.lead,
      agencyName: 'Lead Police Department',
      version: 1,
      operatorCount: 1,
      hours: '10am–2am daily',
      license: { number: 'BL-1', status: 'active' },
      sources: { name: 'Storefront visit', address: 'Storefront visit', hours: 'Storefront visit', license: 'Storefront visit' },
      nextStages: ['verified'],
      cleared: null,
      landlord: null,
      openAlerts: 0,
      createdBy: 'Test analyst',
    });
    expect(b.facts).toMatchObject([
      { kind: 'phone', value: '(816) 555-0142', source: 'Ad on a review site', recordedBy: 'Test analyst' },
      { kind: 'handle', value: '@goldenlotus_kc' },
    ]);
    expect(b.operators).toMatchObject([{ kind: 'person', role: 'operator', name: 'Mei Lin', source: 'Secretary of State filing' }]);
    expect(b.abilities).toMatchObject({ 'business.read': true, 'business.update': true, 'business.readOperators': true, 'business.draftLetter': false });

    const row = await stored(b.id);
    expect(row).toMatchObject({ stage: 'identified', version: 1, task_force_id: world.taskForceId, name_key: 'golden lotus spa', address_key: '1200 grand blvd 64106' });
    const [op] = await env.ctx.db.selectFrom('business_operator').selectAll().where('business_id', '=', b.id).execute();
    expect(op!.name).not.toContain('Mei');
    expect(unseal(env.ctx.keyring, 'business_operator', 'name', op!.id, op!.name)).toBe('Mei Lin');
    expect(op!.name_blind).toBe(operatorBlind(env.ctx, 'MEI LIN'));
    const events = await env.ctx.db.selectFrom('business_event').selectAll().where('business_id', '=', b.id).execute();
    expect(events).toMatchObject([{ kind: 'created', to_stage: 'identified', actor_user_id: world.users.analyst.id }]);
    const index = await env.ctx.db.selectFrom('record_identifier').selectAll().where('record_type', '=', 'business').where('record_id', '=', b.id).execute();
    expect(index.map((r) => r.kind).sort()).toEqual(['address', 'business', 'handle', 'phone']);
    expect(index.map((r) => r.blind)).toContain(blindIndex(env.ctx.keyring, 'phone', '8165550142'));
    expect(index.every((r) => r.parent_id === b.id && r.agency_id === world.agencies.lead)).toBe(true);
    const [audit] = await auditRows(env, 'business.create', b.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.analyst.id, record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('Lotus');
    expect(audit!.detail).not.toContain('Mei');
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const analyst = await signedIn(world.users.analyst);
    const before = await tableCounts(env.ctx, ['business', 'business_fact', 'business_operator', 'business_event']);
    const cases: [Record<string, unknown>, string, RegExp?][] = [
      [entry({ name: '' }), 'name'],
      [entry({ name: '!!!' }), 'name', /letters or digits/],
      [entry({ address: 'Behind the mall' }), 'address', /house number/],
      [entry({ address: '1200' }), 'address'],
      [entry({ facts: [{ kind: 'phone', value: '555-01', source: 's' }] }), 'facts.0.value', /valid phone/],
      [entry({ facts: [{ kind: 'handle', value: 'ok-handle', source: 's' }, { kind: 'phone', value: '(000) 000-0000', source: 's' }] }), 'facts.1.value'],
      [entry({ facts: [{ kind: 'fax', value: '1', source: 's' }] }), 'facts.0.kind'],
      [entry({ zip: '6410' }), 'zip'],
      [entry({ zip: '00000' }), 'zip', /does not exist/],
      [entry({ zip: '90210' }), 'zip', /not in Missouri/],
      [entry({ zip: '64024' }), 'countyFips', /spans Clay and Ray counties: choose/],
      [entry({ zip: undefined }), 'countyFips', /required when no ZIP/],
      [entry({ zip: undefined, countyFips: '20091' }), 'countyFips', /not a county of Missouri/],
      [entry({ zip: '64106', countyFips: '29047' }), 'countyFips', /not in Clay County/],
      [entry({ taskForceId: world.otherTaskForceId }), 'taskForceId', /one of your task forces/],
      [entry({ source: '' }), 'source'],
      [entry({ operators: [{ kind: 'person', role: 'boss', name: 'X', source: 's' }] }), 'operators.0.role'],
    ];
    for (const [payload, field, message] of cases) {
      const res = await analyst.post('/api/businesses', payload);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(body(res).error.field, res.body).toBe(field);
      if (message) expect(body(res).error.message).toMatch(message);
    }
    expect(await tableCounts(env.ctx, ['business', 'business_fact', 'business_operator', 'business_event'])).toEqual(before);
  });

  it('a ZIP spanning counties is settled by choosing one of them; no ZIP needs a county', async () => {
    const analyst = await signedIn(world.users.analyst);
    const ray = await analyst.post('/api/businesses', entry({ name: 'Ray Spa', address: '5 Elm St', city: 'Excelsior Springs', zip: '64024', countyFips: '29177', facts: [], operators: [] }));
    expect(ray.statusCode, ray.body).toBe(201);
    expect(body(ray)).toMatchObject({ countyFips: '29177', countyName: 'Ray' });
    const noZip = await analyst.post('/api/businesses', entry({ name: 'Cass Spa', address: '9 Oak St', city: 'Harrisonville', zip: undefined, countyFips: '29037', facts: [], operators: [] }));
    expect(noZip.statusCode, noZip.body).toBe(201);
    expect(body(noZip)).toMatchObject({ countyFips: '29037', zip: null });
  });

  it('an agency in two task forces names the campaign’s: absent is 400 taskForceId, one of its own is entered there', async () => {
    const both = await insertAgency(env, 'Metro Squad', 'law_enforcement');
    const now = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('task_force_member')
      .values([world.taskForceId, world.otherTaskForceId].map((task_force_id) => ({ task_force_id, agency_id: both, joined_at: now })))
      .execute();
    const metro = await signedIn(await insertUser(env, both, ['analyst']));
    const absent = await metro.post('/api/businesses', entry({ name: 'Two Forces Spa' }));
    expect(absent.statusCode).toBe(400);
    expect(body(absent).error).toMatchObject({ field: 'taskForceId', message: expect.stringContaining('several task forces') });
    const chosen = await metro.post('/api/businesses', entry({ name: 'Two Forces Spa', taskForceId: world.otherTaskForceId }));
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect((await stored(body(chosen).id)).task_force_id).toBe(world.otherTaskForceId);
  });

  it('a duplicate (same normalised address and name in the task force) is a 409 naming the business already there', async () => {
    const analyst = await signedIn(world.users.analyst);
    const first = body(await analyst.post('/api/businesses', entry({ name: 'Jade Garden Massage', address: '77 Troost Ave', facts: [], operators: [] })));
    const before = await tableCounts(env.ctx, ['business', 'business_event', 'record_identifier']);
    // Another agency of the task force types it differently: "Avenue", upper case, "LLC", a comma.
    const partner = await signedIn(world.users.partnerOfficer);
    const res = await partner.post('/api/businesses', entry({ name: 'JADE GARDEN MASSAGE, LLC', address: '77 Troost Avenue', facts: [], operators: [] }));
    expect(res.statusCode, res.body).toBe(409);
    expect(body(res).error).toMatchObject({ code: 'duplicate', field: 'name', details: { existing: { id: first.id, name: 'Jade Garden Massage', address: '77 Troost Ave' } } });
    expect(body(res).error.message).toContain(first.id);
    expect(body(res).error.message).toContain('Jade Garden Massage');
    expect(await tableCounts(env.ctx, ['business', 'business_event', 'record_identifier'])).toEqual(before);
    // Another name at the same address is another business (a therapist who later leases the place).
    const other = await partner.post('/api/businesses', entry({ name: 'Healing Hands Therapy', address: '77 Troost Ave', facts: [], operators: [] }));
    expect(other.statusCode, other.body).toBe(201);
  });

  it('refuses entry to those who do not work the campaign (403), and writes nothing', async () => {
    const before = await tableCounts(env.ctx, ['business']);
    for (const user of [world.users.advocate, world.users.caseworker, world.users.pio, world.users.leadAdmin, world.users.platform]) {
      const res = await (await signedIn(user)).post('/api/businesses', entry({ name: `Nope ${user.email}` }));
      expect(res.statusCode, user.email).toBe(403);
    }
    expect(await tableCounts(env.ctx, ['business'])).toEqual(before);
  });

  it('lists the visible businesses with filters, score, county, agency and open alerts; audited with the ids', async () => {
    const tf = world.taskForceId;
    const a = await insertTestBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: tf, name: 'Lotus Filter One', stage: 'verified', countyFips: '29095' });
    env.clock.advance(1000);
    const b = await insertTestBusiness(env.ctx, { agencyId: world.agencies.partner, taskForceId: tf, name: 'Lotus Filter Two', address: '10 Lotus Ln', stage: 'closed', countyFips: '29047', city: 'Liberty' });
    const hidden = await insertTestBusiness(env.ctx, { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, name: 'Lotus Filter Far' });
    await env.ctx.db
      .insertInto('business_alert')
      .values({ id: newId(), business_id: b.id, agency_id: world.agencies.partner, task_force_id: tf, source_type: 'tip', source_id: newId(), source_parent_id: newId(), source_agency_id: world.agencies.lead, kinds: '["phone"]', created_at: env.clock.now().toISOString(), dismissed_at: null, dismissed_by: null, dismissed_reason: null })
      .execute();

    const officer = await signedIn(world.users.officer);
    const all = body(await officer.get('/api/businesses?q=lotus%20filter'));
    expect(all.items.map((i: { id: string }) => i.id)).toEqual([b.id, a.id]);
    expect(all.total).toBe(2);
    expect(all.items[0]).toMatchObject({ name: 'Lotus Filter Two', stage: 'closed', countyFips: '29047', countyName: 'Clay', agencyName: 'Partner Highway Patrol', openAlerts: 1, score: 0 });
    expect(all.items[1]).toMatchObject({ openAlerts: 0, countyName: 'Jackson' });
    expect(body(await officer.get('/api/businesses?q=lotus%20filter&stage=closed')).items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    expect(body(await officer.get('/api/businesses?q=lotus%20filter&countyFips=29095')).items.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect(body(await officer.get('/api/businesses?q=liberty%20lotus')).items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    expect(body(await officer.get('/api/businesses?q=lotus%20filter&limit=1&offset=1'))).toMatchObject({ items: [{ id: a.id }], total: 2 });
    const [audit] = await auditRows(env, 'business.read');
    expect(audit!.actor_user_id).toBe(world.users.officer.id);

    // The other task force's coordinator sees only theirs; an advocate, a PIO see none.
    const outsider = body(await (await signedIn(world.users.outsiderCoordinator)).get('/api/businesses?q=lotus'));
    expect(outsider.items.map((i: { id: string }) => i.id)).toEqual([hidden.id]);
    for (const user of [world.users.advocate, world.users.pio, world.users.caseworker]) {
      expect(body(await (await signedIn(user)).get('/api/businesses?q=lotus')), user.email).toMatchObject({ items: [], total: 0 });
    }
    const bad = await officer.get('/api/businesses?stage=done');
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.field).toBe('stage');
    expect(body(await officer.get('/api/businesses?countyFips=20091')).error.field).toBe('countyFips');
  });

  it('one business: an officer sees no operators (only the count); another task force and an advocate get the same 404 as a random id', async () => {
    const landlordId = newId();
    const now = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('landlord')
      .values({ id: landlordId, agency_id: world.agencies.lead, task_force_id: world.taskForceId, kind: 'company', name: seal(env.ctx.keyring, 'landlord', 'name', landlordId, 'Riverside Holdings'), name_blind: 'x', agent: null, mailing_address: null, phone: null, email: null, source: 'county', version: 1, created_by: world.users.analyst.id, created_at: now, updated_at: now })
      .execute();
    const t = await insertTestBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, operators: [{ name: 'Chen Wu' }, { name: 'Wu Holdings', kind: 'company', role: 'owner' }], landlordId, phones: ['(816) 555-0199'] });

    const officer = body(await (await signedIn(world.users.officer)).get(`/api/businesses/${t.id}`));
    expect(officer).toMatchObject({ id: t.id, operators: null, operatorCount: 2, landlord: { id: landlordId, label: 'Riverside Holdings' }, nextStages: [] });
    expect(officer.abilities).toMatchObject({ 'business.readOperators': false, 'business.advance': false, 'business.update': true });
    const [audit] = await auditRows(env, 'business.read', t.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.officer.id, record_agency_id: world.agencies.lead });

    const analyst = body(await (await signedIn(world.users.analyst)).get(`/api/businesses/${t.id}`));
    expect(analyst.operators.map((o: { name: string }) => o.name).sort()).toEqual(['Chen Wu', 'Wu Holdings']);
    expect(analyst.nextStages).toEqual(['verified']);
    // A partner agency's analyst of the same task force reads it and its operators, but does not keep it.
    const partner = body(await (await signedIn(world.users.partnerAnalyst)).get(`/api/businesses/${t.id}`));
    expect(partner).toMatchObject({ operatorCount: 2, nextStages: [] });
    expect(partner.abilities).toMatchObject({ 'business.update': false, 'business.readOperators': true });

    const random = await (await signedIn(world.users.analyst)).get(`/api/businesses/${newId()}`);
    expect(random.statusCode).toBe(404);
    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.pio]) {
      const res = await (await signedIn(user)).get(`/api/businesses/${t.id}`);
      expect(res.statusCode, user.email).toBe(404);
      expect(body(res)).toEqual(body(random));
    }
  });

  it('PATCH renames with the version read: the old name becomes a former name, the index follows; stale is 409; others are refused', async () => {
    const t = await insertTestBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, name: 'Blue Moon Spa' });
    const analyst = await signedIn(world.users.analyst);
    const res = await analyst.patch(`/api/businesses/${t.id}`, { version: 1, name: 'Blue Sky Wellness', hours: '9–9', source: 'New sign' });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toMatchObject({ name: 'Blue Sky Wellness', hours: '9–9', version: 2, sources: { name: 'New sign', hours: 'New sign' } });
    expect(body(res).facts).toMatchObject([{ kind: 'former_name', value: 'Blue Moon Spa', source: 'New sign' }]);
    const blinds = (await env.ctx.db.selectFrom('record_identifier').select('blind').where('record_id', '=', t.id).where('kind', '=', 'business').execute()).map((r) => r.blind).sort();
    expect(blinds).toEqual([blindIndex(env.ctx.keyring, 'business', 'blue moon spa'), blindIndex(env.ctx.keyring, 'business', 'blue sky wellness')].sort());
    const [audit] = await auditRows(env, 'business.update', t.id);
    expect(JSON.parse(audit!.changed_fields!)).toEqual(['name', 'hours']);

    const stale = await analyst.patch(`/api/businesses/${t.id}`, { version: 1, name: 'Again', source: 's' });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error).toMatchObject({ code: 'conflict', field: 'version' });
    expect(body(stale).error.message).toContain('version 2');

    // A rename onto another business at the same place and name is the duplicate's 409, naming it.
    const neighbour = await insertTestBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, name: 'Pearl Spa', address: t.address });
    const clash = await analyst.patch(`/api/businesses/${t.id}`, { version: 2, name: 'PEARL SPA', source: 's' });
    expect(clash.statusCode, clash.body).toBe(409);
    expect(body(clash).error).toMatchObject({ code: 'duplicate', field: 'name', details: { existing: { id: neighbour.id } } });

    // The partner agency reads it but does not keep it; the other task force does not see it.
    expect((await (await signedIn(world.users.partnerCoordinator)).patch(`/api/businesses/${t.id}`, { version: 2, name: 'X', source: 's' })).statusCode).toBe(403);
    expect((await (await signedIn(world.users.outsiderCoordinator)).patch(`/api/businesses/${t.id}`, { version: 2, name: 'X', source: 's' })).statusCode).toBe(404);
    // The attorney general's staff keep every business of the task force.
    const ag = await (await signedIn(prosecutorAnalyst)).patch(`/api/businesses/${t.id}`, { version: 2, license: { number: 'L-9' }, source: 'Licensing office' });
    expect(ag.statusCode, ag.body).toBe(200);
    expect(body(ag)).toMatchObject({ license: { number: 'L-9' }, version: 3 });
  });

  it('adds facts and operators: checked, indexed, audited; operators only by those who may read them', async () => {
    const t = await insertTestBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId });
    const officer = await signedIn(world.users.officer);
    const fact = await officer.post(`/api/businesses/${t.id}/facts`, { kind: 'phone', value: '+1 816 555 0177', source: 'Backpage ad' });
    expect(fact.statusCode, fact.body).toBe(201);
    expect(body(fact).facts).toMatchObject([{ kind: 'phone', value: '(816) 555-0177', source: 'Backpage ad' }]);
    const phones = await env.ctx.db.selectFrom('record_identifier').select('blind').where('record_id', '=', t.id).where('kind', '=', 'phone').execute();
    expect(phones.map((p) => p.blind)).toEqual([blindIndex(env.ctx.keyring, 'phone', '8165550177')]);
    const badFact = await officer.post(`/api/businesses/${t.id}/facts`, { kind: 'phone', value: 'call me', source: 's' });
    expect(badFact.statusCode).toBe(400);
    expect(body(badFact).error.field).toBe('value');

    // An officer keeps the record but does not handle operators' identities.
    expect((await officer.post(`/api/businesses/${t.id}/operators`, { kind: 'person', role: 'owner', name: 'Li Na', source: 's' })).statusCode).toBe(403);
    const coordinator = await signedIn(world.users.coordinator);
    const op = await coordinator.post(`/api/businesses/${t.id}/operators`, { kind: 'person', role: 'owner', name: 'Li Na', detail: 'born 1975', source: 'Deed' });
    expect(op.statusCode, op.body).toBe(201);
    expect(body(op)).toMatchObject({ operatorCount: 1, operators: [{ name: 'Li Na', detail: 'born 1975', role: 'owner' }] });
    const [audit] = await auditRows(env, 'business.update', t.id);
    expect(JSON.parse(audit!.changed_fields!)).toEqual(['operators']);
    expect(audit!.detail).not.toContain('Li Na');
    // Another agency of the task force cannot add to the lead agency's business; another task force gets 404.
    expect((await (await signedIn(world.users.partnerAnalyst)).post(`/api/businesses/${t.id}/facts`, { kind: 'handle', value: '@x_y', source: 's' })).statusCode).toBe(403);
    expect((await (await signedIn(world.users.outsiderCoordinator)).post(`/api/businesses/${t.id}/facts`, { kind: 'handle', value: '@x_y', source: 's' })).statusCode).toBe(404);
  });
});
