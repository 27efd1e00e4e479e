import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES } from '../../../common/operations.ts';
import { STAGE_OUTCOMES } from '../../../common/businesses.ts';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { insertIndicator, insertLandlord, insertPipelineBusiness } from '../businesses/businesses.pipeline.test-support.ts';
import { expandBox, type AtomBox } from '../statistics/statistics.service.ts';
import { attack, type AttackedCount } from './attacker.ts';
import { COUNTY_POOL, seededRandom, trueCount, oneCountyZero } from './histories.test-support.ts';
import type { PublicKnowledge, PublishedCell, RecordRules } from './knowledge.ts';
import { planRelease } from './release-plan.ts';
import { atomKey, type AtomKey, type CellDimensions, type Family, type Quarter } from './statistics.cells.ts';
import { LedgerIndex } from './suppression.ts';

/**
 * Businesses closed (issue #11, item 7) go through the same disclosure rules as every other family: laid
 * out statewide and by county, suppressed, kept in the ledger and checked by the auditor. These tests put
 * the releases to the project's own attacker (attacker.ts), and follow one business campaign from the
 * pipeline's closures to the public page.
 */

const K = 5;

/** No person is counted in these releases: any pairing is possible. */
const ANY_RULES: RecordRules = {
  dispositions: Object.fromEntries(CONTACT_ROLES.map((r) => [r, [...DISPOSITIONS, 'none']])) as unknown as RecordRules['dispositions'],
  services: Object.fromEntries(CONTACT_ROLES.map((r) => [r, [...SERVICES]])) as unknown as RecordRules['services'],
};

interface BusinessHistory {
  seed: number;
  counts: Map<AtomKey, number>;
  releases: PublishedCell[][];
}

/**
 * Twelve quarters from 2019Q3 in three counties: businesses closed (mostly none, one or two a quarter in a
 * county, now and then a sweep of five to nine) beside operations, the other family published by county,
 * released at the start of each quarter (and now and then again later in it) through the release plan.
 * With `familyFrom`, the releases before that quarter are those of a Lantern that counted businesses
 * closed but did not publish them yet: operations only.
 */
async function businessHistory(seed: number, familyFrom = 0): Promise<BusinessHistory> {
  const random = seededRandom(seed);
  const quarters = Array.from({ length: 12 }, (_, i) => {
    const q = 2019 * 4 + 2 + i;
    return `${Math.floor(q / 4)}Q${(q % 4) + 1}` as Quarter;
  });
  const counties = [...COUNTY_POOL];
  const familiesAt = (t: number): Partial<Record<Family, readonly string[]>> => (t >= familyFrom ? { operations: ['all'], businesses_closed: ['all'] } : { operations: ['all'] });
  const counts = new Map<AtomKey, number>();
  const ledger = new LedgerIndex();
  const releases: PublishedCell[][] = [];
  const release = async (t: number) => {
    const plan = await planRelease({ counts, quarters: quarters.slice(0, t), counties, families: familiesAt(t), ledger, pressOperations: [], pressFigures: [], rules: ANY_RULES, k: K });
    ledger.add(plan.cells);
    releases.push(plan.cells.map((c) => ({ key: c.key, family: c.family, dimensions: c.dimensions, atoms: c.atoms, value: c.suppressed ? null : c.value })));
  };
  for (let t = 0; t <= quarters.length; t++) {
    if (t > 0) await release(t);
    if (t === quarters.length) break;
    for (const county of counties) {
      for (const family of ['businesses_closed', 'operations'] as const) {
        const n = random.pick([0, 0, 0, 1, 1, 2, 3, 5, 7, 9]);
        if (n) counts.set(atomKey({ family, category: 'all', county, quarter: quarters[t] as Quarter }), n);
      }
    }
    if (t > 0 && random.chance(0.2)) await release(t);
  }
  return { seed, counts, releases };
}

