import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { totpCode } from './mfa.ts';
import { body, describeEachDatabase, type TestEnv } from '../test/harness.ts';
import { as, cookieFrom, insertUser, seedWorld, signIn, type TestUser, type World } from '../test/fixtures.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv, statuses } from '../test/race.ts';
import { LOCKOUT_ATTEMPTS } from '../../common/limits.ts';

/**
 * Sign-in under concurrency (issue #7, finding 3). The invariant throughout: once the fifth failure
 * within 15 minutes has been counted, the account is locked and no session is issued for it any more
 * (no half-signed-in session survives the lock, and no MFA step completes after it); a disable or a
 * role change committed during a sign-in leaves no session with the old rights.
 */
describeEachDatabase('sign-in under concurrent requests', (backend) => {
  let env: TestEnv;
  let world: World;
  let admin: ReturnType<typeof as>;
  const rounds = roundsFor(backend, 15);

  beforeAll(async () => {
    env = await startRaceEnv(backend, 10);
    world = await seedWorld(env);
    admin = as(env, await signIn(env, world.users.leadAdmin));
  });
  afterAll(() => env.close());

  const login = (email: string, password: string) => env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const mfa = (cookie: string | null, user: TestUser) =>
    env.app.inject({ method: 'POST', url: '/api/auth/mfa', headers: cookie ? { cookie } : {}, payload: { code: totpCode(user.totpSecret, env.clock.now()) } });
  const me = (cookie: string | null) => env.app.inject({ method: 'GET', url: '/api/me', headers: cookie ? { cookie } : {} });
  const sessionsOf = (userId: string) => env.ctx.db.selectFrom('session').select(['id', 'stage']).where('user_id', '=', userId).execute();
  const isLocked = async (email: string) => (await env.ctx.db.selectFrom('login_lock').select('email').where('email', '=', email).executeTakeFirst()) !== undefined;
  const lockouts = async (userId: string) => (await env.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'auth.lockout').where('record_id', '=', userId).execute()).length;

  /** A fresh account each round, and a fresh TOTP step so its code has not been used. */
  async function freshUser(roles: Parameters<typeof insertUser>[2] = ['officer']) {
    env.clock.advance(30_000);
    return insertUser(env, world.agencies.lead, roles);
  }

  /** Both steps of signing in, one after the other; answers the last response and the cookie it set. */
  async function signInSteps(user: TestUser): Promise<{ res: LightMyRequestResponse; cookie: string | null }> {
    const first = await login(user.email, user.password);
    if (first.statusCode !== 200) return { res: first, cookie: null };
    const second = await mfa(cookieFrom(first), user);
    return { res: second, cookie: cookieFrom(second) };
  }

  it('nine wrong passwords and the right one at once: locked, no session, the MFA step refused', async () => {
    await raceRounds(rounds, {
      prepare: () => freshUser(),
      fire: (user) => [...Array.from({ length: 9 }, (_, i) => () => login(user.email, `wrong-password-attempt-${i}`)), () => login(user.email, user.password)],
      check: async (user, results) => {
        const wrong = results.slice(0, 9);
        const right = results[9]!;
        for (const r of wrong) expectRefusal(r, [401, 423]);
        // Failures are counted one after another: the fifth locks, so at most four are told "wrong".
        expect(statuses(wrong).filter((s) => s === 401).length).toBeLessThanOrEqual(LOCKOUT_ATTEMPTS - 1);
        expect(await isLocked(user.email)).toBe(true);
        expect(await lockouts(user.id)).toBe(1);
        if (right.statusCode === 200) {
          // The password was accepted before the lock: the lock revoked the half-signed-in session.
          const second = await mfa(cookieFrom(right), user);
          expectRefusal(second, [401, 423]);
          expect((await me(cookieFrom(second) ?? cookieFrom(right))).statusCode).toBe(401);
        } else {
          expectRefusal(right, [423]);
        }
        expect(await sessionsOf(user.id)).toEqual([]);
      },
    });
  });

  it('the MFA step against five wrong passwords at once: a session only if the code was taken before the lock', async () => {
    await raceRounds(rounds, {
      prepare: async () => {
        const user = await freshUser();
        const first = await login(user.email, user.password);
        expect(first.statusCode).toBe(200);
        return { user, pending: cookieFrom(first) };
      },
      fire: ({ user, pending }) => [() => mfa(pending, user), ...Array.from({ length: LOCKOUT_ATTEMPTS }, (_, i) => () => login(user.email, `wrong-password-attempt-${i}`))],
      check: async ({ user }, [second, ...wrong]) => {
        for (const r of wrong) expectRefusal(r, [401, 423]);
        const failures = (await env.ctx.db.selectFrom('login_failure').select('id').where('email', '=', user.email).execute()).length;
        const locked = await isLocked(user.email);
        // A completed sign-in starts the count again; the lock falls exactly when five are counted.
        expect(locked).toBe(failures >= LOCKOUT_ATTEMPTS);
        const sessions = await sessionsOf(user.id);
        if (second!.statusCode === 200) {
          // The code was taken before the fifth failure was counted; the sign-in stands.
          expect((await me(cookieFrom(second!))).statusCode).toBe(200);
          expect(sessions.map((s) => s.stage)).toEqual(['active']);
        } else {
          // Refused because the lock came first: nothing was issued and nothing half-signed-in remains.
          expectRefusal(second!, [401, 423]);
          expect(locked).toBe(true);
          expect(sessions).toEqual([]);
        }
        if (locked) expect(sessions.filter((s) => s.stage !== 'active')).toEqual([]);
      },
    });
  });

  it('role change × sign-in: the new session acts with the roles as changed, never the old ones', async () => {
    await raceRounds(rounds, {
      prepare: () => freshUser(['pio']),
      fire: (user) => [() => signInSteps(user), async () => ({ res: await admin.patch(`/api/users/${user.id}`, { roles: ['officer'] }), cookie: null })],
      check: async (_user, [signedIn, change]) => {
        expect(change!.res.statusCode, change!.res.body).toBe(200);
        expect(signedIn!.res.statusCode, signedIn!.res.body).toBe(200);
        const mine = await me(signedIn!.cookie);
        expect(mine.statusCode).toBe(200);
        expect(body(mine).user.roles).toEqual(['officer']);
      },
    });
  });

  it('disable × sign-in: no session of a disabled account survives, and none answers', async () => {
    await raceRounds(rounds, {
      prepare: () => freshUser(),
      fire: (user) => [() => signInSteps(user), async () => ({ res: await admin.patch(`/api/users/${user.id}`, { disabled: true }), cookie: null })],
      check: async (user, [signedIn, disable]) => {
        expect(disable!.res.statusCode, disable!.res.body).toBe(200);
        if (signedIn!.res.statusCode !== 200) expectRefusal(signedIn!.res, [401, 403]);
        expect((await me(signedIn!.cookie)).statusCode).toBe(401);
        expect(await sessionsOf(user.id)).toEqual([]);
        expect((await login(user.email, user.password)).statusCode).toBe(403);
      },
    });
  });
});
