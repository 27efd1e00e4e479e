import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, type World } from '../../test/fixtures.ts';
import { clients, insertTestBusiness, insertTestLandlord, seedLetterWorld, type LetterWorld } from './businesses.letters.test-support.ts';

/** Landlords (issue #11, item 3): entered by campaign staff, sealed, read by their task force only, linked to businesses. */
describeEachDatabase('landlords', (backend) => {
  let env: TestEnv;
  let world: World;
  let lw: LetterWorld;
  let as: ReturnType<typeof clients>;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    lw = await seedLetterWorld(env, world);
    as = clients(env);
  });
  afterAll(() => env.close());

  const input = { kind: 'company', name: 'Northland Property Group, LLC', agent: 'Dana Manager', mailingAddress: 'PO Box 12, Kansas City, MO 64101', phone: '816-555-0100', email: 'owner@example.test', source: 'Jackson County assessor, parcel 12-345' };
  const base = () => ({ agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id });

  it('campaign staff enter a landlord (sealed at rest), read it (audited), find it by name and correct it with the version read', async () => {
    const officer = await as(world.users.officer);
    const res = await officer.post('/api/landlords', input);
    expect(res.statusCode, res.body).toBe(201);
    const dto = body(res);
    expect(dto).toMatchObject({ name: input.name, agent: 'Dana Manager', mailingAddress: input.mailingAddress, source: input.source, properties: [], contacts: [], version: 1 });
    const row = await env.ctx.db.selectFrom('landlord').selectAll().where('id', '=', dto.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('Northland');
    expect(JSON.stringify(row)).not.toContain('Dana');
    expect(row.task_force_id).toBe(world.taskForceId);
    expect((await auditRows(env, 'business.readLandlord', dto.id))[0]).toMatchObject({ actor_user_id: world.users.officer.id });

    // The same owner typed another way is found by name; a partner agency's staff of the task force find it too.
    const found = await (await as(world.users.partnerOfficer)).get(`/api/landlords?name=${encodeURIComponent('NORTHLAND property group llc')}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(body(found)).toEqual([{ id: dto.id, label: expect.stringContaining('Northland Property Group') }]);
    expect(body(await (await as(world.users.outsiderOfficer)).get(`/api/landlords?name=${encodeURIComponent(input.name)}`))).toEqual([]);

    const patched = await officer.patch(`/api/landlords/${dto.id}`, { agent: 'Robin Manager', version: 1 });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(body(patched)).toMatchObject({ agent: 'Robin Manager', name: input.name, version: 2 });
    const stale = await officer.patch(`/api/landlords/${dto.id}`, { agent: 'Someone', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error.field).toBe('version');
    const [edit] = await auditRows(env, 'business.updateLandlord', dto.id);
    expect(edit!.changed_fields).toContain('agent');
    expect(edit!.detail).not.toContain('Robin');
  });

  it('refuses the wrong people: advocates may not enter one (403); another task force and advocates never read one (404)', async () => {
    expect((await (await as(world.users.advocate)).post('/api/landlords', input)).statusCode).toBe(403);
    const bad = await (await as(world.users.officer)).post('/api/landlords', { ...input, name: '' });
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.field).toBe('name');
    const landlord = await insertTestLandlord(env.ctx, base());
    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.caseworker, lw.otherAgAnalyst]) {
      const client = await as(user);
      expect((await client.get(`/api/landlords/${landlord.id}`)).statusCode, user.email).toBe(404);
      expect((await client.patch(`/api/landlords/${landlord.id}`, { agent: 'x', version: 1 })).statusCode, user.email).toBe(404);
      expect((await client.post(`/api/landlords/${landlord.id}/contacts`, { channel: 'phone', direction: 'outgoing', at: env.clock.now().toISOString(), note: 'x' })).statusCode, user.email).toBe(404);
    }
  });

  it('links a landlord to a business (an existing one, or a new one), lists their properties and the contact history', async () => {
    const landlord = await insertTestLandlord(env.ctx, base());
    const first = await insertTestBusiness(env.ctx, { ...base(), stage: 'identified' });
    const second = await insertTestBusiness(env.ctx, { ...base(), stage: 'landlord_identified' });
    const officer = await as(world.users.officer);
    const set = await officer.put(`/api/businesses/${first.id}/landlord`, { landlordId: landlord.id, version: 1 });
    expect(set.statusCode, set.body).toBe(200);
    expect(body(set)).toMatchObject({ id: first.id, stage: 'identified', version: 2, nextStages: ['verified'] });
    expect((await officer.put(`/api/businesses/${first.id}/landlord`, { landlordId: landlord.id, version: 1 })).statusCode).toBe(409);
    expect((await officer.put(`/api/businesses/${second.id}/landlord`, { landlordId: landlord.id, version: 1 })).statusCode).toBe(200);
    const events = await env.ctx.db.selectFrom('business_event').selectAll().where('business_id', '=', first.id).where('kind', '=', 'landlord').execute();
    expect(JSON.parse(events[0]!.detail)).toMatchObject({ landlordId: landlord.id });
    expect((await auditRows(env, 'business.updateLandlord', first.id))[0]).toMatchObject({ actor_user_id: world.users.officer.id });

    const contact = await officer.post(`/api/landlords/${landlord.id}/contacts`, { channel: 'phone', direction: 'incoming', at: '2026-05-01T15:00:00.000Z', note: 'Owner called back; will review the lease', businessId: first.id });
    expect(contact.statusCode, contact.body).toBe(201);
    const dto = body(contact);
    expect(dto.properties.map((p: { id: string }) => p.id).sort()).toEqual([first.id, second.id].sort());
    expect(dto.contacts).toMatchObject([{ channel: 'phone', direction: 'incoming', note: 'Owner called back; will review the lease', businessId: first.id, by: 'Test officer' }]);
    const stored = await env.ctx.db.selectFrom('landlord_contact').select('note').where('landlord_id', '=', landlord.id).executeTakeFirstOrThrow();
    expect(stored.note).not.toContain('Owner called');
    const other = await insertTestBusiness(env.ctx, base());
    const wrong = await officer.post(`/api/landlords/${landlord.id}/contacts`, { channel: 'phone', direction: 'incoming', at: '2026-05-01T15:00:00.000Z', note: 'x', businessId: other.id });
    expect(wrong.statusCode).toBe(400);
    expect(body(wrong).error.field).toBe('businessId');

    // A new landlord entered with the business.
    const third = await insertTestBusiness(env.ctx, { ...base(), stage: 'identified' });
    const created = await officer.put(`/api/businesses/${third.id}/landlord`, { landlord: { ...input, name: 'Fresh Owner' }, version: 1 });
    expect(created.statusCode, created.body).toBe(200);
    const linked = await env.ctx.db.selectFrom('business').select('landlord_id').where('id', '=', third.id).executeTakeFirstOrThrow();
    expect(body(await officer.get(`/api/landlords/${linked.landlord_id}`))).toMatchObject({ name: 'Fresh Owner', properties: [{ id: third.id }] });
  });

  it('entering the landlord of a verified business moves it to "landlord identified" in the same step, dated and audited', async () => {
    const landlord = await insertTestLandlord(env.ctx, base());
    const verified = await insertTestBusiness(env.ctx, { ...base(), stage: 'verified' });
    const coordinator = await as(world.users.coordinator);
    const res = await coordinator.put(`/api/businesses/${verified.id}/landlord`, { landlordId: landlord.id, version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toMatchObject({ id: verified.id, stage: 'landlord_identified', nextStages: ['landlord_notified'] });
    const row = await env.ctx.db.selectFrom('business').select(['stage', 'landlord_id', 'stage_changed_at']).where('id', '=', verified.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ stage: 'landlord_identified', landlord_id: landlord.id, stage_changed_at: env.clock.now().toISOString() });
    const stages = await env.ctx.db.selectFrom('business_event').select(['from_stage', 'to_stage']).where('business_id', '=', verified.id).where('kind', '=', 'stage').execute();
    expect(stages).toEqual([{ from_stage: 'verified', to_stage: 'landlord_identified' }]);
    expect(await auditRows(env, 'business.advance', verified.id)).toHaveLength(1);
  });

  it('refuses a landlord of another task force, both or neither given, and people without the grant', async () => {
    const foreign = await insertTestLandlord(env.ctx, { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, createdBy: world.users.outsiderOfficer.id });
    const business = await insertTestBusiness(env.ctx, { ...base(), stage: 'identified' });
    const officer = await as(world.users.officer);
    const res = await officer.put(`/api/businesses/${business.id}/landlord`, { landlordId: foreign.id, version: 1 });
    expect(res.statusCode).toBe(400);
    expect(body(res).error.field).toBe('landlordId');
    expect((await officer.put(`/api/businesses/${business.id}/landlord`, { version: 1 })).statusCode).toBe(400);
    const own = await insertTestLandlord(env.ctx, base());
    // The partner agency reads the business (task force) but does not keep its record: 403. Outsiders: 404.
    expect((await (await as(world.users.partnerOfficer)).put(`/api/businesses/${business.id}/landlord`, { landlordId: own.id, version: 1 })).statusCode).toBe(403);
    expect((await (await as(world.users.outsiderCoordinator)).put(`/api/businesses/${business.id}/landlord`, { landlordId: own.id, version: 1 })).statusCode).toBe(404);
  });
});