/** Protected counts the attacker narrowed: a non-zero count to one or two values, a count under k short of [0, k − 1]. */
function breaches(counts: Pick<BusinessHistory, 'counts'>, attacked: readonly AttackedCount[]): string[] {
  const out: string[] = [];
  for (const c of attacked) {
    const value = trueCount(counts, c.atoms);
    if (oneCountyZero(c, value)) continue;
    if (value < c.lo || value > c.hi) throw new Error(`the attacker is wrong about ${c.key}: ${value} is outside [${c.lo}, ${c.hi}]`);
    const where = `${c.key} = ${value}, range [${c.lo}, ${c.hi}]`;
    if (value > 0 && c.hi - c.lo <= 1) out.push(`${where}: ${c.lo === c.hi ? 'recovered' : 'two values'}`);
    else if (value < K && !(c.lo <= c.floor && c.hi >= c.floor + K - 1)) out.push(`${where}: under ${K}, short of [floor, floor + ${K - 1}]`);
  }
  return out;
}

const knowledge = (releases: PublishedCell[][]): PublicKnowledge => ({ releases, pressOperations: [], pressFigures: [], rules: ANY_RULES });

describe('businesses closed against the LP attacker', () => {
  it('releases of businesses closed by county and statewide leave no hidden count recovered or narrowed', { timeout: 60_000 }, async () => {
    for (const seed of [3, 11]) {
      const h = await businessHistory(seed);
      const cells = h.releases.flat().filter((c) => c.family === 'businesses_closed');
      // The history has what the rules must work on: county figures shown and hidden, small counts among them.
      expect(cells.some((c) => c.dimensions.county !== 'all' && c.value !== null)).toBe(true);
      expect(cells.some((c) => c.dimensions.county !== 'all' && c.value === null && trueCount(h, c.atoms) > 0)).toBe(true);
      const result = await attack(knowledge(h.releases), { k: K, select: (t) => t.kind === 'hidden-cell' || trueCount(h, t.atoms) < K });
      expect(result.infeasibleYears).toEqual([]);
      expect(result.counts.some((c) => c.key.startsWith('businesses_closed/') || c.key.startsWith('sum:businesses_closed/'))).toBe(true);
      expect(breaches(h, result.counts), `history ${seed}`).toEqual([]);
    }
  });

  it('a ledger of operations only takes businesses closed into its next release, every earlier quarter included, and nothing is narrowed', { timeout: 60_000 }, async () => {
    const h = await businessHistory(5, 7);
    const first = h.releases.findIndex((r) => r.some((c) => c.family === 'businesses_closed'));
    expect(first).toBeGreaterThan(4);
    // Its first release with the family lays out every quarter it covers, back to the first.
    expect(h.releases[first]!.some((c) => c.family === 'businesses_closed' && c.dimensions.period === '2019Q3')).toBe(true);
    expect(h.releases[first]!.some((c) => c.family === 'businesses_closed' && c.dimensions.county !== 'all' && c.dimensions.period === '2020')).toBe(true);
    const result = await attack(knowledge(h.releases), { k: K, select: (t) => t.kind === 'hidden-cell' || trueCount(h, t.atoms) < K });
    expect(result.infeasibleYears).toEqual([]);
    expect(breaches(h, result.counts)).toEqual([]);
  });

  it('the same history released with only the counts under 5 hidden is broken: the rules are what protects it', async () => {
    const h = await businessHistory(3);
    // The last release's layout, every figure of 5 or more shown: what a release without the ledger and audit would say.
    const last = h.releases.at(-1) as PublishedCell[];
    const naive = last.map((c) => {
      const value = trueCount(h, c.atoms);
      return { ...c, value: value < K ? null : value };
    });
    const result = await attack(knowledge([naive]), { k: K, select: (t) => t.kind === 'hidden-cell' || trueCount(h, t.atoms) < K });
    expect(breaches(h, result.counts).some((b) => b.startsWith('businesses_closed/') || b.startsWith('sum:businesses_closed/'))).toBe(true);
  });
});

/** Jefferson County (29099) and Johnson County (29101), beside Jackson County (29095) where the test businesses are. */
const OTHER_COUNTIES = ['29099', '29101'];

