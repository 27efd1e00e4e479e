import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestEnv } from '../../test/harness.ts';
import { seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { fireTogether, startRaceEnv, statuses } from '../../test/race.ts';
import { loadActor } from '../../auth/actor.ts';
import * as tally from './businesses.dashboard.queries.ts';
import * as scan from './businesses.dashboard.scan.test-support.ts';
import { insertLandlord, insertPipelineBusiness } from './businesses.pipeline.test-support.ts';

/**
 * The dashboard's running counts under concurrency (migration 0017): many businesses of one county and
 * one landlord moved at the same moment take and give back the same count rows. On PostgreSQL none of
 * the moves may deadlock or be lost, and the counts must still say what a scan of the businesses says.
 */
describe.skipIf(!inject('pgAvailable'))('the campaign dashboard’s counts under concurrent stage moves [postgres]', () => {
  const MOVES = 8;
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startRaceEnv('postgres', MOVES);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  it(`${MOVES} businesses moved at once, across the same counts: every move lands, the counts equal a scan`, async () => {
    const base = { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id };
    const landlordId = await insertLandlord(env.ctx, base);
    const coordinator = await signedIn(world.users.coordinator);
    const analyst = await signedIn(world.users.analyst);
    for (let round = 1; round <= 3; round++) {
      // Half answered and taking a lease action, half at a lease action and closing: each move leaves one
      // count row and enters the next, so concurrent moves cross each other's rows.
      const businesses = await Promise.all(
        Array.from({ length: MOVES }, (_, i) =>
          insertPipelineBusiness(env.ctx, { ...base, landlordId, notifiedAt: '2026-01-01T00:00:00.000Z', ...(i % 2 ? { stage: 'lease_action', outcome: 'termination' } : { stage: 'landlord_responded', outcome: 'committed' }) }),
        ),
      );
      const res = await fireTogether(
        businesses.map((b, i) => () => (i % 4 < 2 ? coordinator : analyst).post(`/api/businesses/${b.id}/stage`, i % 2 ? { to: 'closed', outcome: 'vacated', version: b.version } : { to: 'lease_action', outcome: 'non_renewal', version: b.version })),
      );
      expect(statuses(res), `round ${round}`).toEqual(Array(MOVES).fill(200));
      const actor = await loadActor(env.ctx.db, world.users.coordinator.id);
      const order = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(order(await tally.countByCountyAndStage(env.ctx.db, actor)), `round ${round}`).toEqual(order(await scan.countByCountyAndStage(env.ctx.db, actor)));
      expect(await tally.countLandlords(env.ctx.db, actor)).toEqual(await scan.countLandlords(env.ctx.db, actor));
    }
  });
});
