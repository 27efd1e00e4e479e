import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from './mfa.ts';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../test/harness.ts';
import { as, cookieFrom, insertUser, seedWorld, signIn, type World } from '../test/fixtures.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../common/limits.ts';

describeEachDatabase('sign-in', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  const login = (email: string, password: string) => env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const auditFor = (action: string, userId?: string) => {
    let q = env.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', action);
    if (userId) q = q.where('record_id', '=', userId);
    return q.orderBy('at', 'desc').orderBy('id', 'desc').execute();
  };

  it('asks for the MFA code after a right password, with an HttpOnly SameSite=Strict cookie', async () => {
    const u = world.users.officer;
    const res = await login(u.email, u.password);
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ mfaRequired: true, enrolmentRequired: false });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/lantern_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    // Half signed in is not signed in.
    const me = await as(env, cookieFrom(res)).get('/api/me');
    expect(me.statusCode).toBe(401);
    expect(body(me).error.code).toBe('mfa_required');
  });

  it('signs in with the TOTP code, audits both steps, and refuses the same code twice', async () => {
    const u = world.users.analyst;
    env.clock.advance(30_000);
    const first = await login(u.email, u.password);
    const code = totpCode(u.totpSecret, env.clock.now());
    const mfa = await as(env, cookieFrom(first)).post('/api/auth/mfa', { code });
    expect(mfa.statusCode).toBe(200);
    const active = cookieFrom(mfa)!;
    expect(active).not.toBe(cookieFrom(first));
    const me = await as(env, active).get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(body(me).user.email).toBe(u.email);
    expect(body(me).agency.id).toBe(world.agencies.lead);
    expect(body(me).taskForces.map((t: { id: string }) => t.id)).toEqual([world.taskForceId]);

    const logins = await auditFor('auth.login', u.id);
    expect(logins[0]).toMatchObject({ outcome: 'success', actor_user_id: u.id, actor_agency_id: u.agencyId });
    const mfas = await auditFor('auth.mfa', u.id);
    expect(mfas[0]).toMatchObject({ outcome: 'success' });
    expect(mfas[0]!.request_id).toBeTruthy();

    // Replay: the same code in a second sign-in within its 30 seconds is refused.
    const second = await login(u.email, u.password);
    const replay = await as(env, cookieFrom(second)).post('/api/auth/mfa', { code });
    expect(replay.statusCode).toBe(401);
    expect(body(replay).error).toMatchObject({ code: 'invalid_code', field: 'code' });
  });

  it('answers a wrong password and an unknown email the same way, and audits both', async () => {
    const wrong = await login(world.users.pio.email, 'not-the-password-at-all');
    const unknown = await login('nobody-here@example.test', 'not-the-password-at-all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(body(wrong)).toEqual(body(unknown));
    const failures = await env.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'auth.login').where('outcome', '=', 'failure').execute();
    expect(failures.some((f) => JSON.parse(f.detail).email === 'nobody-here@example.test' && f.actor_user_id === null)).toBe(true);
    expect(failures.some((f) => f.actor_user_id === world.users.pio.id)).toBe(true);
  });

  it('locks after 5 failures in 15 minutes, the same for a real and an unknown account, until an admin unlocks', async () => {
    const victim = await insertUser(env, world.agencies.lead, ['officer']);
    const ghost = 'ghost-account@example.test';
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push((await login(victim.email, 'wrong-password-number-' + i)).statusCode);
      await login(ghost, 'wrong-password-number-' + i);
    }
    expect(answers).toEqual([401, 401, 401, 401, 423]);
    const real = await login(victim.email, victim.password);
    const fake = await login(ghost, 'anything-at-all-here');
    expect(real.statusCode).toBe(423);
    expect(fake.statusCode).toBe(423);
    expect(body(real)).toEqual(body(fake));
    expect(body(real).error.message).toMatch(/locked/i);
    expect((await auditFor('auth.lockout', victim.id)).length).toBe(1);

    // Time alone does not unlock it.
    env.clock.advance(2 * 60 * 60_000);
    expect((await login(victim.email, victim.password)).statusCode).toBe(423);

    // The agency administrator sees the lock and lifts it.
    const admin = as(env, await signIn(env, world.users.leadAdmin));
    const shown = await admin.get(`/api/users/${victim.id}`);
    expect(body(shown).locked).toBe(true);
    expect(body(shown).abilities['user.unlock']).toBe(true);
    const unlocked = await admin.post(`/api/users/${victim.id}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect(body(unlocked).locked).toBe(false);
    expect((await auditFor('user.unlock', victim.id))[0]).toMatchObject({ actor_user_id: world.users.leadAdmin.id, outcome: 'success' });
    expect((await login(victim.email, victim.password)).statusCode).toBe(200);
  });

  it('failures spread beyond 15 minutes do not lock', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer']);
    for (let i = 0; i < 8; i++) {
      expect((await login(u.email, 'wrong-password-again-' + i)).statusCode).toBe(401);
      env.clock.advance(4 * 60_000);
    }
    expect((await login(u.email, u.password)).statusCode).toBe(200);
  });

  it('five wrong MFA codes lock the account too', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer']);
    const res = await login(u.email, u.password);
    const pending = as(env, cookieFrom(res));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await pending.post('/api/auth/mfa', { code: '000000' })).statusCode);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[4]).toBe(423);
    expect((await login(u.email, u.password)).statusCode).toBe(423);
  });

  it('enrols MFA at first sign-in with a QR code and gives recovery codes that work once', async () => {
    const u = await insertUser(env, world.agencies.partner, ['officer'], { enrolled: false });
    const res = await login(u.email, u.password);
    expect(body(res)).toEqual({ mfaRequired: true, enrolmentRequired: true });
    const pending = as(env, cookieFrom(res));
    expect(body(await pending.get('/api/me')).error.code).toBe('enrolment_required');
    const enrol = await pending.post('/api/auth/mfa/enrolment');
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri, qrSvg } = body(enrol);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Lantern:/);
    expect(qrSvg).toMatch(/^<svg/);
    const stored = await env.ctx.db.selectFrom('app_user').select(['totp_pending_secret']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(stored.totp_pending_secret).toMatch(/^enc1\./);
    expect(stored.totp_pending_secret).not.toContain(secret);

    const done = await pending.post('/api/auth/mfa', { code: totpCode(secret, env.clock.now()) });
    expect(done.statusCode).toBe(200);
    const codes: string[] = body(done).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect((await as(env, cookieFrom(done)).get('/api/me')).statusCode).toBe(200);

    // A recovery code stands in for the authenticator once.
    const again = await login(u.email, u.password);
    const withCode = await as(env, cookieFrom(again)).post('/api/auth/mfa', { code: codes[0] });
    expect(withCode.statusCode).toBe(200);
    const reuse = await login(u.email, u.password);
    expect((await as(env, cookieFrom(reuse)).post('/api/auth/mfa', { code: codes[0] })).statusCode).toBe(401);
    expect((await auditFor('auth.recoveryCodeUsed', u.id)).length).toBe(1);
  });

  it('ends a session after 30 idle minutes and after 12 hours whatever the activity', async () => {
    const u = world.users.caseworker;
    const cookie = await signIn(env, u);
    const me = () => as(env, cookie).get('/api/me');
    env.clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await me()).statusCode).toBe(200);
    env.clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await me()).statusCode).toBe(200);
    env.clock.advance(SESSION_IDLE_MS + 1000);
    const idle = await me();
    expect(idle.statusCode).toBe(401);
    expect(body(idle).error.code).toBe('session_expired');

    const cookie2 = await signIn(env, u);
    for (let t = 0; t < SESSION_ABSOLUTE_MS; t += 20 * 60_000) {
      env.clock.advance(20 * 60_000);
      const r = await as(env, cookie2).get('/api/me');
      if (r.statusCode !== 200) {
        expect(t + 20 * 60_000).toBeGreaterThanOrEqual(SESSION_ABSOLUTE_MS);
        return;
      }
    }
    expect((await as(env, cookie2).get('/api/me')).statusCode).toBe(401);
  });

  it('logout and "sign out my other sessions" end sessions on the server', async () => {
    const u = world.users.advocate;
    const a = await signIn(env, u);
    const b = await signIn(env, u);
    const c = await signIn(env, u);
    const sessions = await as(env, a).get('/api/account/sessions');
    expect(body(sessions).sessions.length).toBeGreaterThanOrEqual(3);
    expect(body(sessions).sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    expect((await as(env, a).post('/api/account/sessions/revoke-others')).statusCode).toBe(200);
    expect((await as(env, b).get('/api/me')).statusCode).toBe(401);
    expect((await as(env, c).get('/api/me')).statusCode).toBe(401);
    expect((await as(env, a).get('/api/me')).statusCode).toBe(200);

    expect((await as(env, a).post('/api/auth/logout')).statusCode).toBe(200);
    expect((await as(env, a).get('/api/me')).statusCode).toBe(401);
    expect((await auditFor('auth.logout', u.id)).length).toBe(1);
  });

  it('changes a password only with the current one, refusing short and common ones', async () => {
    const u = await insertUser(env, world.agencies.lead, ['analyst']);
    const me = as(env, await signIn(env, u));
    const short = await me.post('/api/account/password', { currentPassword: u.password, newPassword: 'too-short' });
    expect(short.statusCode).toBe(400);
    expect(body(short).error).toMatchObject({ field: 'newPassword' });
    const common = await me.post('/api/account/password', { currentPassword: u.password, newPassword: 'passwordpassword' });
    expect(body(common).error.field).toBe('newPassword');
    expect(body(common).error.message).toMatch(/common|repeat/);
    const wrong = await me.post('/api/account/password', { currentPassword: 'not-my-password-123', newPassword: 'a walk along the quiet canal' });
    expect(body(wrong).error.field).toBe('currentPassword');
    const ok = await me.post('/api/account/password', { currentPassword: u.password, newPassword: 'a walk along the quiet canal' });
    expect(ok.statusCode).toBe(200);
    env.clock.advance(30_000);
    expect((await login(u.email, 'a walk along the quiet canal')).statusCode).toBe(200);
    expect((await login(u.email, u.password)).statusCode).toBe(401);
  });

  it('refuses cross-site state changes and non-JSON bodies', async () => {
    const cookie = await signIn(env, world.users.pio);
    const cross = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(cross.statusCode).toBe(403);
    expect(body(cross).error.code).toBe('cross_site');
    const form = await env.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a@b.c&password=x' });
    expect(form.statusCode).toBe(415);
    const plain = await env.app.inject({ method: 'POST', url: '/api/account/sessions/revoke-others', headers: { cookie, 'content-type': 'text/plain' }, payload: 'x' });
    expect(plain.statusCode).toBe(415);
    expect((await as(env, cookie).get('/api/me')).statusCode).toBe(200);
  });

  it('answers 401 to every /api route without a session, but not to public and sign-in routes', async () => {
    for (const url of ['/api/me', '/api/users', '/api/agencies', '/api/task-forces', '/api/audit', '/api/account/sessions']) {
      const res = await env.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(body(res).error.code).toBe('unauthenticated');
    }
    const openapi = await env.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(openapi.statusCode).toBe(200);
    // The abilities are documented as what they are: actions, each true or false.
    const me = body(openapi).paths['/api/me'].get.responses['200'].content['application/json'].schema;
    expect(me.properties.abilities).toEqual({ type: 'object', additionalProperties: { type: 'boolean' } });
    expect((await env.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('disabled and dormant accounts', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv('sqlite');
  });
  afterAll(() => env.close());

  it('disables an account unused for 90 days at its next sign-in', async () => {
    const world = await seedWorld(env);
    const u = world.users.pio;
    env.clock.advance(91 * 24 * 60 * 60_000);
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } });
    expect(res.statusCode).toBe(403);
    expect(body(res).error.code).toBe('disabled');
    const row = await env.ctx.db.selectFrom('app_user').select('disabled_at').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.disabled_at).not.toBeNull();
  });
});
