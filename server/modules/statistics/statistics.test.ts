import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { OAK_GROVE, adultVictim, handOff, minor, planInput, suspect } from '../../test/operations-fixtures.ts';
import { t } from '../../lib/i18n.ts';
import { jurisdictionOf } from '../../lib/jurisdiction.ts';
import { attack, type AttackCell } from '../disclosure/linear-attacker.ts';
import { FAMILIES, buildReleaseCells } from '../disclosure/statistics.cells.ts';
import { expandBox, type AtomBox, type ReleaseView } from './statistics.service.ts';
import { statisticsCsv, statisticsPageBody } from './statistics.page.ts';

/** Warrensburg, Johnson County (FIPS 29101). */
const WARRENSBURG = { label: 'Business 13, Warrensburg', countyFips: '29101', lat: 38.7628, lng: -93.7361 };

const HOUR = 3_600_000;

describeEachDatabase('public statistics', (backend) => {
  let env: TestEnv;
  let world: World;
  /** Sessions end after 30 idle minutes and the tests move the clock by months: sign in again when it moved. */
  const sessions = new Map<string, { cookie: string; at: number }>();
  const client = async (user: TestUser) => {
    const now = env.clock.now().getTime();
    let s = sessions.get(user.id);
    if (!s || now - s.at > 10 * 60_000 || now < s.at) {
      // The clock jumps by months here; the accounts are in use all along, not dormant (90-day rule).
      await env.ctx.db.updateTable('app_user').set({ last_login_at: env.clock.now().toISOString() }).where('id', '=', user.id).execute();
      s = { cookie: await signIn(env, user), at: env.clock.now().getTime() };
    }
    s.at = env.clock.now().getTime();
    sessions.set(user.id, s);
    return as(env, s.cookie);
  };
  const expectStatus = (res: { statusCode: number; body: string }, status: number) => {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  };

  /** Plans, runs and closes an operation starting at `startsAt` with these contacts; returns its id and its contacts' ids. */
  async function closedOperation(startsAt: string, contacts: Record<string, unknown>[], location: object = OAK_GROVE) {
    const coordinator = await client(world.users.coordinator);
    const plan = planInput(world, { startsAt, endsAt: new Date(Date.parse(startsAt) + 6 * HOUR).toISOString(), locations: [location] });
    const created = await coordinator.post('/api/operations', plan);
    expectStatus(created, 201);
    const id = body(created).id as string;
    expectStatus(await coordinator.post(`/api/operations/${id}/approve`), 200);
    expectStatus(await coordinator.post(`/api/operations/${id}/activate`), 200);
    const ids: string[] = [];
    for (const c of contacts) {
      const res = await coordinator.post(`/api/operations/${id}/contacts`, c);
      expectStatus(res, 201);
      const contact = body(res);
      ids.push(contact.id);
      if (c.disposition === 'protective_custody') {
        expectStatus(await coordinator.post(`/api/contacts/${contact.id}/custody`, handOff(world, new Date(Date.parse(startsAt) + HOUR).toISOString())), 201);
      }
    }
    expectStatus(await coordinator.post(`/api/operations/${id}/close`), 200);
    return { id, contacts: ids };
  }

  async function correct(contactId: string, change: Record<string, unknown>) {
    const coordinator = await client(world.users.coordinator);
    const res = await coordinator.patch(`/api/contacts/${contactId}`, { ...change, correctionReason: 'Corrected from the arrest report' });
    expectStatus(res, 200);
  }

  const atoms = async (quarter?: string) => {
    let q = env.ctx.db.selectFrom('stat_atom').select(['family', 'category', 'county_fips', 'quarter', 'value']);
    if (quarter) q = q.where('quarter', '=', quarter);
    const rows = await q.execute();
    return Object.fromEntries(rows.filter((r) => r.value !== 0).map((r) => [`${r.family}|${r.category}|${r.county_fips}|${r.quarter}`, Number(r.value)]));
  };

  const publish = async () => (await client(world.users.pio)).post('/api/statistics/releases');
  const publicStats = async (query = '') => env.app.inject({ method: 'GET', url: `/api/public/statistics${query}` });

  /** Every stored release, as the attacker holds them. */
  async function ledger(): Promise<AttackCell[][]> {
    const rows = await env.ctx.db
      .selectFrom('stat_release_cell as c')
      .innerJoin('stat_release as r', 'r.id', 'c.release_id')
      .select(['r.seq', 'r.counties', 'c.key', 'c.family', 'c.atoms', 'c.value', 'c.suppressed', 'c.reason'])
      .orderBy('r.seq')
      .orderBy('c.position')
      .execute();
    const releases = new Map<number, AttackCell[]>();
    for (const r of rows) {
      const list = releases.get(r.seq) ?? [];
      list.push({ key: r.key, atoms: expandBox(r.family, JSON.parse(r.atoms) as AtomBox, JSON.parse(r.counties) as string[]), suppressed: r.suppressed === 1, value: r.value === null ? null : Number(r.value) });
      releases.set(r.seq, list);
    }
    return [...releases.values()];
  }

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    env.clock.set('2025-12-01T15:00:00.000Z');
  });
  afterAll(() => env.close());

  it('before the first release: the API answers release null and the page its empty state', async () => {
    const res = await publicStats();
    expect(res.statusCode).toBe(200);
    expect(body(res)).toEqual({ release: null, cells: [], totals: [] });
    const page = await env.app.inject({ method: 'GET', url: '/statistics' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No statistics have been published yet');
    expect(page.body).toContain('Why some numbers are hidden');
    expect((await env.app.inject({ method: 'GET', url: '/statistics?lang=es' })).body).toContain('Todavía no se han publicado estadísticas');
    expect((await env.app.inject({ method: 'GET', url: '/statistics.csv' })).statusCode).toBe(404);
    // Nothing has ended with a count in it yet.
    expect(body(await publish())).toMatchObject({ error: { code: 'nothing_to_publish' } });
  });

  it('counts a closed operation into its start quarter, and a correction only as its difference', async () => {
    const op = await closedOperation('2025-11-08T01:00:00.000Z', [
      suspect(),
      suspect(),
      adultVictim({ disposition: 'offered_services', services: [{ service: 'food', offered: true, accepted: true }, { service: 'lodging', offered: true }] }),
      minor({ disposition: 'protective_custody' }),
    ]);
    // 7 p.m. on 7 November in Oak Grove: the fourth quarter of 2025, Jackson County.
    expect(await atoms()).toEqual({
      'operations|all|29095|2025Q4': 1,
      'persons|suspect|29095|2025Q4': 2,
      'persons|adult_victim|29095|2025Q4': 1,
      'persons|minor|29095|2025Q4': 1,
      'outcomes|detained|29095|2025Q4': 2,
      'outcomes|offered_services|29095|2025Q4': 1,
      'outcomes|protective_custody|29095|2025Q4': 1,
      'services|food|29095|2025Q4': 1,
      'services|lodging|29095|2025Q4': 1,
    });
    // The child in protective custody is the outcome `protective_custody`, counted once.
    const counted = await env.ctx.db.selectFrom('stat_counted').select(['family', 'category', 'value']).where('operation_id', '=', op.id).execute();
    expect(counted.length).toBe(9);

    // The quarter is not published yet: the correction changes it in place.
    await correct(op.contacts[0]!, { disposition: 'cited' });
    const after = await atoms('2025Q4');
    expect(after['outcomes|detained|29095|2025Q4']).toBe(1);
    expect(after['outcomes|cited|29095|2025Q4']).toBe(1);
    expect(after['persons|suspect|29095|2025Q4']).toBe(2);
    // A correction that changes no count changes no atom.
    await correct(op.contacts[1]!, { sex: 'unknown' });
    expect(await atoms('2025Q4')).toEqual(after);
  });

  it('publishing: PIOs only, audited; others 403, anonymous 401; nothing new is 409', async () => {
    env.clock.set('2026-01-20T15:00:00.000Z');
    for (const user of [world.users.coordinator, world.users.officer, world.users.leadAdmin, world.users.platform, world.users.analyst, world.users.advocate]) {
      const c = await client(user);
      expect((await c.post('/api/statistics/releases')).statusCode).toBe(403);
      expect((await c.post('/api/statistics/releases/preview')).statusCode).toBe(403);
      const list = await c.get('/api/statistics/releases');
      expect(list.statusCode).toBe(200);
      expect(body(list).abilities['statistics.publish']).toBe(false);
    }
    const anonymous = as(env, null);
    expect((await anonymous.post('/api/statistics/releases')).statusCode).toBe(401);
    expect((await anonymous.post('/api/statistics/releases/preview')).statusCode).toBe(401);
    expect((await anonymous.get('/api/statistics/releases')).statusCode).toBe(401);
    expect(await env.ctx.db.selectFrom('stat_release').select('id').execute()).toEqual([]);

    const pio = await client(world.users.pio);
    const preview = await pio.post('/api/statistics/releases/preview');
    expect(preview.statusCode).toBe(200);
    expect(body(preview)).toMatchObject({ id: null, seq: 1, quarters: ['2025Q4'], newQuarters: ['2025Q4'] });
    // A preview writes nothing.
    expect(await env.ctx.db.selectFrom('stat_frozen_quarter').select('quarter').execute()).toEqual([]);

    const res = await publish();
    expect(res.statusCode).toBe(201);
    const release = body(res);
    expect(release).toMatchObject({ seq: 1, quarters: ['2025Q4'], newQuarters: ['2025Q4'], cells: body(preview).cells, suppressed: body(preview).suppressed });
    expect(release.suppressed.primary).toBeGreaterThan(0);
    const [audit] = await auditRows(env, 'statistics.publish', release.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.pio.id, outcome: 'success', record_type: 'stat_release' });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ seq: 1, from: '2025Q4', through: '2025Q4', newQuarters: '2025Q4' });
    expect((await env.ctx.db.selectFrom('stat_frozen_quarter').select('quarter').execute()).map((r) => r.quarter)).toEqual(['2025Q4']);

    const again = await publish();
    expect(again.statusCode).toBe(409);
    expect(body(again).error.code).toBe('no_new_quarter');
    expect((await pio.post('/api/statistics/releases/preview')).statusCode).toBe(409);
    const list = body(await pio.get('/api/statistics/releases'));
    expect(list.abilities['statistics.publish']).toBe(true);
    expect(list.releases).toHaveLength(1);
    expect(list.releases[0]).toMatchObject({ seq: 1, publishedBy: 'Test pio' });

    // Every stored cell says why it is hidden: primary exactly when its true value is under 5.
    const cells = await env.ctx.db.selectFrom('stat_release_cell').select(['value', 'suppressed', 'reason']).execute();
    for (const c of cells) {
      if (c.suppressed) expect(c.value).toBeNull();
      else expect(Number(c.value)).toBeGreaterThanOrEqual(5);
      expect(c.reason === null).toBe(!c.suppressed);
    }
  });

  it('a correction after its quarter is published goes to the open quarter; a negative is carried on, never frozen', async () => {
    const before = await atoms('2025Q4');
    const [op] = await env.ctx.db.selectFrom('stat_counted').select('operation_id').distinct().execute();
    const contacts = await env.ctx.db.selectFrom('contact').select(['id', 'person_number', 'disposition']).where('operation_id', '=', op!.operation_id).orderBy('person_number').execute();
    // Person 2 was detained: now cited. The published quarter stays as it was.
    await correct(contacts[1]!.id, { disposition: 'cited' });
    expect(await atoms('2025Q4')).toEqual(before);
    expect(await atoms('2026Q1')).toEqual({ 'outcomes|detained|29095|2026Q1': -1, 'outcomes|cited|29095|2026Q1': 1 });

    env.clock.set('2026-04-03T15:00:00.000Z');
    const res = await publish();
    expect(res.statusCode).toBe(201);
    expect(body(res)).toMatchObject({ seq: 2, quarters: ['2025Q4', '2026Q1'], newQuarters: ['2026Q1'] });
    // The −1 could not be frozen into 2026Q1: it waits in the open quarter for counts to absorb it.
    expect(await atoms('2026Q1')).toEqual({ 'outcomes|cited|29095|2026Q1': 1 });
    expect(await atoms('2026Q2')).toEqual({ 'outcomes|detained|29095|2026Q2': -1 });
    expect(await atoms('2025Q4')).toEqual(before);
  });

  it('a year that has not ended has quarters only: no year cell and no county cell until its fourth quarter is published', async () => {
    const stats = body(await publicStats());
    const of = (year: string) => stats.cells.filter((c: { dimensions: { period: string } }) => c.dimensions.period.startsWith(year));
    expect(of('2026').length).toBeGreaterThan(0);
    expect(of('2026').filter((c: { dimensions: { periodType: string; county: string } }) => c.dimensions.periodType !== 'quarter' || c.dimensions.county !== 'all')).toEqual([]);
    // 2025 began (for Lantern) and ended with its fourth quarter: its year cells are that quarter's, and operations
    // and businesses closed (none here: every county's 0 is withheld) have one per county.
    const counties2025 = of('2025').filter((c: { dimensions: { county: string } }) => c.dimensions.county !== 'all');
    expect(counties2025).toHaveLength(2 * 115);
    for (const family of ['operations', 'businesses_closed']) {
      const cells = counties2025.filter((c: { dimensions: Record<string, string> }) => c.dimensions.family === family);
      expect(cells).toHaveLength(115);
      expect(cells.every((c: { dimensions: Record<string, string> }) => c.dimensions.period === '2025Q4')).toBe(true);
    }
    expect(counties2025.filter((c: { dimensions: Record<string, string>; suppressed: boolean }) => c.dimensions.family === 'businesses_closed' && !c.suppressed)).toEqual([]);

    // The page of 2026 says so, and maps the newest year that has ended instead.
    const html = (await env.app.inject({ method: 'GET', url: '/statistics?family=persons&year=2026' })).body;
    expect(html).toContain('2026 has not ended yet: its yearly totals and county figures are published once its fourth quarter has ended.');
    expect(html).toContain('2026 has not ended yet: the map shows 2025, the newest year that has.');
    expect(html).toContain('<title id="lantern-map-title">Map of Missouri’s counties: Operations, Q4 2025</title>');
    const head = /<table[^>]*id="stat-table-quarters"[\s\S]*?<\/thead>/.exec(html)![0];
    expect([...head.matchAll(/<th scope="col" class="lantern-figure">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual(['Q1 2026']);
  });

  it('after several releases with corrections in between, no hidden count can be worked out from all of them', async () => {
    // Counts around k in two counties, so that suppression has work to do.
    const victims = (n: number) => Array.from({ length: n }, () => adultVictim({ disposition: 'offered_services', services: [{ service: 'food', offered: true }] }));
    const a = await closedOperation('2026-04-20T23:00:00.000Z', [...Array.from({ length: 6 }, () => suspect()), ...victims(3)]);
    await closedOperation('2026-05-02T23:00:00.000Z', [suspect({ disposition: 'cited' }), ...victims(5)], WARRENSBURG);
    await closedOperation('2026-05-16T23:00:00.000Z', [...Array.from({ length: 4 }, () => suspect()), ...victims(1)]);
    env.clock.set('2026-07-02T15:00:00.000Z');
    expect((await publish()).statusCode).toBe(201);

    await correct(a.contacts[0]!, { disposition: 'cited' });
    await closedOperation('2026-07-11T23:00:00.000Z', [...Array.from({ length: 7 }, () => suspect()), ...victims(2)], WARRENSBURG);
    await closedOperation('2026-08-08T23:00:00.000Z', [suspect(), suspect()]);
    env.clock.set('2026-10-05T15:00:00.000Z');
    await correct(a.contacts[7]!, { services: [{ service: 'food', offered: true }, { service: 'shelter', offered: true }] });
    expect((await publish()).statusCode).toBe(201);

    await closedOperation('2026-10-24T23:00:00.000Z', [...Array.from({ length: 5 }, () => suspect()), ...victims(4)]);
    env.clock.set('2027-01-04T15:00:00.000Z');
    expect((await publish()).statusCode).toBe(201);

    const releases = await ledger();
    expect(releases).toHaveLength(5);
    expect(attack(releases)).toEqual([]);
    const reasons = await env.ctx.db.selectFrom('stat_release_cell').select('reason').where('reason', '=', 'complementary').execute();
    expect(reasons.length).toBeGreaterThan(0);
    // A key shown in several releases shows the same value (or stays hidden) in every one.
    const seen = new Map<string, number | null>();
    for (const release of releases) {
      for (const c of release) {
        if (seen.has(c.key)) expect(c.value).toBe(seen.get(c.key));
        seen.set(c.key, c.value);
      }
    }
  }, 120_000); // ten release checks: 8–14 s on a quiet two-core machine, over 30 s on a loaded one

  describe('the public API', () => {
    it('answers the newest release in the contract shape, with totals as published and nothing else', async () => {
      const res = await publicStats();
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      const stats = body(res);
      expect(Object.keys(stats).sort()).toEqual(['cells', 'release', 'totals']);
      expect(stats.release).toMatchObject({ seq: 5 });
      expect(Object.keys(stats.release).sort()).toEqual(['publishedAt', 'quarters', 'seq']);
      expect(stats.release.quarters[0]).toBe('2025Q4');
      expect(stats.release.quarters.at(-1)).toBe('2026Q4');
      expect(stats.cells.length).toBeGreaterThan(100);
      for (const c of stats.cells) {
        expect(Object.keys(c).sort()).toEqual(['dimensions', 'suppressed', 'value']);
        expect(c.suppressed).toBe(c.value === null);
        if (!c.suppressed) expect(c.value).toBeGreaterThanOrEqual(5);
        expect(c.dimensions).toEqual(expect.objectContaining({ family: expect.any(String), period: expect.any(String), periodType: expect.any(String), county: expect.any(String), category: expect.any(String) }));
      }
      expect(stats.totals).toEqual(stats.cells.filter((c: { dimensions: { county: string; category: string } }) => c.dimensions.county === 'all' && c.dimensions.category === 'all'));
      expect(stats.totals.length).toBeGreaterThan(0);
      // Never the atoms nor why a cell is hidden.
      expect(res.body).not.toMatch(/atoms|reason|primary|complementary|29095\|/);
    });

    it('filters by family and year, and refuses a filter it does not know', async () => {
      const stats = body(await publicStats('?family=persons&year=2026'));
      expect(stats.cells.length).toBeGreaterThan(0);
      expect(stats.cells.every((c: { dimensions: { family: string; period: string } }) => c.dimensions.family === 'persons' && c.dimensions.period.startsWith('2026'))).toBe(true);
      expect(body(await publicStats('?year=1999')).cells).toEqual([]);
      const bad = await publicStats('?family=names');
      expect(bad.statusCode).toBe(400);
      expect(body(bad).error.field).toBe('family');
      expect((await publicStats('?year=20x6')).statusCode).toBe(400);
    });
  });

  describe('the page and its CSV', () => {
    const page = (query: string) => env.app.inject({ method: 'GET', url: `/statistics${query}` });

    it('renders in English without JavaScript: figures, hidden counts in words, the explanation, the map and charts', async () => {
      const res = await page('?family=persons&year=2026');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      const html = res.body;
      expect(html).not.toContain('<script');
      expect(html).toContain('<h1>Public statistics</h1>');
      // Every hidden count reads the same word; none says whether it is small.
      expect(html).toContain('<span class="lantern-suppressed">withheld</span>');
      expect(html).not.toMatch(/fewer than|under 5<\/span>|lantern-suppressed">(?!withheld<)/);
      expect(html).toContain('Why some numbers are hidden');
      expect(html).toContain('Counts under 5 are never shown');
      expect(html).toContain('Some larger counts are withheld too, so that nothing hidden can be worked out');
      expect(html).toContain('They look the same on purpose');
      expect(html).toContain('<h2 id="stat-not-collected-heading">Not collected yet</h2>');
      expect(html).toContain('Tips received are not collected yet.');
      expect(html).toContain('Published quarters never change');
      expect(html).toContain('the correction is counted in the quarter in which it was made');
      expect(html).toMatch(/<svg class="lantern-stat-map"[^>]*role="img"[^>]*aria-labelledby="lantern-map-title lantern-map-desc"/);
      expect(html).toContain('<title id="lantern-map-title">');
      expect((html.match(/<path d="M[^"]*" fill="[^"]*" data-fips="29\d{3}"><title>/g) ?? []).length).toBe(115);
      expect(html).toMatch(/<title>Jackson: (\d+|withheld)<\/title>/);
      expect(html).toContain('<title id="lantern-map-title">Map of Missouri’s counties: Operations, 2026</title>');
      expect(html).toContain('<li><svg class="lantern-stat-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><defs>');
      expect(html).toMatch(/<\/svg> Withheld<\/li>/);
      expect(html).toMatch(/<svg class="lantern-chart" role="img" aria-label="Bar chart: Persons contacted, by role in each quarter of 2026/);
      expect(html).not.toMatch(/style="|<style/);
      // Every published figure of the "By quarter" table is on the page.
      const stats = body(await publicStats('?family=persons&year=2026'));
      const suspects2026 = stats.cells.find((c: { dimensions: Record<string, string> }) => c.dimensions.county === 'all' && c.dimensions.category === 'suspect' && c.dimensions.period === '2026');
      expect(suspects2026).toBeDefined();
      expect(html).toContain(suspects2026.suppressed ? 'withheld' : `>${suspects2026.value}<`);
    });

    it('renders in Spanish', async () => {
      const html = (await page('?family=persons&year=2026&lang=es')).body;
      expect(html).toContain('<html lang="es">');
      expect(html).toContain('Estadísticas públicas');
      expect(html).toContain('<span class="lantern-suppressed">reservado</span>');
      expect(html).not.toMatch(/menos de 5|lantern-suppressed">(?!reservado<)/);
      expect(html).toContain('Los conteos menores de 5 nunca se muestran');
      expect(html).toContain('Todavía no se recopilan');
      expect(html).toContain('Por qué se ocultan algunas cifras');
      expect(html).toContain('Los trimestres publicados nunca cambian');
      expect(html).toContain('<svg class="lantern-stat-map"');
      expect(html).toContain('name="lang" value="es"');
    });

    it('a year that was not published is a 404 page with the form', async () => {
      const res = await page('?year=1999');
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Nothing was published for 1999');
    });

    it('the page, its CSV and the JSON agree figure for figure, and the page shows every cell of its family and year', async () => {
      const j = env.ctx.jurisdiction;
      const stats = body(await publicStats());
      type Cell = { dimensions: Record<string, string>; value: number | null; suppressed: boolean };
      for (const [query, lang] of [
        ['family=persons&year=2026', 'en'],
        ['family=services&year=2025', 'en'],
        ['family=outcomes&year=2026&lang=es', 'es'],
        ['family=operations&year=2026', 'en'],
      ] as const) {
        const params = new URLSearchParams(query);
        const family = params.get('family') as keyof typeof FAMILIES;
        const year = params.get('year')!;
        const html = (await page(`?${query}`)).body;
        const csv = await env.app.inject({ method: 'GET', url: `/statistics.csv?${query}` });
        expect(csv.statusCode).toBe(200);
        expect(csv.headers['content-type']).toContain('text/csv');
        expect(csv.body).toContain(lang === 'es' ? 'Conteo' : 'Count');
        expect(csv.body).not.toMatch(/fewer|menos de/);

        const shown = tableFigures(html);
        const label = (f: string) => t(lang, `statistics.families.${f as keyof typeof FAMILIES}`);
        const rows = csv.body.replace(/^\ufeff/, '').trim().split('\r\n').slice(1).map(parseCsvLine);
        expect(rows).toEqual(shown.map((f) => [label(f.table === 'quarters' ? family : 'operations'), f.period, f.county, f.category, f.figure]));

        // Each figure is the JSON's cell of the same dimensions: its value, or "withheld" exactly when suppressed.
        const withheld = t(lang, 'statistics.withheld');
        const periodOf = (p: string) => /^\d{4}$/.test(p) ? p : p.replace(/^[QT](\d) (\d{4})$/, '$2Q$1');
        const countyOf = (name: string) => (name === j.state.name[lang] ? 'all' : j.countyFips.find((f) => j.countyName(f, lang) === name)!);
        for (const f of shown) {
          const fam = f.table === 'quarters' ? family : 'operations';
          const category = f.category === 'Total' ? 'all' : (FAMILIES[fam] as readonly string[]).find((c) => t(lang, `statistics.categories.${c}` as never) === f.category);
          const d = { family: fam, county: countyOf(f.county), category, period: periodOf(f.period) };
          const cell = stats.cells.find((c: Cell) => Object.entries(d).every(([k, v]) => c.dimensions[k] === v));
          expect(cell, JSON.stringify(d)).toBeDefined();
          expect(f.figure, JSON.stringify(d)).toBe(cell.suppressed ? withheld : String(cell.value));
        }
        // Nothing of the family's statewide figures for the year is left off the page.
        const statewide = stats.cells.filter((c: Cell) => c.dimensions.family === family && c.dimensions.county === 'all' && c.dimensions.period!.startsWith(year));
        expect(shown.filter((f) => f.table === 'quarters')).toHaveLength(statewide.length);
        expect(shown.filter((f) => f.table === 'counties')).toHaveLength(j.countyFips.length + 1);
      }
    });
  });

  describe('a release with no year ended yet (pages rendered from a release laid out by the engine)', () => {
    const j = jurisdictionOf('MO', 'America/Chicago');
    const quarters = ['2026Q1', '2026Q2'];
    const view: ReleaseView = {
      id: 'r',
      seq: 1,
      publishedAt: '2026-07-02T15:00:00Z',
      quarters,
      years: ['2026'],
      cells: buildReleaseCells({ counts: new Map(), quarters, counties: [...j.countyFips] }).map((c) => ({ dimensions: { family: c.family, ...c.dimensions }, value: null, suppressed: true, reason: 'primary' })),
      rendered: new Map(),
    };

    it('has no county cell, no map and no county table; the page says when the map will appear', async () => {
      expect(view.cells.every((c) => c.dimensions.county === 'all' && c.dimensions.periodType === 'quarter')).toBe(true);
      for (const family of ['operations', 'persons'] as const) {
        const html = (await statisticsPageBody(j, view, { family, year: '2026' }, 'en')).value;
        expect(html).toContain('The county map appears once a full year has been published.');
        expect(html).not.toContain('lantern-stat-map"');
        expect(html).not.toContain('id="stat-table-counties"');
        expect(html).not.toContain('id="stat-chart-years"');
        expect(html).toContain('<span class="lantern-suppressed">withheld</span>');
        const csv = statisticsCsv(j, view, { family, year: '2026' }, 'en');
        expect(csv.trim().split('\r\n')).toHaveLength(1 + quarters.length * (family === 'operations' ? 1 : FAMILIES[family].length + 1));
      }
      expect((await statisticsPageBody(j, view, { family: 'persons', year: '2026' }, 'es')).value).toContain('El mapa por condado aparecerá cuando se haya publicado un año completo.');
    });
  });
});

interface Figure {
  table: 'quarters' | 'counties';
  period: string;
  county: string;
  category: string;
  figure: string;
}

/** Each figure of the page's tables, in table order: the family's "By quarter" table, then operations by county and its statewide footer. */
function tableFigures(html: string): Figure[] {
  const text = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').trim();
  const rowsOf = (part: string | undefined) =>
    [...(part ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => ({
      label: text(/<th[^>]*>([\s\S]*?)<\/th>/.exec(m[1]!)![1]!),
      cells: [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]!).replace(/,/g, '')),
    }));
  const table = (id: string) => {
    const found = new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?</table>`).exec(html);
    if (!found) return null;
    const t = found[0];
    const head = [...(/<thead>([\s\S]*?)<\/thead>/.exec(t)![1]!.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g))].map((m) => text(m[1]!));
    return { head, rows: [...rowsOf(/<tbody>([\s\S]*?)<\/tbody>/.exec(t)?.[1]), ...rowsOf(/<tfoot>([\s\S]*?)<\/tfoot>/.exec(t)?.[1])] };
  };
  const q = table('stat-table-quarters')!;
  const c = table('stat-table-counties');
  const statewide = html.includes('<html lang="es">') ? 'Misuri' : 'Missouri';
  const out: Figure[] = [];
  for (const r of q.rows) r.cells.forEach((v, i) => out.push({ table: 'quarters', period: q.head[i + 1]!, county: statewide, category: r.label, figure: v }));
  if (c) for (const r of c.rows) out.push({ table: 'counties', period: c.head[1]!, county: r.label, category: 'Total', figure: r.cells[0]! });
  return out;
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}
