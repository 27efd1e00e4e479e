import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditCounts, body, describeEachDatabase, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, insertAgency, insertUser, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';

describeEachDatabase('agencies', (backend) => {
  let env: TestEnv;
  let world: World;
  let client: ReturnType<typeof sessionCache>;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    client = sessionCache(env);
  });
  afterAll(() => env.close());

  const newAgency = { name: 'Blue Springs Police Department', shortName: 'Blue Springs PD', kind: 'law_enforcement', ori: 'mo0480500', counties: ['29095', '29095'] };

  it('answers 401 to every agency route without a session', async () => {
    const anon = as(env, null);
    const id = world.agencies.lead;
    for (const res of [await anon.get('/api/agencies'), await anon.get(`/api/agencies/${id}`), await anon.post('/api/agencies', newAgency), await anon.patch(`/api/agencies/${id}`, { shortName: 'x' })]) {
      expect(res.statusCode).toBe(401);
      expect(body(res).error.code).toBe('unauthenticated');
    }
  });

  it('lists the own agency and its task-force partners, never an outsider', async () => {
    const { lead, partner, advocates, childWelfare, outsider } = world.agencies;
    const ids = async (res: Promise<{ json(): unknown }>) => (body((await res) as never).agencies as { id: string }[]).map((a) => a.id).sort();
    expect(await ids((await client(world.users.officer)).get('/api/agencies'))).toEqual([lead, partner, advocates, childWelfare].sort());
    expect(await ids((await client(world.users.outsiderOfficer)).get('/api/agencies'))).toEqual([outsider]);
    const all = await ids((await client(world.users.platform)).get('/api/agencies'));
    expect(all).toEqual(expect.arrayContaining([lead, partner, advocates, childWelfare, outsider]));
    const list = await (await client(world.users.officer)).get('/api/agencies');
    expect(body(list).abilities).toMatchObject({ 'agency.create': false });
  });

  it('lets the platform administrator add an agency, audited by field name only', async () => {
    const platform = await client(world.users.platform);
    const res = await platform.post('/api/agencies', newAgency);
    expect(res.statusCode).toBe(201);
    const created = body(res);
    expect(created).toMatchObject({ name: newAgency.name, shortName: 'Blue Springs PD', kind: 'law_enforcement', ori: 'MO0480500', counties: ['29095'] });
    expect(created.abilities).toMatchObject({ 'agency.create': true, 'agency.update': true });
    const again = await platform.get(`/api/agencies/${created.id}`);
    expect(body(again)).toMatchObject({ id: created.id, name: newAgency.name });

    const [row] = await auditRows(env, 'agency.create', created.id);
    expect(row).toMatchObject({
      actor_user_id: world.users.platform.id,
      actor_agency_id: world.agencies.lead,
      record_type: 'agency',
      record_agency_id: created.id,
      outcome: 'success',
    });
    expect(JSON.parse(row!.changed_fields).sort()).toEqual(['counties', 'kind', 'name', 'ori', 'shortName']);
    expect(JSON.stringify(row)).not.toContain('Blue Springs');
    expect(row!.request_id).toBe(res.headers['x-request-id']);
  });

  it('refuses to add an agency for anyone else (403), writing nothing', async () => {
    const users = [world.users.leadAdmin, world.users.coordinator, world.users.outsiderAdmin];
    const clients = [];
    for (const u of users) clients.push(await client(u));
    const before = await tableCounts(env.ctx, ['agency']);
    const audit = await auditCounts(env.ctx);
    for (const [i, c] of clients.entries()) {
      const res = await c.post('/api/agencies', { ...newAgency, name: `Not allowed ${i}` });
      expect(res.statusCode).toBe(403);
      expect(body(res).error.code).toBe('forbidden');
    }
    expect(await tableCounts(env.ctx, ['agency'])).toEqual(before);
    // Nothing written but the record of each refusal.
    expect(await auditCounts(env.ctx)).toEqual({ all: audit.all + 3, denied: audit.denied + 3 });
  });

  it('names the bad field: 400 for bad input, 409 for a name or ORI already taken', async () => {
    const platform = await client(world.users.platform);
    const badOri = await platform.post('/api/agencies', { name: 'Somewhere PD', kind: 'law_enforcement', ori: 'MO12' });
    expect(badOri.statusCode).toBe(400);
    expect(body(badOri).error.field).toBe('ori');
    const badKind = await platform.post('/api/agencies', { name: 'Somewhere PD', kind: 'militia' });
    expect(body(badKind).error).toMatchObject({ code: 'invalid', field: 'kind' });
    const badCounty = await platform.post('/api/agencies', { name: 'Somewhere PD', kind: 'federal', counties: ['2909'] });
    expect(body(badCounty).error.field).toBe('counties.0');
    const dupName = await platform.post('/api/agencies', { name: 'Lead Police Department', kind: 'law_enforcement' });
    expect(dupName.statusCode).toBe(409);
    expect(body(dupName).error.field).toBe('name');
    await platform.post('/api/agencies', { name: 'ORI holder', kind: 'federal', ori: 'MO0000001' });
    const dupOri = await platform.post('/api/agencies', { name: 'ORI copier', kind: 'federal', ori: 'mo0000001' });
    expect(dupOri.statusCode).toBe(409);
    expect(body(dupOri).error.field).toBe('ori');
  });

  it('shows an agency to its partners (read-only) and hides it from outsiders (404)', async () => {
    const own = await (await client(world.users.leadAdmin)).get(`/api/agencies/${world.agencies.lead}`);
    expect(own.statusCode).toBe(200);
    expect(body(own).abilities).toMatchObject({ 'agency.read': true, 'agency.update': true });
    const partner = await (await client(world.users.partnerAdmin)).get(`/api/agencies/${world.agencies.lead}`);
    expect(partner.statusCode).toBe(200);
    expect(body(partner).abilities).toMatchObject({ 'agency.update': false });
    for (const u of [world.users.outsiderAdmin, world.users.outsiderOfficer]) {
      const res = await (await client(u)).get(`/api/agencies/${world.agencies.lead}`);
      expect(res.statusCode).toBe(404);
      expect(body(res).error.code).toBe('not_found');
    }
  });

  it("lets an agency's administrator change its details, auditing only the fields sent", async () => {
    const agency = await insertAgency(env, 'Updatable Sheriff', 'law_enforcement');
    await env.ctx.db.updateTable('agency').set({ counties: '["29101"]' }).where('id', '=', agency).execute();
    const admin = await insertUser(env, agency, ['admin']);
    const res = await (await client(admin)).patch(`/api/agencies/${agency}`, { shortName: 'Updatable SO' });
    expect(res.statusCode).toBe(200);
    // Fields left out stay as they were.
    expect(body(res)).toMatchObject({ name: 'Updatable Sheriff', shortName: 'Updatable SO', counties: ['29101'], kind: 'law_enforcement' });
    const stored = await env.ctx.db.selectFrom('agency').selectAll().where('id', '=', agency).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ short_name: 'Updatable SO', counties: '["29101"]' });
    const [row] = await auditRows(env, 'agency.update', agency);
    expect(row).toMatchObject({ actor_user_id: admin.id, actor_agency_id: agency, record_type: 'agency', record_agency_id: agency, outcome: 'success' });
    expect(JSON.parse(row!.changed_fields)).toEqual(['shortName']);
    expect(JSON.stringify(row)).not.toContain('Updatable SO');
  });

  it('refuses changes by a partner (403), an outsider (404) and a non-admin of the agency (403)', async () => {
    const url = `/api/agencies/${world.agencies.lead}`;
    const before = await env.ctx.db.selectFrom('agency').selectAll().where('id', '=', world.agencies.lead).executeTakeFirstOrThrow();
    expect((await (await client(world.users.partnerAdmin)).patch(url, { shortName: 'Hijacked' })).statusCode).toBe(403);
    expect((await (await client(world.users.officer)).patch(url, { shortName: 'Hijacked' })).statusCode).toBe(403);
    const outsider = await (await client(world.users.outsiderAdmin)).patch(url, { shortName: 'Hijacked' });
    expect(outsider.statusCode).toBe(404);
    expect(await env.ctx.db.selectFrom('agency').selectAll().where('id', '=', world.agencies.lead).executeTakeFirstOrThrow()).toEqual(before);
    expect(await auditRows(env, 'agency.update', world.agencies.lead)).toEqual([]);
  });

  it("keeps an agency's kind out of its own administrator's hands", async () => {
    // Were a police agency's admin able to call it "victim services", they could issue advocate accounts.
    const res = await (await client(world.users.leadAdmin)).patch(`/api/agencies/${world.agencies.lead}`, { kind: 'victim_services' });
    expect(res.statusCode).toBe(403);
    expect(body(res).error.message).toMatch(/kind/);
    const stored = await env.ctx.db.selectFrom('agency').select('kind').where('id', '=', world.agencies.lead).executeTakeFirstOrThrow();
    expect(stored.kind).toBe('law_enforcement');
    // Sending the same kind back is no change and is fine.
    expect((await (await client(world.users.leadAdmin)).patch(`/api/agencies/${world.agencies.lead}`, { kind: 'law_enforcement' })).statusCode).toBe(200);
  });

  it('lets the platform administrator change a kind only when every role held still fits', async () => {
    const platform = await client(world.users.platform);
    const misfit = await platform.patch(`/api/agencies/${world.agencies.lead}`, { kind: 'child_welfare' });
    expect(misfit.statusCode).toBe(409);
    expect(body(misfit).error.field).toBe('kind');
    expect(body(misfit).error.message).toMatch(/coordinator|officer/);
    const agency = await insertAgency(env, 'Renamed Kind Agency', 'law_enforcement');
    await insertUser(env, agency, ['admin', 'analyst']);
    const ok = await platform.patch(`/api/agencies/${agency}`, { kind: 'victim_services' });
    expect(ok.statusCode).toBe(200);
    expect(body(ok).kind).toBe('victim_services');
    expect(JSON.parse((await auditRows(env, 'agency.update', agency))[0]!.changed_fields)).toEqual(['kind']);
  });
});
