import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../lib/ids.ts';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';
import { as, cookieFrom, insertUser, seedWorld, type TestUser, type World } from '../test/fixtures.ts';
import { recoveryCodeHash, totpCode } from './mfa.ts';

/** Issue #7, finding 9: recovery codes of 80 bits, stored keyed (HMAC under a key not in the database). */
describeEachDatabase('recovery codes', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  const login = (u: TestUser) => {
    env.clock.advance(30_000);
    return env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } });
  };
  const withCode = async (u: TestUser, code: string) => as(env, cookieFrom(await login(u))).post('/api/auth/mfa', { code });
  const storedOf = async (userId: string) => (await env.ctx.db.selectFrom('recovery_code').select('code_hash').where('user_id', '=', userId).execute()).map((r) => r.code_hash);

  async function enrol(u: TestUser): Promise<string[]> {
    const pending = as(env, cookieFrom(await login(u)));
    const { secret } = body(await pending.post('/api/auth/mfa/enrolment'));
    const done = await pending.post('/api/auth/mfa', { code: totpCode(secret, env.clock.now()) });
    expect(done.statusCode).toBe(200);
    return body(done).recoveryCodes;
  }

  it('issues 80-bit codes in groups of four and stores only their keyed hashes', async () => {
    const u = await insertUser(env, world.agencies.lead, ['officer'], { enrolled: false });
    const codes = await enrol(u);
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    const stored = await storedOf(u.id);
    expect(stored.sort()).toEqual(codes.map((c) => recoveryCodeHash(env.ctx.keyring, u.id, c)).sort());
    for (const c of codes) {
      const plain = c.replaceAll('-', '');
      expect(stored).not.toContain(createHash('sha256').update(plain).digest('hex'));
      expect(stored.join()).not.toContain(plain);
    }
    // A code stands in for the authenticator once, typed any way; not for anyone else.
    expect((await withCode(world.users.officer, codes[1]!)).statusCode).toBe(401);
    expect((await withCode(u, codes[0]!.toUpperCase().replaceAll('-', ' '))).statusCode).toBe(200);
    expect((await withCode(u, codes[0]!)).statusCode).toBe(401);
  });

  it('keeps a code issued before keyed codes working once, until it is replaced', async () => {
    const u = await insertUser(env, world.agencies.lead, ['analyst']);
    const now = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('recovery_code')
      .values({ id: newId(), user_id: u.id, code_hash: createHash('sha256').update('abcdefgh23').digest('hex'), used_at: null, created_at: now })
      .execute();
    expect((await withCode(u, 'abcde-fgh23')).statusCode).toBe(200);
    expect((await withCode(u, 'abcde-fgh23')).statusCode).toBe(401);
  });
});
