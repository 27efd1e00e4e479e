import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { as, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';

describeEachDatabase("task force partners' contacts", (backend) => {
  let env: TestEnv;
  let world: World;
  let client: ReturnType<typeof sessionCache>;
  let disabled: TestUser;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    client = sessionCache(env);
    // Work phones, set by each person (PATCH /api/users/:id): one coordinator has none.
    await (await client(world.users.partnerCoordinator)).patch(`/api/users/${world.users.partnerCoordinator.id}`, { phone: '(573) 555-0110' });
    await (await client(world.users.outsiderCoordinator)).patch(`/api/users/${world.users.outsiderCoordinator.id}`, { phone: '(417) 555-0177' });
    disabled = await insertUser(env, world.agencies.partner, ['coordinator'], { name: 'Former Coordinator' });
    await env.ctx.db.updateTable('app_user').set({ disabled_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', disabled.id).execute();
  });
  afterAll(() => env.close());

  const contacts = (tf: string) => `/api/task-forces/${tf}/contacts`;

  it('answers 401 without a session', async () => {
    expect((await as(env, null).get(contacts(world.taskForceId))).statusCode).toBe(401);
  });

  it("lists every member agency's coordinators and work phones to the task force's members", async () => {
    for (const user of [world.users.officer, world.users.partnerAnalyst, world.users.advocate, world.users.caseworker, world.users.coordinator]) {
      const res = await (await client(user)).get(contacts(world.taskForceId));
      expect(res.statusCode, user.email).toBe(200);
      const agencies = body(res).agencies as { agencyId: string; name: string; contacts: { userId: string; name: string; phone: string | null }[] }[];
      expect(agencies.map((a) => a.name)).toEqual(['Harbor Advocates', 'Lead Police Department', 'Partner Highway Patrol', "State Children's Division"]);
      const partner = agencies.find((a) => a.agencyId === world.agencies.partner)!;
      expect(partner.contacts).toEqual([{ userId: world.users.partnerCoordinator.id, name: 'Test coordinator', email: world.users.partnerCoordinator.email, phone: '(573) 555-0110' }]);
      const lead = agencies.find((a) => a.agencyId === world.agencies.lead)!;
      expect(lead.contacts).toEqual([{ userId: world.users.coordinator.id, name: 'Test coordinator', email: world.users.coordinator.email, phone: null }]);
      // Agencies without a coordinator are listed, with nobody; disabled accounts never.
      expect(agencies.find((a) => a.agencyId === world.agencies.advocates)!.contacts).toEqual([]);
      expect(JSON.stringify(agencies)).not.toContain(disabled.id);
      // Never the other task force's people (their phone, whole: ids are random and may hold its digits).
      expect(JSON.stringify(agencies)).not.toContain('(417) 555-0177');
      expect(JSON.stringify(agencies)).not.toContain(world.users.outsiderCoordinator.id);
    }
    const tf = await (await client(world.users.officer)).get(`/api/task-forces/${world.taskForceId}`);
    expect(body(tf).abilities['taskForce.readContacts']).toBe(true);
  });

  it('shows none of it to anyone outside the task force (cross-agency deny)', async () => {
    for (const outsider of [world.users.outsiderCoordinator, world.users.outsiderAdmin, world.users.outsiderOfficer]) {
      const res = await (await client(outsider)).get(contacts(world.taskForceId));
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toMatch(/555-0110|Partner Highway Patrol|Test coordinator/);
    }
    // The outsider's own task force shows only its own agency.
    const own = await (await client(world.users.outsiderOfficer)).get(contacts(world.otherTaskForceId));
    expect(body(own).agencies.map((a: { agencyId: string }) => a.agencyId)).toEqual([world.agencies.outsider]);
    expect(body(own).agencies[0].contacts[0].phone).toBe('(417) 555-0177');
  });

  it('refuses the platform administrator a task force their agency is not in (403, audited as denied)', async () => {
    const platform = await client(world.users.platform);
    const res = await platform.get(contacts(world.otherTaskForceId));
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('(417) 555-0177');
    const tf = await platform.get(`/api/task-forces/${world.otherTaskForceId}`);
    expect(body(tf).abilities['taskForce.readContacts']).toBe(false);
    const denied = await env.ctx.db.selectFrom('audit_event').select(['actor_user_id', 'outcome']).where('action', '=', 'access.denied').where('actor_user_id', '=', world.users.platform.id).execute();
    expect(denied.length).toBeGreaterThan(0);
    // Their own agency's task force: a member like any other.
    expect((await platform.get(contacts(world.taskForceId))).statusCode).toBe(200);
  });
});
