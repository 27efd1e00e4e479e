import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, signIn, type World } from '../../test/fixtures.ts';
import { adultVictim, planInput, suspect } from '../../test/operations-fixtures.ts';
import { loadActor } from '../../auth/actor.ts';
import { publishRelease } from './statistics.service.ts';

/**
 * A release is planned without holding the ledger lock (the audit may take minutes) and written in a
 * short transaction that first checks nothing it was planned from changed. An operation closed in
 * between, into a quarter the release is about to freeze, must be in the release — never lost, never
 * added to a frozen quarter afterwards.
 */

const HOUR = 3_600_000;

describeEachDatabase('publishing statistics while records change', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    env.clock.set('2025-10-20T15:00:00.000Z');
    world = await seedWorld(env);
  }, 60_000);
  afterAll(() => env.close());

  async function closedOperation(startsAt: string, persons: Record<string, unknown>[]) {
    const coordinator = as(env, await signIn(env, world.users.coordinator));
    const created = await coordinator.post('/api/operations', planInput(world, { startsAt, endsAt: new Date(Date.parse(startsAt) + 6 * HOUR).toISOString() }));
    const id = body(created).id as string;
    expect((await coordinator.post(`/api/operations/${id}/approve`)).statusCode).toBe(200);
    expect((await coordinator.post(`/api/operations/${id}/activate`)).statusCode).toBe(200);
    for (const p of persons) expect((await coordinator.post(`/api/operations/${id}/contacts`, p)).statusCode).toBe(201);
    expect((await coordinator.post(`/api/operations/${id}/close`)).statusCode).toBe(200);
  }

  it('an operation closed while the release is being planned is in the release: it is planned again', async () => {
    // The third quarter of 2025 has ended; one operation in it so far.
    await closedOperation('2025-08-10T20:00:00.000Z', [suspect(), suspect(), suspect(), suspect(), suspect(), suspect()]);
    const pio = await loadActor(env.ctx.db, world.users.pio.id);
    const attempts: number[] = [];
    const release = await publishRelease(env.ctx, pio, { ip: '127.0.0.1', userAgent: 'test', requestId: 'replan' }, {
      beforeWrite: async (attempt) => {
        attempts.push(attempt);
        // Another coordinator closes a second operation of the same quarter between planning and writing.
        if (attempt === 1) await closedOperation('2025-09-02T20:00:00.000Z', [adultVictim(), adultVictim(), adultVictim(), adultVictim(), adultVictim(), suspect()]);
      },
    });
    expect(attempts).toEqual([1, 2]);
    expect(release.seq).toBe(1);
    const stats = body(await env.app.inject({ method: 'GET', url: '/api/public/statistics?family=persons' }));
    const total = stats.cells.find((c: { dimensions: Record<string, string> }) => c.dimensions.period === '2025Q3' && c.dimensions.category === 'all');
    expect(total).toMatchObject({ value: 12, suppressed: false });
    // The quarter is frozen with both operations in it: nothing of 2025Q3 is left to count later.
    const atoms = await env.ctx.db.selectFrom('stat_atom').select(['family', 'category', 'value']).where('quarter', '=', '2025Q3').where('family', '=', 'persons').execute();
    expect(atoms.reduce((n, a) => n + Number(a.value), 0)).toBe(12);
  });

  it('the audit of everything published: for PIOs only, it finds the release it checked protected and changes nothing', async () => {
    const before = await env.ctx.db.selectFrom('stat_release').select('seq').execute();
    const pio = as(env, await signIn(env, world.users.pio));
    const res = await pio.post('/api/statistics/releases/audit');
    expect(res.statusCode).toBe(200);
    const audit = body(res);
    expect(audit.years).toEqual(['2025']);
    expect(audit.protectedCounts).toBeGreaterThan(0);
    expect(audit.solves).toBeGreaterThan(0);
    expect(audit.alreadyDisclosed).toEqual([]);
    expect(audit.narrowestWidth).toBeGreaterThanOrEqual(4);
    expect(await env.ctx.db.selectFrom('stat_release').select('seq').execute()).toEqual(before);
    const officer = as(env, await signIn(env, world.users.officer));
    expect((await officer.post('/api/statistics/releases/audit')).statusCode).toBe(403);
  });
});
