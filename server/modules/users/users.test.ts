import { afterAll, beforeAll, expect, it } from 'vitest';
import { totpCode } from '../../auth/mfa.ts';
import { newId } from '../../lib/ids.ts';
import { auditCounts, body, describeEachDatabase, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, cookieFrom, insertUser, seedWorld, sessionCache, signIn, type TestUser, type World } from '../../test/fixtures.ts';

describeEachDatabase('users', (backend) => {
  let env: TestEnv;
  let world: World;
  let client: ReturnType<typeof sessionCache>;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    client = sessionCache(env);
  });
  afterAll(() => env.close());

  const login = (email: string, password: string) => env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const sessionsOf = async (userId: string) => (await env.ctx.db.selectFrom('session').select('id').where('user_id', '=', userId).execute()).length;
  const ids = (res: { json(): unknown }) => (body(res as never).users as { id: string }[]).map((u) => u.id);
  const agencyIdsOf = (res: { json(): unknown }) => [...new Set((body(res as never).users as { agencyId: string }[]).map((u) => u.agencyId))].sort();

  /** Signs in with a temporary password and sets up MFA, as a new colleague would. */
  async function firstSignIn(email: string, password: string) {
    env.clock.advance(30_000);
    const res = await login(email, password);
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ mfaRequired: true, enrolmentRequired: true });
    const pending = as(env, cookieFrom(res));
    const { secret } = body(await pending.post('/api/auth/mfa/enrolment'));
    const done = await pending.post('/api/auth/mfa', { code: totpCode(secret, env.clock.now()) });
    expect(done.statusCode).toBe(200);
    return as(env, cookieFrom(done));
  }

  it('answers 401 to every user route without a session', async () => {
    const anon = as(env, null);
    const id = world.users.officer.id;
    const responses = [
      await anon.get('/api/users'),
      await anon.get(`/api/users/${id}`),
      await anon.post('/api/users', { email: 'x@example.test', displayName: 'X', agencyId: world.agencies.lead, roles: ['officer'] }),
      await anon.patch(`/api/users/${id}`, { displayName: 'X' }),
      await anon.post(`/api/users/${id}/unlock`),
      await anon.post(`/api/users/${id}/reset-mfa`),
      await anon.post(`/api/users/${id}/reset-password`),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 401, 401]);
  });

  it('lists accounts by scope: an admin their agency, a coordinator the task force, others themselves', async () => {
    const { lead, partner, advocates, childWelfare, outsider } = world.agencies;
    const adminList = await (await client(world.users.leadAdmin)).get('/api/users');
    expect(agencyIdsOf(adminList)).toEqual([lead]);
    expect(ids(adminList)).toEqual(expect.arrayContaining([world.users.officer.id, world.users.platform.id]));
    expect(body(adminList).abilities).toEqual({ 'user.create': true });
    expect(agencyIdsOf(await (await client(world.users.coordinator)).get('/api/users'))).toEqual([lead, partner, advocates, childWelfare].sort());
    expect(agencyIdsOf(await (await client(world.users.outsiderAdmin)).get('/api/users'))).toEqual([outsider]);
    const own = await (await client(world.users.officer)).get('/api/users');
    expect(ids(own)).toEqual([world.users.officer.id]);
    expect(body(own).abilities).toEqual({ 'user.create': false });
    // Filtering by another agency never widens the scope.
    expect(ids(await (await client(world.users.leadAdmin)).get(`/api/users?agencyId=${outsider}`))).toEqual([]);
  });

  it('searches names and emails, taking % and _ literally on both databases', async () => {
    const a = await insertUser(env, world.agencies.lead, ['analyst'], { email: 'ann_lee@example.test', name: 'Ann Lee' });
    const b = await insertUser(env, world.agencies.lead, ['analyst'], { email: 'annxlee@example.test', name: 'Annx Lee' });
    const admin = await client(world.users.leadAdmin);
    expect(ids(await admin.get('/api/users?q=ann_l'))).toEqual([a.id]);
    expect(ids(await admin.get(`/api/users?q=${encodeURIComponent('ann%lee')}`))).toEqual([]);
    expect(ids(await admin.get('/api/users?q=ANNX')).sort()).toEqual([b.id]);
    expect(ids(await admin.get('/api/users?q=lee')).sort()).toEqual([a.id, b.id].sort());
  });

  it("opens an account in the admin's agency: temporary password, MFA set-up and a new password first", async () => {
    const admin = await client(world.users.leadAdmin);
    const res = await admin.post('/api/users', { email: ' Jordan.Rivers@Example.Test ', displayName: 'Jordan Rivers', agencyId: world.agencies.lead, roles: ['officer', 'analyst', 'officer'], phone: '+1 816 555 0142' });
    expect(res.statusCode).toBe(201);
    const created = body(res);
    expect(created).toMatchObject({ email: 'jordan.rivers@example.test', displayName: 'Jordan Rivers', agencyId: world.agencies.lead, roles: ['analyst', 'officer'], mfaEnrolled: false, locked: false, disabled: false, phone: '+1 816 555 0142' });
    expect(created.temporaryPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);

    const stored = await env.ctx.db.selectFrom('app_user').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.phone).toMatch(/^enc1\.test1\./);
    expect(stored.must_change_password).toBe(1);
    const [row] = await auditRows(env, 'user.create', created.id);
    expect(row).toMatchObject({ actor_user_id: world.users.leadAdmin.id, actor_agency_id: world.agencies.lead, record_type: 'user', record_agency_id: world.agencies.lead, outcome: 'success' });
    expect(JSON.parse(row!.changed_fields)).toEqual(['email', 'displayName', 'roles', 'phone']);
    const text = JSON.stringify(row);
    for (const value of ['816 555 0142', 'Jordan', 'jordan.rivers', created.temporaryPassword]) expect(text).not.toContain(value);

    const newcomer = await firstSignIn('jordan.rivers@example.test', created.temporaryPassword);
    const me = await newcomer.get('/api/me');
    expect(body(me).user).toMatchObject({ email: 'jordan.rivers@example.test', mustChangePassword: true });
    // Until a new password is chosen, the temporary one opens nothing else.
    const blocked = await newcomer.get('/api/users');
    expect(blocked.statusCode).toBe(403);
    expect(body(blocked).error.code).toBe('password_change_required');
    const changed = await newcomer.post('/api/account/password', { currentPassword: created.temporaryPassword, newPassword: 'lanterns along the levee at dusk' });
    expect(changed.statusCode).toBe(200);
    expect(body(await newcomer.get('/api/me')).user.mustChangePassword).toBe(false);
    expect((await newcomer.get('/api/users')).statusCode).toBe(200);
  });

  it("refuses to open an account in another agency, or a platform admin, for an agency admin (403)", async () => {
    const clients = { leadAdmin: await client(world.users.leadAdmin), outsiderAdmin: await client(world.users.outsiderAdmin), officer: await client(world.users.officer) };
    const before = await tableCounts(env.ctx, ['app_user', 'membership']);
    const audit = await auditCounts(env.ctx);
    const attempt = (c: ReturnType<typeof as>, agencyId: string, extra = {}) =>
      c.post('/api/users', { email: `new-${Math.random()}@example.test`, displayName: 'New Person', agencyId, roles: ['officer'], ...extra });
    for (const res of [
      await attempt(clients.leadAdmin, world.agencies.partner),
      await attempt(clients.outsiderAdmin, world.agencies.lead),
      await attempt(clients.officer, world.agencies.lead),
      await attempt(clients.leadAdmin, world.agencies.lead, { platformAdmin: true }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(body(res).error.code).toBe('forbidden');
    }
    expect(await tableCounts(env.ctx, ['app_user', 'membership'])).toEqual(before);
    expect(await auditCounts(env.ctx)).toEqual({ all: audit.all + 4, denied: audit.denied + 4 });
  });

  it('refuses roles that do not fit the agency (400 naming roles) and a taken email (409)', async () => {
    const admin = await client(world.users.leadAdmin);
    const advocate = await admin.post('/api/users', { email: 'police-advocate@example.test', displayName: 'Not An Advocate', agencyId: world.agencies.lead, roles: ['advocate'] });
    expect(advocate.statusCode).toBe(400);
    expect(body(advocate).error).toMatchObject({ code: 'invalid', field: 'roles' });
    expect(body(advocate).error.message).toMatch(/^roles: Victim advocate is not a role in a law enforcement agency/);
    const caseworker = await admin.patch(`/api/users/${world.users.officer.id}`, { roles: ['caseworker'] });
    expect(caseworker.statusCode).toBe(400);
    expect(body(caseworker).error.field).toBe('roles');
    const platform = await client(world.users.platform);
    const officerAtAdvocates = await platform.post('/api/users', { email: 'advocate-officer@example.test', displayName: 'Wrong Place', agencyId: world.agencies.advocates, roles: ['officer'] });
    expect(body(officerAtAdvocates).error.field).toBe('roles');
    const taken = await admin.post('/api/users', { email: world.users.officer.email.toUpperCase(), displayName: 'Copy', agencyId: world.agencies.lead, roles: ['officer'] });
    expect(taken.statusCode).toBe(409);
    expect(body(taken).error.field).toBe('email');
    const noRoles = await admin.post('/api/users', { email: 'noroles@example.test', displayName: 'None', agencyId: world.agencies.lead, roles: [] });
    expect(body(noRoles).error).toMatchObject({ code: 'invalid', field: 'roles' });
  });

  it("hides another agency's accounts (404) and shows partners' to a coordinator read-only", async () => {
    const target = world.users.partnerOfficer;
    expect((await (await client(world.users.leadAdmin)).get(`/api/users/${target.id}`)).statusCode).toBe(404);
    expect((await (await client(world.users.outsiderAdmin)).get(`/api/users/${world.users.officer.id}`)).statusCode).toBe(404);
    expect((await (await client(world.users.officer)).get(`/api/users/${world.users.analyst.id}`)).statusCode).toBe(404);
    const seen = await (await client(world.users.coordinator)).get(`/api/users/${target.id}`);
    expect(seen.statusCode).toBe(200);
    expect(body(seen)).toMatchObject({ id: target.id, phone: null });
    const { 'user.read': canRead, ...rest } = body(seen).abilities;
    expect(canRead).toBe(true);
    expect(Object.values(rest).every((v) => v === false)).toBe(true);
  });

  it('lets a person and their admin edit the profile, audited by field name; others get 403 or 404', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer'], { name: 'Casey Field' });
    const self = await (await client(u)).patch(`/api/users/${u.id}`, { displayName: 'Casey Fields' });
    expect(self.statusCode).toBe(200);
    expect(body(self).displayName).toBe('Casey Fields');
    const byAdmin = await (await client(world.users.leadAdmin)).patch(`/api/users/${u.id}`, { phone: '+1 660 555 0199' });
    expect(body(byAdmin).phone).toBe('+1 660 555 0199');
    const [row] = await auditRows(env, 'user.update', u.id);
    expect(row).toMatchObject({ actor_user_id: world.users.leadAdmin.id, record_agency_id: world.agencies.lead, changed_fields: '["phone"]' });
    expect(JSON.stringify(await auditRows(env, 'user.update', u.id))).not.toMatch(/660 555 0199|Casey/);

    expect((await (await client(world.users.coordinator)).patch(`/api/users/${world.users.partnerOfficer.id}`, { displayName: 'Renamed' })).statusCode).toBe(403);
    expect((await (await client(world.users.partnerAdmin)).patch(`/api/users/${u.id}`, { displayName: 'Renamed' })).statusCode).toBe(404);
    expect((await (await client(u)).patch(`/api/users/${u.id}`, { roles: ['coordinator'] })).statusCode).toBe(403);
    // Profile as admin, but the platform admin's account is not theirs to touch.
    expect((await (await client(world.users.leadAdmin)).patch(`/api/users/${world.users.platform.id}`, { displayName: 'Renamed' })).statusCode).toBe(403);
    const stored = await env.ctx.db.selectFrom('app_user').select('display_name').where('id', '=', world.users.partnerOfficer.id).executeTakeFirstOrThrow();
    expect(stored.display_name).not.toBe('Renamed');
  });

  it('changes roles with an audit row naming what was added and removed, keeping the last admin', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer']);
    const admin = await client(world.users.leadAdmin);
    const res = await admin.patch(`/api/users/${u.id}`, { roles: ['analyst', 'pio'] });
    expect(res.statusCode).toBe(200);
    expect(body(res).roles).toEqual(['analyst', 'pio']);
    const [row] = await auditRows(env, 'user.changeRoles', u.id);
    expect(row).toMatchObject({ actor_user_id: world.users.leadAdmin.id, changed_fields: '["roles"]' });
    expect(JSON.parse(row!.detail)).toEqual({ added: 'analyst,pio', removed: 'officer' });
    // The new roles hold from the person's next request.
    expect(body(await (await client(u)).get('/api/me')).user.roles).toEqual(['analyst', 'pio']);

    const self = await admin.patch(`/api/users/${world.users.leadAdmin.id}`, { roles: ['analyst'] });
    expect(self.statusCode).toBe(403);
    expect(body(self).error.message).toMatch(/your own roles/);
    const last = await (await client(world.users.platform)).patch(`/api/users/${world.users.partnerAdmin.id}`, { roles: ['analyst'] });
    expect(last.statusCode).toBe(409);
    expect(body(last).error.message).toMatch(/last administrator/);
    expect((await (await client(world.users.partnerAdmin)).patch(`/api/users/${u.id}`, { roles: ['officer'] })).statusCode).toBe(404);
  });

  it('disables an account, ending its sessions at once, and enables it again', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer']);
    const cookie = await signIn(env, u);
    expect((await as(env, cookie).get('/api/me')).statusCode).toBe(200);
    expect(await sessionsOf(u.id)).toBe(1);
    const admin = await client(world.users.leadAdmin);

    const off = await admin.patch(`/api/users/${u.id}`, { disabled: true });
    expect(off.statusCode).toBe(200);
    expect(body(off).disabled).toBe(true);
    expect(await sessionsOf(u.id)).toBe(0);
    expect((await as(env, cookie).get('/api/me')).statusCode).toBe(401);
    const refused = await login(u.email, u.password);
    expect(refused.statusCode).toBe(403);
    expect(body(refused).error.code).toBe('disabled');
    const [disabledRow] = await auditRows(env, 'user.disable', u.id);
    expect(disabledRow).toMatchObject({ actor_user_id: world.users.leadAdmin.id, changed_fields: '["disabled"]' });
    expect(JSON.parse(disabledRow!.detail)).toEqual({ disabled: true });

    const on = await admin.patch(`/api/users/${u.id}`, { disabled: false });
    expect(body(on).disabled).toBe(false);
    expect(JSON.parse((await auditRows(env, 'user.disable', u.id))[0]!.detail)).toEqual({ disabled: false });
    expect((await login(u.email, u.password)).statusCode).toBe(200);

    expect((await admin.patch(`/api/users/${world.users.leadAdmin.id}`, { disabled: true })).statusCode).toBe(403);
    expect((await (await client(world.users.partnerAdmin)).patch(`/api/users/${u.id}`, { disabled: true })).statusCode).toBe(404);
    expect((await (await client(world.users.coordinator)).patch(`/api/users/${world.users.partnerOfficer.id}`, { disabled: true })).statusCode).toBe(403);
  });

  it('unlocks a locked account for its admin only', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer']);
    await env.ctx.db.insertInto('login_lock').values({ email: u.email, locked_at: env.clock.now().toISOString() }).execute();
    expect((await (await client(world.users.partnerAdmin)).post(`/api/users/${u.id}/unlock`)).statusCode).toBe(404);
    expect((await (await client(world.users.coordinator)).post(`/api/users/${world.users.partnerOfficer.id}/unlock`)).statusCode).toBe(403);
    expect((await login(u.email, u.password)).statusCode).toBe(423);
    const res = await (await client(world.users.leadAdmin)).post(`/api/users/${u.id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect(body(res).locked).toBe(false);
    expect((await auditRows(env, 'user.unlock', u.id))[0]).toMatchObject({ actor_user_id: world.users.leadAdmin.id, changed_fields: '["locked"]' });
    expect((await login(u.email, u.password)).statusCode).toBe(200);
  });

  it('resets MFA: sessions end and the next sign-in sets it up again', async () => {
    const u = await insertUser(env, world.agencies.lead, ['analyst']);
    const cookie = await signIn(env, u);
    await env.ctx.db.insertInto('recovery_code').values({ id: newId(), user_id: u.id, code_hash: 'x', used_at: null, created_at: env.clock.now().toISOString() }).execute();
    const res = await (await client(world.users.leadAdmin)).post(`/api/users/${u.id}/reset-mfa`);
    expect(res.statusCode).toBe(200);
    expect(body(res).mfaEnrolled).toBe(false);
    expect((await as(env, cookie).get('/api/me')).statusCode).toBe(401);
    expect(await env.ctx.db.selectFrom('recovery_code').select('id').where('user_id', '=', u.id).execute()).toEqual([]);
    const [row] = await auditRows(env, 'user.resetMfa', u.id);
    expect(row).toMatchObject({ actor_user_id: world.users.leadAdmin.id, changed_fields: '["totpSecret","recoveryCodes"]' });
    env.clock.advance(30_000);
    const again = await login(u.email, u.password);
    expect(body(again)).toEqual({ mfaRequired: true, enrolmentRequired: true });
    // The old authenticator no longer gets in.
    const old = await as(env, cookieFrom(again)).post('/api/auth/mfa', { code: totpCode(u.totpSecret, env.clock.now()) });
    expect(old.statusCode).toBe(409);

    expect((await (await client(world.users.leadAdmin)).post(`/api/users/${world.users.leadAdmin.id}/reset-mfa`)).statusCode).toBe(403);
    expect((await (await client(world.users.leadAdmin)).post(`/api/users/${world.users.platform.id}/reset-mfa`)).statusCode).toBe(403);
    expect((await (await client(world.users.outsiderAdmin)).post(`/api/users/${world.users.officer.id}/reset-mfa`)).statusCode).toBe(404);
  });

  it('issues a new temporary password: the old one stops working and sessions end', async () => {
    const u = await insertUser(env, world.agencies.lead, ['pio']);
    const cookie = await signIn(env, u);
    const res = await (await client(world.users.leadAdmin)).post(`/api/users/${u.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    const { temporaryPassword } = body(res);
    expect((await as(env, cookie).get('/api/me')).statusCode).toBe(401);
    expect((await login(u.email, u.password)).statusCode).toBe(401);
    const fresh = as(env, await signIn(env, { ...u, password: temporaryPassword }));
    expect(body(await fresh.get('/api/me')).user.mustChangePassword).toBe(true);
    const [row] = await auditRows(env, 'user.resetPassword', u.id);
    expect(row).toMatchObject({ actor_user_id: world.users.leadAdmin.id, record_agency_id: world.agencies.lead, changed_fields: '["password"]' });
    expect(JSON.stringify(row)).not.toContain(temporaryPassword);

    expect((await (await client(world.users.coordinator)).post(`/api/users/${world.users.partnerOfficer.id}/reset-password`)).statusCode).toBe(403);
    expect((await (await client(world.users.outsiderAdmin)).post(`/api/users/${u.id}/reset-password`)).statusCode).toBe(404);
    expect((await (await client(world.users.leadAdmin)).post(`/api/users/${world.users.leadAdmin.id}/reset-password`)).statusCode).toBe(403);
  });

  it('lets the platform administrator manage accounts in any agency', async () => {
    const platform = await client(world.users.platform);
    const res = await platform.post('/api/users', { email: 'outsider-new@example.test', displayName: 'Outsider New', agencyId: world.agencies.outsider, roles: ['officer'] });
    expect(res.statusCode).toBe(201);
    expect((await auditRows(env, 'user.create', body(res).id))[0]).toMatchObject({ actor_user_id: world.users.platform.id, record_agency_id: world.agencies.outsider });
    // The outsider agency's own admin sees the new account; the lead admin does not.
    expect((await (await client(world.users.outsiderAdmin)).get(`/api/users/${body(res).id}`)).statusCode).toBe(200);
    expect((await (await client(world.users.leadAdmin)).get(`/api/users/${body(res).id}`)).statusCode).toBe(404);
  });

  it('the users page offers only the agencies an administrator manages: their own, every one for the platform', async () => {
    const managed = async (u: TestUser) =>
      (body(await (await client(u)).get('/api/agencies')).agencies as { id: string; abilities?: Record<string, boolean> }[]).filter((a) => a.abilities?.['agency.update']).map((a) => a.id);
    expect(await managed(world.users.leadAdmin)).toEqual([world.agencies.lead]);
    expect(await managed(world.users.partnerAdmin)).toEqual([world.agencies.partner]);
    expect((await managed(world.users.platform)).sort()).toEqual(Object.values(world.agencies).sort());
    // Asking for another agency's people by its id finds no one.
    expect(ids(await (await client(world.users.leadAdmin)).get(`/api/users?agencyId=${world.agencies.partner}`))).toEqual([]);
  });
});
