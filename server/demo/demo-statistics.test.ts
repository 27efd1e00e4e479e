import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../test/harness.ts';
import { loadDemo } from './demo.ts';

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
    // victims, 3 children): the total and the two large groups are published, the 3 children are not.
    expect(find(stats.cells, 'persons', 'all', 'all', '2020Q4')).toMatchObject({ value: 18, suppressed: false });
    expect(find(stats.cells, 'persons', '29095', 'all', '2020Q4')).toMatchObject({ value: 18, suppressed: false });
    expect(find(stats.cells, 'persons', 'all', 'adult_victim', '2020Q4')).toMatchObject({ value: 10, suppressed: false });
    expect(find(stats.cells, 'persons', 'all', 'minor', '2020Q4')).toMatchObject({ value: null, suppressed: true });
    expect(find(stats.cells, 'children_protected', 'all', 'all', '2020Q4')).toMatchObject({ value: null, suppressed: true });
    // Last year's inspection in Johnson County: three persons, hidden.
    const johnson = stats.cells.find((c: Cell) => c.dimensions.family === 'persons' && c.dimensions.county === '29101' && c.dimensions.period!.startsWith(lastYear));
    expect(johnson).toMatchObject({ value: null, suppressed: true });

    const page = await env.app.inject({ method: 'GET', url: '/statistics?family=persons&year=2020' });
    expect(page.body).toContain('<title>Jackson: 18</title>');
    expect(page.body).toContain('<title>Johnson: fewer than 5</title>');
  });

  it('loading the demo again publishes nothing new', async () => {
    await loadDemo(env.ctx);
    expect((await env.ctx.db.selectFrom('stat_release').select('seq').execute()).map((r) => r.seq)).toEqual([1]);
  });
});
