import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, sessionCache, type World, seedWorld } from '../../test/fixtures.ts';
import { checkWorkPhone } from './users.phone.ts';

describe('checkWorkPhone', () => {
  it.each([
    ['(816) 555-0142', '(816) 555-0142'],
    [' +1 816 555 0142 ', '+1 816 555 0142'],
    ['816.690.4100', '816.690.4100'],
    ['+44 20 7946 0958', '+44 20 7946 0958'],
    ['', null],
    [null, null],
  ])('accepts %j', (typed, stored) => expect(checkWorkPhone(typed)).toBe(stored));

  it.each(['123', '555-1234', '(000) 000-0000', '1-800-FLOWERS', 'call me', '+1 816 555 01423 9'])('refuses %j, naming the field', (typed) => {
    expect(() => checkWorkPhone(typed)).toThrow(expect.objectContaining({ status: 400, field: 'phone' }));
  });
});

describeEachDatabase('work phones', (backend) => {
  let env: TestEnv;
  let world: World;
  let client: ReturnType<typeof sessionCache>;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    client = sessionCache(env);
  });
  afterAll(() => env.close());

  it('refuses a number that cannot be dialed on create and on update (400 naming phone), writing nothing', async () => {
    const admin = await client(world.users.leadAdmin);
    const before = await tableCounts(env.ctx, ['app_user']);
    const created = await admin.post('/api/users', { email: 'bad-phone@example.test', displayName: 'Bad Phone', agencyId: world.agencies.lead, roles: ['officer'], phone: '555-1234' });
    expect(created.statusCode).toBe(400);
    expect(body(created).error).toMatchObject({ code: 'invalid', field: 'phone' });
    expect(await tableCounts(env.ctx, ['app_user'])).toEqual(before);
    const self = await client(world.users.officer);
    const updated = await self.patch(`/api/users/${world.users.officer.id}`, { phone: 'call dispatch' });
    expect(body(updated).error).toMatchObject({ code: 'invalid', field: 'phone' });
    expect(await auditRows(env, 'user.update', world.users.officer.id)).toEqual([]);
  });

  it('lets a person set their own phone; their coordinator and a partner coordinator see it, an outsider does not', async () => {
    const partner = world.users.partnerOfficer;
    const self = await (await client(partner)).patch(`/api/users/${partner.id}`, { phone: '(816) 555-0142' });
    expect(self.statusCode).toBe(200);
    expect(body(self).phone).toBe('(816) 555-0142');
    const [row] = await auditRows(env, 'user.update', partner.id);
    expect(row).toMatchObject({ actor_user_id: partner.id, changed_fields: '["phone"]' });
    expect(JSON.stringify(row)).not.toContain('555-0142');

    // A task-force coordinator names an operation's commander from partners' staff and calls them.
    for (const coordinator of [world.users.coordinator, world.users.partnerCoordinator]) {
      const c = await client(coordinator);
      expect(body(await c.get(`/api/users/${partner.id}`)).phone).toBe('(816) 555-0142');
      const listed = (body(await c.get(`/api/users?agencyId=${world.agencies.partner}`)).users as { id: string; phone: string | null }[]).find((u) => u.id === partner.id);
      expect(listed?.phone).toBe('(816) 555-0142');
    }
    // Cross-agency deny: outside the task force the account and its phone are not there at all.
    for (const outsider of [world.users.outsiderCoordinator, world.users.outsiderAdmin]) {
      const c = await client(outsider);
      expect((await c.get(`/api/users/${partner.id}`)).statusCode).toBe(404);
      expect(JSON.stringify(body(await c.get('/api/users')))).not.toContain('555-0142');
    }
    // Inside it, people who do not staff operations see the account (if at all) without the phone.
    const analyst = await client(world.users.partnerAnalyst);
    const seen = await analyst.get(`/api/users/${partner.id}`);
    expect(seen.statusCode).toBe(404);
  });
});
