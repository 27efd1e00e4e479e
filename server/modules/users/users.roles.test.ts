import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';

/** Issue #7, finding 5: no one changes their own roles; an admin's case roles come from another admin. */
describeEachDatabase('users: role changes', (backend) => {
  let env: TestEnv;
  let world: World;
  let client: ReturnType<typeof sessionCache>;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    client = sessionCache(env);
  });
  afterAll(() => env.close());

  const rolesOf = async (userId: string) =>
    (await env.ctx.db.selectFrom('membership').select('role').where('user_id', '=', userId).execute()).map((r) => r.role).sort();

  it('refuses an agency admin who gives themselves case roles (403, nothing written)', async () => {
    const admin = await client(world.users.leadAdmin);
    for (const roles of [['admin', 'coordinator'], ['admin', 'analyst', 'officer'], ['admin', 'pio'], ['coordinator']]) {
      const res = await admin.patch(`/api/users/${world.users.leadAdmin.id}`, { roles });
      expect(res.statusCode).toBe(403);
      expect(body(res).error).toMatchObject({ code: 'forbidden' });
      expect(body(res).error.message).toMatch(/your own roles/);
    }
    expect(await rolesOf(world.users.leadAdmin.id)).toEqual(['admin']);
    expect(body(await admin.get('/api/me')).user.roles).toEqual(['admin']);
    expect(await auditRows(env, 'user.changeRoles', world.users.leadAdmin.id)).toEqual([]);
    // A case-content read stays closed to the admin.
    expect((await admin.get('/api/operations')).statusCode).not.toBe(500);
  });

  it('refuses every change to one\'s own roles, the platform administrator\'s included, and says so in the abilities', async () => {
    const platform = await client(world.users.platform);
    const own = await platform.patch(`/api/users/${world.users.platform.id}`, { roles: ['admin', 'analyst'] });
    expect(own.statusCode).toBe(403);
    expect(body(own).error.message).toMatch(/your own roles/);
    const coordinator = await client(world.users.coordinator);
    expect((await coordinator.patch(`/api/users/${world.users.coordinator.id}`, { roles: ['coordinator', 'analyst'] })).statusCode).toBe(403);
    // The profile stays editable by its owner; the role editor is not offered.
    const self = body(await (await client(world.users.leadAdmin)).get(`/api/users/${world.users.leadAdmin.id}`));
    expect(self.abilities).toMatchObject({ 'user.update': true, 'user.changeRoles': false });
    const other = body(await (await client(world.users.leadAdmin)).get(`/api/users/${world.users.officer.id}`));
    expect(other.abilities).toMatchObject({ 'user.changeRoles': true });
    expect(await rolesOf(world.users.platform.id)).toEqual(['admin']);
  });

  it('lets another admin of the agency give an admin a case role, audited under that other admin', async () => {
    const first = await insertUser(env, world.agencies.lead, ['admin']);
    const second = await insertUser(env, world.agencies.lead, ['admin']);
    const res = await (await client(second)).patch(`/api/users/${first.id}`, { roles: ['admin', 'coordinator'] });
    expect(res.statusCode).toBe(200);
    expect(body(res).roles).toEqual(['admin', 'coordinator']);
    const [row] = await auditRows(env, 'user.changeRoles', first.id);
    expect(row).toMatchObject({ actor_user_id: second.id });
    expect(JSON.parse(row!.detail)).toEqual({ added: 'coordinator', removed: '' });
    // The one who received them cannot then widen or narrow them alone.
    expect((await (await client(first)).patch(`/api/users/${first.id}`, { roles: ['admin', 'coordinator', 'analyst'] })).statusCode).toBe(403);
    expect((await (await client(first)).patch(`/api/users/${first.id}`, { roles: ['admin'] })).statusCode).toBe(403);
  });

  it('keeps account creation from reaching the creator\'s own roles', async () => {
    const admin = await client(world.users.leadAdmin);
    const copy = await admin.post('/api/users', { email: world.users.leadAdmin.email, displayName: 'Me Again', agencyId: world.agencies.lead, roles: ['admin', 'coordinator'] });
    expect(copy.statusCode).toBe(409);
    expect(await rolesOf(world.users.leadAdmin.id)).toEqual(['admin']);
  });
});
