import { afterAll, beforeAll, expect, it } from 'vitest';
import { totpCode } from '../../auth/mfa.ts';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, cookieFrom, insertUser, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';

// Sign-in, logout, "sign out my other sessions" and password rules are in auth/auth.test.ts.
describeEachDatabase('account', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  const login = (email: string, password: string) => env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const sessionList = async (cookie: string) => body(await as(env, cookie).get('/api/account/sessions')).sessions as { id: string; current: boolean }[];

  it('answers 401 to every account route without a session', async () => {
    const anon = as(env, null);
    const responses = [
      await anon.get('/api/account/sessions'),
      await anon.post('/api/account/sessions/revoke-others'),
      await anon.delete('/api/account/sessions/0123456789abcdef'),
      await anon.post('/api/account/password', { currentPassword: 'x', newPassword: 'y' }),
      await anon.post('/api/account/recovery-codes', { code: '123456' }),
      await anon.get('/api/account/phone'),
      await anon.patch('/api/account/phone', { phone: '(816) 555-0142' }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 401, 401]);
  });

  it('signs out one chosen session, audited; another person\'s session is not found (404)', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer']);
    const phone = await signIn(env, u);
    const laptop = await signIn(env, u);
    const sessions = await sessionList(laptop);
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => /^[0-9a-f]{16}$/.test(s.id))).toBe(true);
    const other = sessions.find((s) => !s.current)!;

    // Someone else cannot end it, even knowing its id.
    const stranger = await signIn(env, world.users.partnerOfficer);
    const denied = await as(env, stranger).delete(`/api/account/sessions/${other.id}`);
    expect(denied.statusCode).toBe(404);
    expect((await as(env, phone).get('/api/me')).statusCode).toBe(200);

    const res = await as(env, laptop).delete(`/api/account/sessions/${other.id}`);
    expect(res.statusCode).toBe(200);
    expect((await as(env, phone).get('/api/me')).statusCode).toBe(401);
    expect((await as(env, laptop).get('/api/me')).statusCode).toBe(200);
    const [row] = await auditRows(env, 'auth.sessionRevoke', u.id);
    expect(row).toMatchObject({ actor_user_id: u.id, actor_agency_id: u.agencyId, record_type: 'user', outcome: 'success' });
    expect(JSON.parse(row!.detail)).toEqual({ scope: 'one', current: false });

    const malformed = await as(env, laptop).delete('/api/account/sessions/not-a-session');
    expect(malformed.statusCode).toBe(400);
    expect(body(malformed).error.field).toBe('id');
  });

  it('counts the sessions "sign out my other sessions" ended in its audit row', async () => {
    const u = await insertUser(env, world.agencies.partner, ['officer']);
    await signIn(env, u);
    await signIn(env, u);
    const keep = await signIn(env, u);
    const res = await as(env, keep).post('/api/account/sessions/revoke-others');
    expect(body(res)).toEqual({ ok: true, revoked: 2 });
    expect(JSON.parse((await auditRows(env, 'auth.sessionRevoke', u.id))[0]!.detail)).toEqual({ scope: 'others', revoked: 2 });
  });

  it('changes the password: other sessions end, this one stays, and the audit row holds no password', async () => {
    const u = await insertUser(env, world.agencies.lead, ['analyst'], { email: 'morgan.hale@example.test', name: 'Morgan Hale' });
    const other = await signIn(env, u);
    const me = await signIn(env, u);
    const newPassword = 'kettle drums under the old bridge';
    const res = await as(env, me).post('/api/account/password', { currentPassword: u.password, newPassword });
    expect(res.statusCode).toBe(200);
    expect((await as(env, other).get('/api/me')).statusCode).toBe(401);
    expect((await as(env, me).get('/api/me')).statusCode).toBe(200);
    const [row] = await auditRows(env, 'auth.passwordChange', u.id);
    expect(row).toMatchObject({ actor_user_id: u.id, outcome: 'success', changed_fields: '["password"]' });
    expect(JSON.stringify(row)).not.toContain(newPassword);
    expect(JSON.stringify(row)).not.toContain(u.password);
    const stored = await env.ctx.db.selectFrom('app_user').select(['password_hash', 'must_change_password']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.must_change_password).toBe(0);
  });

  it('refuses a wrong current password (audited as a failure), the same password, and one built from the email or name', async () => {
    const u = await insertUser(env, world.agencies.lead, ['analyst'], { email: 'r.quinn.7@example.test', name: 'Riley Quinn' });
    const me = as(env, await signIn(env, u));
    const wrong = await me.post('/api/account/password', { currentPassword: 'not-my-password-at-all', newPassword: 'kettle drums under the old bridge' });
    expect(wrong.statusCode).toBe(400);
    expect(body(wrong).error.field).toBe('currentPassword');
    const [failure] = await auditRows(env, 'auth.passwordChange', u.id);
    expect(failure).toMatchObject({ outcome: 'failure', actor_user_id: u.id });
    expect(JSON.stringify(failure)).not.toContain('not-my-password-at-all');
    const same = await me.post('/api/account/password', { currentPassword: u.password, newPassword: u.password });
    expect(body(same).error).toMatchObject({ field: 'newPassword', message: 'newPassword: must differ from your current password' });
    const withEmail = await me.post('/api/account/password', { currentPassword: u.password, newPassword: 'r.quinn.7-likes-long-walks' });
    expect(body(withEmail).error.message).toMatch(/email/);
    const withName = await me.post('/api/account/password', { currentPassword: u.password, newPassword: 'hello-I-am-Riley-Quinn-123' });
    expect(body(withName).error.message).toMatch(/name/);
    const tooLong = await me.post('/api/account/password', { currentPassword: u.password, newPassword: 'x'.repeat(129) });
    expect(body(tooLong).error.field).toBe('newPassword');
    expect((await login(u.email, u.password)).statusCode).toBe(200);
  });

  it('replaces recovery codes only with a fresh authenticator code; the old codes stop working', async () => {
    const u: TestUser = await insertUser(env, world.agencies.advocates, ['advocate']);
    const me = as(env, await signIn(env, u));
    await env.ctx.db.insertInto('recovery_code').values({ id: '00000000-0000-7000-8000-000000000001', user_id: u.id, code_hash: 'old', used_at: null, created_at: env.clock.now().toISOString() }).execute();

    const wrong = await me.post('/api/account/recovery-codes', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(body(wrong).error.field).toBe('code');
    expect((await auditRows(env, 'auth.recoveryCodesRegenerated', u.id))[0]).toMatchObject({ outcome: 'failure' });

    env.clock.advance(30_000);
    const code = totpCode(u.totpSecret, env.clock.now());
    const res = await me.post('/api/account/recovery-codes', { code });
    expect(res.statusCode).toBe(200);
    const codes: string[] = body(res).recoveryCodes;
    expect(codes).toHaveLength(10);
    const stored = await env.ctx.db.selectFrom('recovery_code').select('code_hash').where('user_id', '=', u.id).execute();
    expect(stored).toHaveLength(10);
    expect(stored.map((s) => s.code_hash)).not.toContain('old');
    const [row] = await auditRows(env, 'auth.recoveryCodesRegenerated', u.id);
    expect(row).toMatchObject({ outcome: 'success', changed_fields: '["recoveryCodes"]' });
    for (const c of codes) expect(JSON.stringify(row)).not.toContain(c);

    // The same authenticator code cannot be used twice.
    const replay = await me.post('/api/account/recovery-codes', { code });
    expect(replay.statusCode).toBe(400);
    expect(body(replay).error.code).toBe('invalid_code');

    // A new code works in place of the authenticator at sign-in.
    env.clock.advance(30_000);
    const pending = await login(u.email, u.password);
    expect((await as(env, cookieFrom(pending)).post('/api/auth/mfa', { code: codes[3] })).statusCode).toBe(200);
  });

  it('sets, changes and clears my own work phone, audited as a change of phone; the number is sealed at rest', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer']);
    const me = as(env, await signIn(env, u));
    expect(body(await me.get('/api/account/phone'))).toEqual({ phone: null });

    const set = await me.patch('/api/account/phone', { phone: ' (816) 555-0142 ' });
    expect(set.statusCode).toBe(200);
    expect(body(set)).toEqual({ phone: '(816) 555-0142' });
    expect(body(await me.get('/api/account/phone'))).toEqual({ phone: '(816) 555-0142' });
    const stored = await env.ctx.db.selectFrom('app_user').select('phone').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(stored.phone).toMatch(/^enc1\./);
    const [row] = await auditRows(env, 'user.update', u.id);
    expect(row).toMatchObject({ actor_user_id: u.id, record_type: 'user', record_agency_id: u.agencyId, outcome: 'success', changed_fields: '["phone"]' });
    expect(JSON.stringify(row)).not.toContain('555-0142');

    expect(body(await me.patch('/api/account/phone', { phone: '+44 20 7946 0958' }))).toEqual({ phone: '+44 20 7946 0958' });
    // The administrators' user page sees the same number: one field, not a second copy.
    expect(body(await as(env, await signIn(env, world.users.leadAdmin)).get(`/api/users/${u.id}`)).phone).toBe('+44 20 7946 0958');

    expect(body(await me.patch('/api/account/phone', { phone: '' }))).toEqual({ phone: null });
    expect(body(await me.patch('/api/account/phone', { phone: '(816) 555-0142' }))).toEqual({ phone: '(816) 555-0142' });
    expect(body(await me.patch('/api/account/phone', { phone: null }))).toEqual({ phone: null });
    expect(await auditRows(env, 'user.update', u.id)).toHaveLength(5);
  });

  it('refuses a number that cannot be dialed (400 naming phone), changing and auditing nothing', async () => {
    const u = await insertUser(env, world.agencies.partner, ['officer']);
    const me = as(env, await signIn(env, u));
    await me.patch('/api/account/phone', { phone: '(660) 555-0199' });
    for (const phone of ['555-1234', 'call dispatch', '(000) 000-0000', 'x'.repeat(41)]) {
      const res = await me.patch('/api/account/phone', { phone });
      expect(res.statusCode).toBe(400);
      expect(body(res).error).toMatchObject({ code: 'invalid', field: 'phone' });
    }
    expect((await me.patch('/api/account/phone', {})).statusCode).toBe(400);
    expect(body(await me.get('/api/account/phone'))).toEqual({ phone: '(660) 555-0199' });
    expect(await auditRows(env, 'user.update', u.id)).toHaveLength(1);
  });
});
