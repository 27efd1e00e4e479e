import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { planInput, suspect } from '../../test/operations-fixtures.ts';
import { loadDemo } from '../../demo/demo.ts';

/** Portland, Multnomah County, Oregon (FIPS 41051). */
const PORTLAND = { label: 'Motel on SE 82nd Ave', countyFips: '41051', lat: 45.5049, lng: -122.5785 };
const HOUR = 3_600_000;

/**
 * Lantern configured for Oregon (LANTERN_STATE=OR, so Pacific time): Oregon's counties are the ones an
 * agency serves, the public statistics count and map, and every date is on Pacific time. The operation
 * starts at 11 p.m. on 31 March in Portland — already 1 a.m. on 1 April in Missouri's zone — so a
 * Central-time quarter or date would show.
 */
describeEachDatabase('jurisdiction: a task force in Oregon', (backend) => {
  let env: TestEnv;
  let world: World;
  const client = async (user: TestUser) => as(env, await signIn(env, user));
  const expectStatus = (res: { statusCode: number; body: string }, status: number) => {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  };

  beforeAll(async () => {
    env = await startTestEnv(backend, { env: { LANTERN_STATE: 'OR' } });
    world = await seedWorld(env);
    env.clock.set('2026-04-02T18:00:00.000Z');
  });
  afterAll(() => env.close());

  it("answers the state, its zone and counties, and the county map, cacheable", async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/jurisdiction' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    const j = body(res);
    expect(j.state).toEqual({ fips: '41', postal: 'OR', name: { en: 'Oregon', es: 'Oregón' }, ap: 'Ore.' });
    expect(j.timeZone).toBe('America/Los_Angeles');
    expect(j.timeZoneName).toEqual({ en: 'Pacific time', es: 'hora del Pacífico' });
    expect(j.counties).toHaveLength(36);
    expect(j.counties).toContainEqual({ fips: '41051', name: { en: 'Multnomah', es: 'Multnomah' } });

    const map = await env.app.inject({ method: 'GET', url: '/api/jurisdiction/map' });
    expect(map.statusCode).toBe(200);
    expect(map.headers['content-type']).toContain('application/geo+json');
    const fc = body(map);
    expect(fc.features.map((f: { id: string }) => f.id).sort()).toEqual(j.counties.map((c: { fips: string }) => c.fips));
    const again = await env.app.inject({ method: 'GET', url: '/api/jurisdiction/map', headers: { 'if-none-match': String(map.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it("an agency serves Oregon's counties; Missouri's are refused", async () => {
    const platform = await client(world.users.platform);
    const ok = await platform.post('/api/agencies', { name: 'Portland Police Bureau', kind: 'law_enforcement', counties: ['41051', '41067'] });
    expectStatus(ok, 201);
    expect(body(ok).counties).toEqual(['41051', '41067']);
    const refused = await platform.post('/api/agencies', { name: 'Jackson County Sheriff', kind: 'law_enforcement', counties: ['41051', '29095'] });
    expect(refused.statusCode).toBe(400);
    expect(body(refused).error).toMatchObject({ code: 'invalid', field: 'counties.1', message: 'counties.1: 29095 is not a county of Oregon' });
    const edit = await platform.patch(`/api/agencies/${body(ok).id}`, { counties: ['29095'] });
    expect(edit.statusCode).toBe(400);
  });

  it('counts statistics on Pacific time into Oregon counties, and reports print Pacific time', async () => {
    const coordinator = await client(world.users.coordinator);
    const startsAt = '2026-04-01T06:00:00.000Z';
    const created = await coordinator.post('/api/operations', planInput(world, { startsAt, endsAt: new Date(Date.parse(startsAt) + 4 * HOUR).toISOString(), locations: [PORTLAND] }));
    expectStatus(created, 201);
    const id = body(created).id as string;
    expect(body(created).locations[0]).toMatchObject({ countyFips: '41051', countyName: 'Multnomah' });
    expectStatus(await coordinator.post(`/api/operations/${id}/approve`), 200);
    expectStatus(await coordinator.post(`/api/operations/${id}/activate`), 200);
    expectStatus(await coordinator.post(`/api/operations/${id}/contacts`, suspect()), 201);
    expectStatus(await coordinator.post(`/api/operations/${id}/close`), 200);

    const atoms = await env.ctx.db.selectFrom('stat_atom').select(['family', 'category', 'county_fips', 'quarter', 'value']).where('family', '=', 'operations').execute();
    expect(atoms).toEqual([{ family: 'operations', category: 'all', county_fips: '41051', quarter: '2026Q1', value: 1 }]);

    const report = await coordinator.get(`/api/operations/${id}/after-action`);
    expectStatus(report, 200);
    expect(report.body).toContain('Mar 31, 2026, 11:00 PM to Apr 1, 2026, 3:00 AM (Pacific time)');

    // On 2 April the first quarter has ended in Oregon: it is published, statewide only (2026 has not ended).
    expectStatus(await (await client(world.users.pio)).post('/api/statistics/releases'), 201);
    let stats = body(await env.app.inject({ method: 'GET', url: '/api/public/statistics?family=operations' }));
    expect(stats.release.quarters).toEqual(['2026Q1']);
    expect(stats.cells.filter((c: { dimensions: { county: string } }) => c.dimensions.county !== 'all')).toEqual([]);
    let page = await env.app.inject({ method: 'GET', url: '/statistics?family=operations&year=2026' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The county map appears once a full year has been published.');
    expect(page.body).toContain('(Pacific time)');
    expect(page.body).not.toMatch(/Missouri|Central time/);

    // Once 2026 has ended in Oregon, its operations are published by county: Oregon's 36 counties.
    env.clock.set('2027-01-02T18:00:00.000Z');
    // The accounts were in use all along, not dormant (90-day rule).
    await env.ctx.db.updateTable('app_user').set({ last_login_at: env.clock.now().toISOString() }).where('id', '=', world.users.pio.id).execute();
    expectStatus(await (await client(world.users.pio)).post('/api/statistics/releases'), 201);
    stats = body(await env.app.inject({ method: 'GET', url: '/api/public/statistics?family=operations' }));
    expect(stats.release.quarters).toEqual(['2026Q1', '2026Q2', '2026Q3', '2026Q4']);
    const counties = new Set(stats.cells.map((c: { dimensions: { county: string } }) => c.dimensions.county));
    counties.delete('all');
    expect(counties.size).toBe(36);
    expect([...counties].every((c) => String(c).startsWith('41'))).toBe(true);

    page = await env.app.inject({ method: 'GET', url: '/statistics?family=operations&year=2026' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Map of Oregon’s counties');
    expect(page.body).toContain('data-fips="41051"');
    expect(page.body).not.toContain('data-fips="29095"');
    expect(page.body).toContain('<th scope="row">Multnomah</th>');
    expect(page.body).toContain('(Pacific time)');
    expect(page.body).not.toMatch(/Missouri|Central time/);
    const es = await env.app.inject({ method: 'GET', url: '/statistics?family=operations&year=2026&lang=es' });
    expect(es.body).toContain('Mapa de los condados de Oregón');
  });
});

describe('jurisdiction: the demo', () => {
  it("is Missouri's story: in another state it refuses to load, naming the setting", async () => {
    const env = await startTestEnv('sqlite', { env: { LANTERN_STATE: 'KS' } });
    try {
      await expect(loadDemo(env.ctx)).rejects.toThrow('load it with LANTERN_STATE=MO (LANTERN_STATE is KS)');
      expect(await env.ctx.db.selectFrom('agency').select('id').execute()).toEqual([]);
    } finally {
      await env.close();
    }
  });
});
