import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { BUSINESS_STAGES } from '../../../common/businesses.ts';
import { evictionSentence, median } from './businesses.dashboard.ts';
import { insertTestBusiness, insertTestLandlord, type TestBusiness } from './businesses.watch.test-support.ts';

describe('dashboard arithmetic', () => {
  it('median of none, odd and even counts; the sentence in singular and plural', () => {
    expect(median([])).toBeNull();
    expect(median([9, 1, 5])).toBe(5);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(evictionSentence(23)).toBe('23 businesses have been evicted or are in some phase of eviction.');
    expect(evictionSentence(1)).toBe('1 business has been evicted or is in some phase of eviction.');
    expect(evictionSentence(1200)).toBe('1,200 businesses have been evicted or are in some phase of eviction.');
  });
});

const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

/** The summary (contract), the dashboard and its CSV (issue #11, item 7) on a seeded set. */
describeEachDatabase('the campaign summary and dashboard', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    const mine = { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.coordinator.id };
    const add = (over: Partial<TestBusiness>) => insertTestBusiness(env.ctx.db, env.ctx, { ...mine, ...over });
    // Three landlords: A owns two notified businesses, B one, C one never notified.
    const [a, b, c] = [await insertTestLandlord(env.ctx.db, env.ctx, mine), await insertTestLandlord(env.ctx.db, env.ctx, mine), await insertTestLandlord(env.ctx.db, env.ctx, mine)];
    const JACKSON = '29095';
    const GREENE = '29077';
    await add({ stage: 'identified', countyFips: JACKSON });
    await add({ stage: 'identified', countyFips: GREENE });
    await add({ stage: 'verified', countyFips: JACKSON });
    await add({ stage: 'landlord_identified', countyFips: JACKSON, landlordId: c });
    await add({ stage: 'cleared', countyFips: GREENE });
    // A: notified and no answer yet; notified, answered, lease action, closed (evicted) after 30 days.
    await add({ stage: 'landlord_notified', countyFips: JACKSON, landlordId: a, notifiedAt: day(0) });
    await add({ stage: 'closed', countyFips: JACKSON, landlordId: a, notifiedAt: day(0), respondedAt: day(10), leaseActionAt: day(12), closedAt: day(30) });
    // B: answered, lease action; another of B's closed after 50 days and then sued; a refusal went straight to civil action.
    await add({ stage: 'lease_action', countyFips: GREENE, landlordId: b, notifiedAt: day(0), respondedAt: day(5), leaseActionAt: day(20) });
    await add({
      stage: 'civil_action',
      countyFips: GREENE,
      landlordId: b,
      notifiedAt: day(0),
      respondedAt: day(5),
      leaseActionAt: day(6),
      closedAt: day(50),
      events: [{ to: 'closed', at: day(50) }, { to: 'civil_action', at: day(60) }],
    });
    await add({ stage: 'civil_action', countyFips: GREENE, landlordId: b, notifiedAt: day(0), respondedAt: day(7), events: [{ to: 'civil_action', at: day(40) }] });
    // Another task force's business: counted by no one here.
    await insertTestBusiness(env.ctx.db, env.ctx, { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, createdBy: world.users.outsiderCoordinator.id, stage: 'closed', closedAt: day(3), leaseActionAt: day(1) });
  });
  afterAll(() => env.close());

  it('contract: GET /api/businesses/summary has exactly the keys, every stage named, and the figures by their definitions; audited', async () => {
    const res = await (await signedIn(world.users.officer)).get('/api/businesses/summary');
    expect(res.statusCode, res.body).toBe(200);
    const s = body(res);
    expect(Object.keys(s).sort()).toEqual(['byStage', 'evictedOrInEviction', 'landlordsNotified', 'landlordsResponded']);
    expect(Object.keys(s.byStage).sort()).toEqual([...BUSINESS_STAGES].sort());
    expect(s).toEqual({
      byStage: { identified: 2, verified: 1, landlord_identified: 1, landlord_notified: 1, landlord_responded: 0, lease_action: 1, closed: 1, civil_action: 2, criminal_referral: 0, cleared: 1 },
      landlordsNotified: 2,
      landlordsResponded: 2,
      // Lease action at: the closed one, the one at lease action, the one closed then sued (not the refusal sued at once).
      evictedOrInEviction: 3,
    });
    const [audit] = await auditRows(env, 'business.read');
    expect(audit).toMatchObject({ actor_user_id: world.users.officer.id });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ view: 'summary', businesses: 10 });
  });

  it('GET /api/businesses/dashboard: by county with names, response rate, median days, funnel, sentence, state', async () => {
    const res = await (await signedIn(world.users.analyst)).get('/api/businesses/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const d = body(res);
    expect(d.byCounty.map((c: { countyFips: string; countyName: string; total: number; closed: number }) => [c.countyFips, c.countyName, c.total, c.closed])).toEqual([
      ['29077', 'Greene', 5, 1],
      ['29095', 'Jackson', 5, 1],
    ]);
    expect(d.byCounty[0].byStage).toMatchObject({ identified: 1, cleared: 1, lease_action: 1, civil_action: 2 });
    expect(d.responseRate).toBe(1);
    expect(d.medianDaysNoticeToClosure).toBe(40);
    expect(d.funnel).toEqual([
      { stage: 'identified', reached: 10 },
      { stage: 'verified', reached: 7 },
      { stage: 'landlord_identified', reached: 6 },
      { stage: 'landlord_notified', reached: 5 },
      { stage: 'landlord_responded', reached: 4 },
      { stage: 'lease_action', reached: 3 },
      { stage: 'closed', reached: 2 },
      { stage: 'civil_action', reached: 2 },
      { stage: 'criminal_referral', reached: 0 },
    ]);
    expect(d.sentence).toBe('3 businesses have been evicted or are in some phase of eviction.');
    expect(d.state).toBe('MO');
    expect(d.evictedOrInEviction).toBe(3);
  });

  it('GET /api/businesses/dashboard.csv: one row per county with its stages, then the totals', async () => {
    const res = await (await signedIn(world.users.coordinator)).get('/api/businesses/dashboard.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="lantern-campaign-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('County FIPS,County,Identified,Verified,Landlord identified,Landlord notified,Landlord responded,Lease action,Closed,Civil action,Criminal referral,Cleared (legitimate),Closed (ever),Total');
    expect(lines.slice(1)).toEqual(['29077,Greene,1,0,0,0,0,1,0,2,0,1,1,5', '29095,Jackson,1,1,1,1,0,0,1,0,0,0,1,5', ',All counties,2,1,1,1,0,1,1,2,0,1,2,10']);
  });

  it('another task force sees only its own; roles outside the campaign get 403 on every view', async () => {
    const outsider = body(await (await signedIn(world.users.outsiderCoordinator)).get('/api/businesses/summary'));
    expect(outsider.byStage.closed).toBe(1);
    expect(outsider.evictedOrInEviction).toBe(1);
    expect(outsider.byStage.identified).toBe(0);
    const outsiderBoard = body(await (await signedIn(world.users.outsiderCoordinator)).get('/api/businesses/dashboard'));
    expect(outsiderBoard.byCounty.map((c: { total: number }) => c.total)).toEqual([1]);
    for (const user of [world.users.advocate, world.users.caseworker, world.users.pio, world.users.leadAdmin]) {
      const client = await signedIn(user);
      for (const url of ['/api/businesses/summary', '/api/businesses/dashboard', '/api/businesses/dashboard.csv']) {
        expect((await client.get(url)).statusCode, `${user.email} ${url}`).toBe(403);
      }
    }
    expect((await env.app.inject({ method: 'GET', url: '/api/businesses/summary' })).statusCode).toBe(401);
  });
});
