import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requirePublicUrl } from '../../config.ts';
import { startTestEnv, type TestEnv } from '../../test/harness.ts';

/**
 * Issue #7, finding 8: the feeds' links never come from the request's Host or X-Forwarded-Host header
 * (a cache in front would keep a poisoned feed for everyone). They are built from LANTERN_PUBLIC_URL,
 * which `lantern start` requires, or are relative when a server is built without it (tests).
 */
const FEEDS = ['/news/feed.atom', '/news/feed.rss', '/news/feed.atom?lang=es', '/news/feed.rss?lang=es'];
const HOSTILE = [{ host: 'evil.example' }, { host: 'evil.example', 'x-forwarded-host': 'evil2.example', 'x-forwarded-proto': 'https' }];

describe('feed links', () => {
  describe.each([
    ['with LANTERN_PUBLIC_URL', 'https://lantern.example.gov/', 'https://lantern.example.gov/news'],
    ['with LANTERN_PUBLIC_URL under a path', 'https://example.gov/lantern', 'https://example.gov/lantern/news'],
    ['without LANTERN_PUBLIC_URL (a server built without `lantern start`)', '', '/news'],
  ])('%s', (_name, publicUrl, newsLink) => {
    let env: TestEnv;
    beforeAll(async () => {
      // A trusted proxy is the worst case: Fastify then takes the host from X-Forwarded-Host.
      env = await startTestEnv('sqlite', { env: { LANTERN_PUBLIC_URL: publicUrl, LANTERN_TRUST_PROXY: 'true' } });
    });
    afterAll(() => env.close());

    it.each(FEEDS)('%s never prints the request\'s host', async (url) => {
      for (const headers of HOSTILE) {
        const res = await env.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toMatch(/evil/);
        expect(res.body).toContain(url.includes('rss') ? `<link>${newsLink}` : `href="${newsLink}/feed.atom`);
      }
    });
  });
});

describe('LANTERN_PUBLIC_URL', () => {
  it('is required to start the server, by name', () => {
    const config = loadConfig({});
    expect(() => requirePublicUrl(config)).toThrow(ConfigError);
    expect(() => requirePublicUrl(config)).toThrow(/LANTERN_PUBLIC_URL/);
    expect(() => requirePublicUrl(loadConfig({ LANTERN_PUBLIC_URL: 'https://lantern.example.gov' }))).not.toThrow();
  });

  it('must be an http(s) origin, with no query or fragment', () => {
    for (const bad of ['ftp://lantern.example.gov', 'https://lantern.example.gov/?x=1', 'https://lantern.example.gov/#top', 'javascript:alert(1)']) {
      expect(() => loadConfig({ LANTERN_PUBLIC_URL: bad }), bad).toThrow(/LANTERN_PUBLIC_URL/);
    }
    expect(loadConfig({ LANTERN_PUBLIC_URL: 'https://example.gov/lantern/' }).publicUrl).toBe('https://example.gov/lantern');
    // What the demo, the browser tests and the benchmarks set.
    for (const local of ['http://localhost:3000', 'http://127.0.0.1:3301']) expect(loadConfig({ LANTERN_PUBLIC_URL: local }).publicUrl).toBe(local);
  });
});
