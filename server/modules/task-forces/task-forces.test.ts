import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../lib/ids.ts';
import { auditCounts, body, describeEachDatabase, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';

describeEachDatabase('task forces', (backend) => {
  let env: TestEnv;
  let world: World;
  let client: ReturnType<typeof sessionCache>;
  let partnerCoordinator: TestUser;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    partnerCoordinator = await insertUser(env, world.agencies.partner, ['coordinator']);
    client = sessionCache(env);
  });
  afterAll(() => env.close());

  const tf = () => `/api/task-forces/${world.taskForceId}`;
  const memberIds = (res: { json(): unknown }) => (body(res as never).members as { agencyId: string }[]).map((m) => m.agencyId).sort();

  it('answers 401 to every task-force route without a session', async () => {
    const anon = as(env, null);
    const responses = [
      await anon.get('/api/task-forces'),
      await anon.get(tf()),
      await anon.post('/api/task-forces', { name: 'x', leadAgencyId: world.agencies.lead }),
      await anon.patch(tf(), { name: 'x' }),
      await anon.post(`${tf()}/agencies`, { agencyId: world.agencies.outsider }),
      await anon.delete(`${tf()}/agencies/${world.agencies.partner}`),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 401]);
  });

  it("lists the task forces of the caller's agency only", async () => {
    const ids = async (u: TestUser) => (body(await (await client(u)).get('/api/task-forces')).taskForces as { id: string }[]).map((t) => t.id).sort();
    expect(await ids(world.users.advocate)).toEqual([world.taskForceId]);
    expect(await ids(world.users.outsiderOfficer)).toEqual([world.otherTaskForceId]);
    expect(await ids(world.users.platform)).toEqual([world.taskForceId, world.otherTaskForceId].sort());
    const list = await (await client(world.users.coordinator)).get('/api/task-forces');
    expect(body(list).abilities['taskForce.create']).toBe(false);
    expect(body(list).taskForces[0].abilities).toMatchObject({ 'taskForce.read': true, 'taskForce.addAgency': true });
  });

  it('shows a task force and its member agencies to members', async () => {
    const res = await (await client(world.users.caseworker)).get(tf());
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({ id: world.taskForceId, name: 'Test Task Force', leadAgencyId: world.agencies.lead });
    const { lead, partner, advocates, childWelfare } = world.agencies;
    expect(memberIds(res)).toEqual([lead, partner, advocates, childWelfare].sort());
    expect(body(res).abilities).toMatchObject({ 'taskForce.update': false, 'taskForce.addAgency': false });
  });

  it("hides a task force and its agencies from an outsider agency's staff (404)", async () => {
    for (const u of [world.users.outsiderCoordinator, world.users.outsiderAdmin, world.users.outsiderOfficer]) {
      const c = await client(u);
      expect((await c.get(tf())).statusCode).toBe(404);
      for (const agency of [world.agencies.lead, world.agencies.partner, world.agencies.advocates]) {
        expect((await c.get(`/api/agencies/${agency}`)).statusCode).toBe(404);
      }
      const visible = (body(await c.get('/api/agencies')).agencies as { id: string }[]).map((a) => a.id);
      expect(visible).toEqual([world.agencies.outsider]);
    }
  });

  it('lets the platform administrator form a task force, audited, and nobody else (403)', async () => {
    const input = { name: 'Cross-State Task Force', description: 'Interstate corridor work', leadAgencyId: world.agencies.partner, memberAgencyIds: [world.agencies.advocates, world.agencies.partner] };
    for (const u of [world.users.coordinator, world.users.leadAdmin]) {
      const c = await client(u);
      const before = await tableCounts(env.ctx, ['task_force', 'task_force_member']);
      const audit = await auditCounts(env.ctx);
      const denied = await c.post('/api/task-forces', input);
      expect(denied.statusCode).toBe(403);
      expect(await tableCounts(env.ctx, ['task_force', 'task_force_member'])).toEqual(before);
      expect(await auditCounts(env.ctx)).toEqual({ all: audit.all + 1, denied: audit.denied + 1 });
    }
    const res = await (await client(world.users.platform)).post('/api/task-forces', input);
    expect(res.statusCode).toBe(201);
    const created = body(res);
    expect(created).toMatchObject({ name: input.name, description: input.description, leadAgencyId: world.agencies.partner });
    expect(memberIds(res)).toEqual([world.agencies.partner, world.agencies.advocates].sort());
    const [row] = await auditRows(env, 'taskForce.create', created.id);
    expect(row).toMatchObject({ actor_user_id: world.users.platform.id, record_type: 'task_force', record_agency_id: world.agencies.partner, outcome: 'success' });
    expect(JSON.parse(row!.changed_fields)).toEqual(['name', 'description', 'leadAgencyId', 'members']);
    expect(JSON.parse(row!.detail)).toEqual({ members: 2 });
    expect(JSON.stringify(row)).not.toContain('Cross-State');
    // The partner agency's staff now see it; the lead agency's do not.
    expect((await (await client(world.users.partnerOfficer)).get(`/api/task-forces/${created.id}`)).statusCode).toBe(200);
    expect((await (await client(world.users.officer)).get(`/api/task-forces/${created.id}`)).statusCode).toBe(404);
  });

  it('names the bad field when forming a task force', async () => {
    const platform = await client(world.users.platform);
    const noLead = await platform.post('/api/task-forces', { name: 'Nowhere TF', leadAgencyId: newId() });
    expect(noLead.statusCode).toBe(400);
    expect(body(noLead).error.field).toBe('leadAgencyId');
    const badMember = await platform.post('/api/task-forces', { name: 'Nowhere TF', leadAgencyId: world.agencies.lead, memberAgencyIds: [newId()] });
    expect(body(badMember).error.field).toBe('memberAgencyIds');
    const notAnId = await platform.post('/api/task-forces', { name: 'Nowhere TF', leadAgencyId: 'lead' });
    expect(body(notAnId).error).toMatchObject({ code: 'invalid', field: 'leadAgencyId' });
    const dup = await platform.post('/api/task-forces', { name: 'Other Task Force', leadAgencyId: world.agencies.lead });
    expect(dup.statusCode).toBe(409);
    expect(body(dup).error.field).toBe('name');
  });

  it('lets the lead coordinator rename it; a partner coordinator gets 403, an outsider 404', async () => {
    const before = await env.ctx.db.selectFrom('task_force').selectAll().where('id', '=', world.taskForceId).executeTakeFirstOrThrow();
    expect((await (await client(partnerCoordinator)).patch(tf(), { name: 'Taken over' })).statusCode).toBe(403);
    expect((await (await client(world.users.officer)).patch(tf(), { name: 'Taken over' })).statusCode).toBe(403);
    expect((await (await client(world.users.outsiderCoordinator)).patch(tf(), { name: 'Taken over' })).statusCode).toBe(404);
    expect(await env.ctx.db.selectFrom('task_force').selectAll().where('id', '=', world.taskForceId).executeTakeFirstOrThrow()).toEqual(before);

    const res = await (await client(world.users.coordinator)).patch(tf(), { description: 'Western district operations' });
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({ name: 'Test Task Force', description: 'Western district operations' });
    const [row] = await auditRows(env, 'taskForce.update', world.taskForceId);
    expect(row).toMatchObject({ actor_user_id: world.users.coordinator.id, record_agency_id: world.agencies.lead, changed_fields: '["description"]' });
    expect(JSON.stringify(row)).not.toContain('Western district');
  });

  it('lets the lead coordinator invite and release an agency, whose staff gain and lose sight of it', async () => {
    const { outsider } = world.agencies;
    const outsiderOfficer = await client(world.users.outsiderOfficer);
    const lead = await client(world.users.coordinator);

    const invited = await lead.post(`${tf()}/agencies`, { agencyId: outsider });
    expect(invited.statusCode).toBe(200);
    expect(memberIds(invited)).toContain(outsider);
    const [added] = await auditRows(env, 'taskForce.addAgency', world.taskForceId);
    expect(added).toMatchObject({ actor_user_id: world.users.coordinator.id, record_type: 'task_force', record_agency_id: world.agencies.lead, changed_fields: '["members"]' });
    expect(JSON.parse(added!.detail)).toEqual({ agencyId: outsider });
    // The newly invited agency's people see the task force and its agencies at once.
    expect((await outsiderOfficer.get(tf())).statusCode).toBe(200);
    expect((await outsiderOfficer.get(`/api/agencies/${world.agencies.lead}`)).statusCode).toBe(200);

    const again = await lead.post(`${tf()}/agencies`, { agencyId: outsider });
    expect(again.statusCode).toBe(409);
    expect(body(again).error.field).toBe('agencyId');

    const released = await lead.delete(`${tf()}/agencies/${outsider}`);
    expect(released.statusCode).toBe(200);
    expect(memberIds(released)).not.toContain(outsider);
    const [removed] = await auditRows(env, 'taskForce.removeAgency', world.taskForceId);
    expect(removed).toMatchObject({ actor_user_id: world.users.coordinator.id, changed_fields: '["members"]' });
    expect(JSON.parse(removed!.detail)).toEqual({ agencyId: outsider });
    expect((await outsiderOfficer.get(tf())).statusCode).toBe(404);
    expect((await outsiderOfficer.get(`/api/agencies/${world.agencies.lead}`)).statusCode).toBe(404);
  });

  it("refuses to invite or release for a partner coordinator (403) or an outsider's (404)", async () => {
    const before = await tableCounts(env.ctx, ['task_force_member']);
    const partner = await client(partnerCoordinator);
    expect((await partner.post(`${tf()}/agencies`, { agencyId: world.agencies.outsider })).statusCode).toBe(403);
    expect((await partner.delete(`${tf()}/agencies/${world.agencies.advocates}`)).statusCode).toBe(403);
    const outsider = await client(world.users.outsiderCoordinator);
    expect((await outsider.post(`${tf()}/agencies`, { agencyId: world.agencies.outsider })).statusCode).toBe(404);
    expect((await outsider.delete(`${tf()}/agencies/${world.agencies.advocates}`)).statusCode).toBe(404);
    expect(await tableCounts(env.ctx, ['task_force_member'])).toEqual(before);
  });

  it('keeps the lead agency in its task force and answers 404 for a non-member', async () => {
    const lead = await client(world.users.coordinator);
    const self = await lead.delete(`${tf()}/agencies/${world.agencies.lead}`);
    expect(self.statusCode).toBe(409);
    expect(body(self).error.field).toBe('agencyId');
    expect((await lead.delete(`${tf()}/agencies/${newId()}`)).statusCode).toBe(404);
    const unknown = await lead.post(`${tf()}/agencies`, { agencyId: newId() });
    expect(unknown.statusCode).toBe(400);
    expect(body(unknown).error.field).toBe('agencyId');
  });
});
