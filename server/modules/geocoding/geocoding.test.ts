import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditCounts, body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';

describeEachDatabase('geocoding', (backend) => {
  let env: TestEnv;
  let census: TestEnv;
  let world: World;
  let censusWorld: World;
  let fake: http.Server;
  let hits = 0;
  beforeAll(async () => {
    // A stand-in for the Census geocoder on loopback, never the real one: tests run without a network.
    fake = http.createServer((_req, res) => {
      hits++;
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/geocoder/locations/onelineaddress?benchmark=Public_AR_Current&format=json`;
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    census = await startTestEnv(backend, {
      env: { LANTERN_GEOCODER: 'census', LANTERN_GEOCODER_URL: url, LANTERN_MAP_TILES: 'https://tiles.example.gov/osm/{z}/{x}/{y}.png', LANTERN_MAP_TILES_ATTRIBUTION: '© OpenStreetMap contributors' },
    });
    censusWorld = await seedWorld(census);
  });
  afterAll(async () => {
    await env?.close();
    await census?.close();
    fake.closeAllConnections();
    await new Promise((resolve) => fake.close(resolve));
  });

  it('answers 401 without a session', async () => {
    const anon = as(env, null);
    expect((await anon.get('/api/geocode?q=64070')).statusCode).toBe(401);
    expect((await anon.get('/api/geocode/settings')).statusCode).toBe(401);
  });

  it('finds "Oak Grove, MO" for any signed-in staff member, writing nothing to the audit log', async () => {
    const before = await auditCounts(env.ctx);
    for (const user of [world.users.coordinator, world.users.advocate, world.users.outsiderOfficer]) {
      const res = await (await sessionCache(env)(user)).get(`/api/geocode?q=${encodeURIComponent('Oak Grove, MO')}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(body(res)).toMatchObject({ fellBack: false, candidates: [{ label: 'Oak Grove, MO', county: 'Jackson', countyFips: '29095', precision: 'place', source: 'gazetteer' }] });
    }
    // Sign-ins are audited; the searches are not (a query may name a suspect's address).
    const after = await auditCounts(env.ctx);
    const searches = await env.ctx.db.selectFrom('audit_event').select('detail').where('action', 'like', 'geocod%').execute();
    expect(searches).toEqual([]);
    const all = await env.ctx.db.selectFrom('audit_event').select(['detail', 'changed_fields']).execute();
    expect(JSON.stringify(all)).not.toMatch(/Oak Grove/i);
    expect(after.denied).toBe(before.denied);
  });

  it('names the field of a bad query', async () => {
    const c = await sessionCache(env)(world.users.coordinator);
    for (const [url, message] of [
      ['/api/geocode', 'q: is required'],
      ['/api/geocode?q=', 'q: must be at least 2 characters'],
      ['/api/geocode?q=%20%20a%20', 'q: must be at least 2 characters'],
      [`/api/geocode?q=${'x'.repeat(201)}`, 'q: must be at most 200 characters'],
    ] as const) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(body(res).error, url).toEqual({ code: 'invalid', field: 'q', message });
    }
    const junk = await c.get('/api/geocode?q=xqjv%20blorf');
    expect(body(junk)).toEqual({ candidates: [], fellBack: false });
  });

  it('reports the offline defaults: the gazetteer and no tile server', async () => {
    const res = await (await sessionCache(env)(world.users.officer)).get('/api/geocode/settings');
    expect(body(res)).toEqual({ geocoder: 'offline', tiles: null });
  });

  it('falls back to the gazetteer when the configured Census geocoder fails, and allows the tile server\'s images', async () => {
    const c = await sessionCache(census)(censusWorld.users.coordinator);
    const res = await c.get('/api/geocode?q=64070');
    expect(hits).toBeGreaterThan(0);
    expect(body(res)).toMatchObject({ fellBack: true, candidates: [{ label: '64070 (Lone Jack, MO)', source: 'gazetteer' }] });
    const settings = await c.get('/api/geocode/settings');
    expect(body(settings)).toEqual({ geocoder: 'census', tiles: { url: 'https://tiles.example.gov/osm/{z}/{x}/{y}.png', attribution: '© OpenStreetMap contributors' } });
    expect(String(settings.headers['content-security-policy'])).toMatch(/img-src 'self' data: https:\/\/tiles\.example\.gov;/);
  });
});
