import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../test/harness.ts';
import { loadDemo } from './demo.ts';
import { lastClosedQuarterMoment } from './demo-statistics.ts';
import { loadActor } from '../auth/actor.ts';
import { lastClosedQuarter, quarterOf } from '../modules/statistics/quarters.ts';
import { publishRelease } from '../modules/statistics/statistics.service.ts';

describeEachDatabase('the demo: public statistics', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    env.clock.set(new Date());
    await loadDemo(env.ctx);
  }, 120_000);
  afterAll(() => env.close());

  type Cell = { dimensions: Record<string, string>; value: number | null; suppressed: boolean };
  const find = (cells: Cell[], family: string, county: string, category: string, period: string) =>
    cells.find((c) => c.dimensions.family === family && c.dimensions.county === county && c.dimensions.category === category && c.dimensions.period === period);

  it("the demo PIO published a release with the story's operation and last year's", async () => {
    const stats = body(await env.app.inject({ method: 'GET', url: '/api/public/statistics' }));
    expect(stats.release.seq).toBe(1);
    const lastYear = String(new Date().getUTCFullYear() - 1);
    expect(stats.release.quarters[0]).toBe('2020Q4');
    expect(stats.release.quarters).toContain(`${lastYear}Q2`);
    const [audit] = await env.ctx.db.selectFrom('audit_event').select(['actor_user_id']).where('action', '=', 'statistics.publish').execute();
    const pio = await env.ctx.db.selectFrom('app_user').select('id').where('email', '=', 'pio@demo.lantern.test').executeTakeFirstOrThrow();
    expect(audit?.actor_user_id).toBe(pio.id);

    // The story: 18 persons in Jackson County in the fourth quarter of 2020 (5 suspects, 10 adult potential
    // victims, 3 children), the only operation of its quarter, and its press release gave every figure. Any
    // published total would tell that no other child was contacted that quarter (18 − 5 − 10 = 3, the press
    // release's 3): the audit keeps the interval [3, 3 + 4] for the children, so the quarter's totals are
    // withheld along with the children.
    expect(find(stats.cells, 'persons', 'all', 'all', '2020Q4')).toMatchObject({ value: null, suppressed: true });
    expect(find(stats.cells, 'persons', 'all', 'minor', '2020Q4')).toMatchObject({ value: null, suppressed: true });
    // The children taken into protective custody are an outcome, hidden too; there is no separate family for them.
    expect(find(stats.cells, 'outcomes', 'all', 'protective_custody', '2020Q4')).toMatchObject({ value: null, suppressed: true });
    expect(stats.cells.filter((c: Cell) => !['operations', 'persons', 'outcomes', 'services', 'businesses_closed'].includes(c.dimensions.family!))).toEqual([]);
    // Persons are never counted by county; operations are, once their year has ended: one in Jackson County in
    // 2020 (the year Lantern started, so its one quarter) and last year's inspection in Johnson County, both hidden.
    expect(stats.cells.filter((c: Cell) => c.dimensions.county !== 'all' && !['operations', 'businesses_closed'].includes(c.dimensions.family!))).toEqual([]);
    expect(find(stats.cells, 'operations', '29095', 'all', '2020Q4')).toMatchObject({ value: null, suppressed: true });
    expect(find(stats.cells, 'operations', '29101', 'all', lastYear)).toMatchObject({ value: null, suppressed: true });
    // This year has not ended: quarters only.
    const thisYear = String(new Date().getUTCFullYear());
    if (stats.release.quarters.some((q: string) => q.startsWith(thisYear))) {
      expect(stats.cells.filter((c: Cell) => c.dimensions.period!.startsWith(thisYear) && (c.dimensions.periodType !== 'quarter' || c.dimensions.county !== 'all'))).toEqual([]);
    }

    const page = await env.app.inject({ method: 'GET', url: '/statistics?family=persons&year=2020' });
    expect(page.body).toContain('<title>Jackson: withheld</title>');
    expect(page.body).toContain('<title>Johnson: withheld</title>');
    expect(page.body).toContain('<title id="lantern-map-title">Map of Missouri’s counties: Operations, Q4 2020</title>');
    expect(page.body).toMatch(/<th scope="row">Total<\/th><td class="lantern-figure"><span class="lantern-suppressed">withheld<\/span><\/td>/);
    expect(page.body).not.toContain('fewer than');
  });

  it('loading the demo again publishes nothing new', async () => {
    await loadDemo(env.ctx);
    expect((await env.ctx.db.selectFrom('stat_release').select('seq').execute()).map((r) => r.seq)).toEqual([1]);
  });

  it('leaves the newest ended quarter for a PIO to publish (issue #9, item 15)', async () => {
    const zone = env.ctx.jurisdiction.timeZone;
    const newest = lastClosedQuarter(env.clock.now(), zone);
    const stats = body(await env.app.inject({ method: 'GET', url: '/api/public/statistics' }));
    expect(stats.release.quarters).not.toContain(newest);
    const pio = await env.ctx.db.selectFrom('app_user').select('id').where('email', '=', 'pio@demo.lantern.test').executeTakeFirstOrThrow();
    const release = await publishRelease(env.ctx, await loadActor(env.ctx.db, pio.id), { ip: null, userAgent: 'test', requestId: null });
    expect(release).toMatchObject({ seq: 2, newQuarters: [newest] });
  });
});

describe('the moment the demo publishes its statistics as of', () => {
  it('falls in the newest quarter that has ended, in the task force’s time zone', () => {
    const zone = 'America/Chicago';
    // 00:30 UTC on 1 January is still 31 December in Chicago: the current quarter there is the fourth.
    for (const [now, expected] of [
      ['2027-01-01T00:30:00Z', '2026Q3'],
      ['2027-01-01T07:00:00Z', '2026Q4'],
      ['2026-12-04T21:00:00Z', '2026Q3'],
      ['2026-07-01T05:00:00Z', '2026Q2'],
      ['2026-04-15T12:00:00Z', '2026Q1'],
    ] as const) {
      const at = lastClosedQuarterMoment(new Date(now), zone);
      expect(quarterOf(at, zone), now).toBe(expected);
      expect(lastClosedQuarter(new Date(now), zone), now).toBe(expected);
    }
  });
});