describeEachDatabase('businesses closed in the public statistics', (backend) => {
  let env: TestEnv;
  let world: World;
  const sessions = new Map<string, { cookie: string; at: number }>();
  /** Sessions end after 30 idle minutes and the clock moves by months: sign in again when it moved. */
  const client = async (user: TestUser) => {
    const now = env.clock.now().getTime();
    let s = sessions.get(user.id);
    if (!s || now - s.at > 10 * 60_000 || now < s.at) {
      await env.ctx.db.updateTable('app_user').set({ last_login_at: env.clock.now().toISOString() }).where('id', '=', user.id).execute();
      s = { cookie: await signIn(env, user), at: now };
    }
    s.at = now;
    sessions.set(user.id, s);
    return as(env, s.cookie);
  };

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  /** A business at lease action in `county`, closed by the coordinator through the pipeline. */
  async function closeBusiness(county: string) {
    const landlordId = await insertLandlord(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.coordinator.id });
    const b = await insertPipelineBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id, stage: 'lease_action', outcome: STAGE_OUTCOMES.lease_action?.[0] ?? null, landlordId });
    // The registry stores the county its address is in; the helper puts every business in Jackson County.
    await env.ctx.db.updateTable('business').set({ county_fips: county }).where('id', '=', b.id).execute();
    await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id, verifiedBy: world.users.analyst.id });
    const res = await (await client(world.users.coordinator)).post(`/api/businesses/${b.id}/stage`, { to: 'closed', outcome: 'evicted', version: b.version });
    if (res.statusCode !== 200) throw new Error(`closing ${b.id}: ${res.statusCode} ${res.body}`);
  }

  type Cell = { dimensions: Record<string, string>; value: number | null; suppressed: boolean };
  const cellOf = (cells: Cell[], county: string, period: string) =>
    cells.find((c) => c.dimensions.family === 'businesses_closed' && c.dimensions.county === county && c.dimensions.category === 'all' && c.dimensions.period === period);

  it('a year of closures is published by county and statewide through the disclosure rules, on the API, the page and the CSV', { timeout: 120_000 }, async () => {
    // Each quarter of 2026: two businesses closed in Jackson County and two elsewhere (1 + 1, or 2 in one county).
    const starts = ['2026-01-15T15:00:00.000Z', '2026-04-15T15:00:00.000Z', '2026-07-15T15:00:00.000Z', '2026-10-15T15:00:00.000Z'];
    for (const [i, start] of starts.entries()) {
      env.clock.set(start);
      await closeBusiness('29095');
      await closeBusiness('29095');
      await closeBusiness(OTHER_COUNTIES[0] as string);
      await closeBusiness(OTHER_COUNTIES[i % 2] as string);
    }
    const atoms = await env.ctx.db.selectFrom('stat_atom').select(['county_fips', 'quarter', 'value']).where('family', '=', 'businesses_closed').execute();
    const counted = (county: string) => atoms.filter((a) => a.county_fips === county).reduce((n, a) => n + Number(a.value), 0);
    expect([counted('29095'), counted('29099'), counted('29101')]).toEqual([8, 6, 2]);

    // 2026 has ended: the PIO publishes it.
    env.clock.set('2027-01-05T15:00:00.000Z');
    const published = await (await client(world.users.pio)).post('/api/statistics/releases');
    expect(published.statusCode, published.body).toBe(201);
    expect(body(published)).toMatchObject({ quarters: ['2026Q1', '2026Q2', '2026Q3', '2026Q4'] });

    const stats = body(await env.app.inject({ method: 'GET', url: '/api/public/statistics?family=businesses_closed' }));
    const cells = stats.cells as Cell[];
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c.dimensions.family === 'businesses_closed')).toBe(true);
    // Jackson County's 8 and the state's 16 are shown; the other counties' 6, 2 and every 0 are withheld, with
    // each quarter's statewide 4 (under 5), one label for all.
    expect(cellOf(cells, '29095', '2026')).toEqual({ dimensions: { family: 'businesses_closed', period: '2026', periodType: 'year', county: '29095', category: 'all' }, value: 8, suppressed: false });
    expect(cellOf(cells, 'all', '2026')).toMatchObject({ value: 16, suppressed: false });
    for (const county of OTHER_COUNTIES) expect(cellOf(cells, county, '2026')).toMatchObject({ value: null, suppressed: true });
    for (const q of ['2026Q1', '2026Q2', '2026Q3', '2026Q4']) expect(cellOf(cells, 'all', q)).toMatchObject({ value: null, suppressed: true });
    expect(cells.filter((c) => c.dimensions.county !== 'all')).toHaveLength(env.ctx.jurisdiction.countyFips.length);
    expect(stats.totals).toContainEqual(cellOf(cells, 'all', '2026'));

    // Everything public — the release as stored in the ledger — leaves no hidden count narrowed.
    const rows = await env.ctx.db
      .selectFrom('stat_release_cell as c')
      .innerJoin('stat_release as r', 'r.id', 'c.release_id')
      .select(['r.counties', 'c.key', 'c.family', 'c.dimensions', 'c.atoms', 'c.value', 'c.suppressed'])
      .orderBy('c.position')
      .execute();
    const release: PublishedCell[] = rows.map((r) => ({
      key: r.key,
      family: r.family as Family,
      dimensions: JSON.parse(r.dimensions) as CellDimensions,
      atoms: expandBox(r.family, JSON.parse(r.atoms) as AtomBox, JSON.parse(r.counties) as string[]),
      value: r.suppressed === 1 ? null : Number(r.value),
    }));
    const truth = { counts: new Map(atoms.filter((a) => Number(a.value)).map((a) => [atomKey({ family: 'businesses_closed', category: 'all', county: a.county_fips, quarter: a.quarter }), Number(a.value)])) };
    const businessCells = release.filter((c) => c.family === 'businesses_closed');
    const result = await attack(knowledge([businessCells]), { k: K, select: (t) => t.kind === 'hidden-cell' || trueCount(truth, t.atoms) < K });
    expect(result.counts.length).toBeGreaterThan(0);
    expect(breaches(truth, result.counts)).toEqual([]);

    // The page: the family's quarters and year, and its own county map and table.
    const page = await env.app.inject({ method: 'GET', url: '/statistics?family=businesses_closed&year=2026' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<option value="businesses_closed" selected>Illicit businesses closed</option>');
    expect(page.body).toContain('<h2 id="stat-heading">Illicit businesses closed, 2026</h2>');
    expect(page.body).toContain('Statewide, 2026: 16.');
    expect(page.body).toContain('<h3 id="stat-counties-heading">Illicit businesses closed by county</h3>');
    expect(page.body).toContain('<title id="lantern-map-title">Map of Missouri’s counties: Illicit businesses closed, 2026</title>');
    expect(page.body).toContain('<title>Jackson: 8</title>');
    expect(page.body).toContain('<title>Johnson: withheld</title>');
    expect(page.body).toContain('<tr><th scope="row">Jackson</th><td class="lantern-figure">8</td></tr>');
    expect(page.body).toContain('Tips received are not collected yet.');
    expect(page.body).not.toContain('businesses closed are not collected');
    // Other families keep operations on the map.
    expect((await env.app.inject({ method: 'GET', url: '/statistics?family=persons&year=2026' })).body).toContain('<h3 id="stat-counties-heading">Operations by county</h3>');

    const es = (await env.app.inject({ method: 'GET', url: '/statistics?family=businesses_closed&year=2026&lang=es' })).body;
    expect(es).toContain('<h2 id="stat-heading">Negocios ilícitos cerrados, 2026</h2>');
    expect(es).toContain('<h3 id="stat-counties-heading">Negocios ilícitos cerrados por condado</h3>');
    expect(es).toContain('<title>Jackson: 8</title>');
    expect(es).toContain('<title>Johnson: reservado</title>');

    // The CSV: exactly the page's figures, the county table under the family's own name.
    const csv = (await env.app.inject({ method: 'GET', url: '/statistics.csv?family=businesses_closed&year=2026' })).body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv).toContain('Illicit businesses closed,2026,Jackson,Total,8');
    expect(csv).toContain('Illicit businesses closed,2026,Johnson,Total,withheld');
    expect(csv).toContain('Illicit businesses closed,2026,Missouri,Total,16');
    expect(csv.filter((l) => l.startsWith('Operations,'))).toEqual([]);
    // Header, 4 quarters and the year statewide, then every county and the state's total.
    expect(csv).toHaveLength(1 + 5 + env.ctx.jurisdiction.countyFips.length + 1);
  });
});
