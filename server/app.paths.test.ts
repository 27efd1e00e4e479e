import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from './test/harness.ts';
import { cookieFrom, seedWorld, signIn, type World } from './test/fixtures.ts';
import { isApiPath, normalizedPath } from './lib/request-path.ts';

/**
 * Issue #7, finding 7: the global request hook (cross-site check, session, MFA gate, no-store) decides
 * on the path the router routes, so no spelling of an API path reaches a handler around it.
 */
const SPELLINGS = [
  '/%61pi/me',
  '/%61%70%69/me',
  '/api/%6de',
  '/api/%2e%2e/api/me',
  '/api/%2E%2E/api/me',
  '/api/../api/me',
  '/api/./me',
  '/./api/me',
  '/static/../api/me',
  '/static/%2e%2e/api/me',
  '//api/me',
  '/api//me',
  '///api/me',
  '/%2Fapi/me',
  '/api%2Fme',
  '/API/me',
  '/api/me/',
  '/api/me/.',
  '/api/me%00',
  '/api/me%',
  '/%c0%ae%c0%ae/api/me',
];

describeEachDatabase('request paths', (backend) => {
  let env: TestEnv;
  let world: World;
  let active: string;
  let pending: string;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    active = await signIn(env, world.users.officer);
    env.clock.advance(30_000);
    const login = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: world.users.analyst.email, password: world.users.analyst.password } });
    pending = cookieFrom(login)!;
  });
  afterAll(() => env.close());

  const get = (url: string, cookie?: string) => env.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const outcome = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: res.statusCode === 200 ? null : (body(res).error?.code ?? null), noStore: res.headers['cache-control'] === 'no-store' });

  /** The same answer as the canonical path, or a refusal (400, 404) that is not cached; never a 500. */
  function expectLikeOrRefused(res: LightMyRequestResponse, canonical: LightMyRequestResponse, url: string) {
    const got = outcome(res);
    if (got.status === 400 || got.status === 404) {
      expect(got.noStore, `${url}: ${got.status} must not be cached`).toBe(true);
      return;
    }
    expect(got, url).toEqual(outcome(canonical));
  }

  it('answers every spelling of /api/me without a session like /api/me (401, no-store), or 404/400', async () => {
    const canonical = await get('/api/me');
    expect(outcome(canonical)).toEqual({ status: 401, code: 'unauthenticated', noStore: true });
    for (const url of SPELLINGS) expectLikeOrRefused(await get(url), canonical, url);
  });

  it('keeps the MFA gate: a half-signed-in session gets 401 mfa_required on every spelling', async () => {
    const canonical = await get('/api/me', pending);
    expect(outcome(canonical)).toEqual({ status: 401, code: 'mfa_required', noStore: true });
    for (const url of SPELLINGS) expectLikeOrRefused(await get(url, pending), canonical, url);
  });

  it('serves a signed-in user on the canonical spellings only with no-store', async () => {
    const canonical = await get('/api/me', active);
    expect(outcome(canonical)).toEqual({ status: 200, code: null, noStore: true });
    for (const url of SPELLINGS) expectLikeOrRefused(await get(url, active), canonical, url);
  });

  it('refuses a cross-site state change on every spelling (403 cross_site), before the session is looked at', async () => {
    const target = `/api/users/${world.users.officer.id}`;
    const spellings = [target, target.replace('/api/', '/%61pi/'), target.replace('/api/', '/api/%2e%2e/api/'), `/${target}`, target.replace('/api/', '/static/../api/')];
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }]) {
      for (const url of spellings) {
        const res = await env.app.inject({ method: 'PATCH', url, headers: { ...headers, cookie: active }, payload: { displayName: 'Hijacked' } });
        const got = outcome(res);
        if (got.status === 404 || got.status === 400) expect(got.noStore, url).toBe(true);
        else expect(got, url).toEqual({ status: 403, code: 'cross_site', noStore: true });
      }
    }
    const row = await env.ctx.db.selectFrom('app_user').select('display_name').where('id', '=', world.users.officer.id).executeTakeFirstOrThrow();
    expect(row.display_name).not.toBe('Hijacked');
  });
});

describe('normalizedPath', () => {
  it.each([
    ['/api/me', '/api/me'],
    ['/api/me?x=/../y', '/api/me'],
    ['/%61pi/me', '/api/me'],
    ['/api/%2e%2e/api/me', '/api/me'],
    ['/static/../../api/me', '/api/me'],
    ['//api///me', '/api/me'],
    ['/%2Fapi%2Fme', '/api/me'],
    ['/API/Me/', '/api/me/'],
    ['/api\\me', '/api/me'],
    ['/', '/'],
    ['/..', '/'],
  ])('%s is %s', (url, path) => expect(normalizedPath(url)).toBe(path));

  it('is null for broken percent-encoding, which counts as an API path (the stricter rules)', () => {
    expect(normalizedPath('/api/me%')).toBeNull();
    expect(isApiPath('/%zz', undefined)).toBe(true);
  });

  it('takes the routed pattern first, and keeps public pages out', () => {
    expect(isApiPath('/whatever', '/api/me')).toBe(true);
    expect(isApiPath('/news/feed.atom', '/news/feed.atom')).toBe(false);
    expect(isApiPath('/apix/me', undefined)).toBe(false);
    expect(isApiPath('/api', undefined)).toBe(true);
    // Sent under /api/ but resolving outside it: still the API's (found by the route fuzzer).
    expect(normalizedPath('/api/clients/../documents/..%2F..%2Fetc%2Fpasswd')).toBe('/etc/passwd');
    expect(isApiPath('/api/clients/../documents/..%2F..%2Fetc%2Fpasswd', undefined)).toBe(true);
  });
});
