import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_INDICATOR_WEIGHTS } from '../../../common/businesses.ts';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { seedWorld, type World } from '../../test/fixtures.ts';
import { recentSince, scoreOf, scoresFor } from './businesses.score.ts';
import { insertIndicator, insertPipelineBusiness } from './businesses.pipeline.test-support.ts';

const NOW = new Date('2026-06-30T12:00:00Z');

describe('scoreOf: the score explains itself (issue #11, item 2)', () => {
  it('counts each indicator kind once at its weight, whatever the number of pieces', () => {
    const s = scoreOf([{ indicator: 'reviews_describe_sex_acts', count: 3, latest: '2026-06-01', verified: false }], NOW);
    expect(s).toEqual({ score: 4, reasons: [{ indicator: 'reviews_describe_sex_acts', count: 3, latest: '2026-06-01', recent: true, verified: false, points: 4 }] });
  });

  it('halves evidence older than 180 days and adds half again for a second person’s verification', () => {
    const since = recentSince(NOW);
    expect(since).toBe('2026-01-01');
    const s = scoreOf(
      [
        { indicator: 'workers_living_on_site', count: 1, latest: '2025-12-31', verified: false }, // old: 3 × 0.5
        { indicator: 'ads_on_sex_buyer_sites', count: 2, latest: since, verified: true }, // recent, verified: 3 × 1.5
        { indicator: 'cash_only', count: 1, latest: '2025-01-01', verified: true }, // old, verified: 1 × 0.5 × 1.5
      ],
      NOW,
    );
    expect(s.reasons.map((r) => [r.indicator, r.recent, r.verified, r.points])).toEqual([
      ['ads_on_sex_buyer_sites', true, true, 4.5],
      ['workers_living_on_site', false, false, 1.5],
      ['cash_only', false, true, 0.75],
    ]);
    expect(s.score).toBe(6.75);
  });

  it('is 0 with no reasons for a business without standing evidence', () => {
    expect(scoreOf([], NOW)).toEqual({ score: 0, reasons: [] });
  });

  it('orders equal points by the typology’s order', () => {
    const s = scoreOf(
      [
        { indicator: 'late_hours', count: 1, latest: '2026-06-01', verified: false },
        { indicator: 'below_market_prices', count: 1, latest: '2026-06-01', verified: false },
      ],
      NOW,
    );
    expect(s.reasons.map((r) => r.indicator)).toEqual(['below_market_prices', 'late_hours']);
    expect(s.score).toBe(BUSINESS_INDICATOR_WEIGHTS.late_hours + BUSINESS_INDICATOR_WEIGHTS.below_market_prices);
  });
});

describeEachDatabase('scoresFor: one grouped query over many businesses', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  it('scores each business from its own standing evidence: withdrawn pieces do not count, verification by anyone counts', async () => {
    const base = { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id };
    const a = await insertPipelineBusiness(env.ctx, base);
    const b = await insertPipelineBusiness(env.ctx, base);
    const empty = await insertPipelineBusiness(env.ctx, base);
    const ind = { agencyId: world.agencies.lead, recordedBy: world.users.officer.id };
    await insertIndicator(env.ctx, { ...ind, businessId: a.id, indicator: 'covered_windows', observedOn: '2026-06-01' });
    await insertIndicator(env.ctx, { ...ind, businessId: a.id, indicator: 'covered_windows', observedOn: '2025-03-01', verifiedBy: world.users.analyst.id });
    await insertIndicator(env.ctx, { ...ind, businessId: a.id, indicator: 'reviews_describe_sex_acts', observedOn: '2025-03-01' });
    await insertIndicator(env.ctx, { ...ind, businessId: b.id, indicator: 'late_hours', observedOn: '2026-06-20', withdrawn: true });
    await insertIndicator(env.ctx, { ...ind, businessId: b.id, indicator: 'male_only_clientele', observedOn: '2026-06-20' });

    const scores = await scoresFor(env.ctx.db, [a.id, b.id, empty.id], NOW);
    expect(scores.get(a.id)).toEqual({
      score: 3.5,
      reasons: [
        { indicator: 'reviews_describe_sex_acts', count: 1, latest: '2025-03-01', recent: false, verified: false, points: 2 },
        { indicator: 'covered_windows', count: 2, latest: '2026-06-01', recent: true, verified: true, points: 1.5 },
      ],
    });
    expect(scores.get(b.id)).toEqual({ score: 2, reasons: [{ indicator: 'male_only_clientele', count: 1, latest: '2026-06-20', recent: true, verified: false, points: 2 }] });
    expect(scores.get(empty.id)).toEqual({ score: 0, reasons: [] });
    expect((await scoresFor(env.ctx.db, [], NOW)).size).toBe(0);
  });
});
