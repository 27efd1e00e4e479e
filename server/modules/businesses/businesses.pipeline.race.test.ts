import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { body, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv, statuses } from '../../test/race.ts';
import { insertIndicator, insertLandlord, insertPipelineBusiness } from './businesses.pipeline.test-support.ts';

/**
 * The pipeline under concurrency (issue #11, item 5: "race-safe"). Only PostgreSQL runs requests side by
 * side: two stage changes from the same version — one wins, the other is told the business changed (409),
 * and the history and the audit log hold one change; a stage change and a clearing at once; verification
 * and withdrawal of the same evidence at once; two verifiers at once.
 */
describe.skipIf(!inject('pgAvailable'))('business pipeline races [postgres]', () => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startRaceEnv('postgres', 4);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  const base = () => ({ agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id });
  const stored = (id: string) => env.ctx.db.selectFrom('business').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const stageEvents = async (id: string) => (await env.ctx.db.selectFrom('business_event').select('id').where('business_id', '=', id).where('kind', 'in', ['stage', 'cleared']).execute()).length;
  const winners = (res: LightMyRequestResponse[]) => res.filter((r) => r.statusCode === 200);

  it('stage × stage from the same version: one lease action or one civil action, never both; one event, one audit row', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const analyst = await signedIn(world.users.analyst);
    await raceRounds(roundsFor('postgres'), {
      prepare: () => insertPipelineBusiness(env.ctx, { ...base(), stage: 'landlord_responded', outcome: 'refused' }),
      fire: (b) => [
        () => coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'lease_action', outcome: 'termination', version: 1 }),
        () => analyst.post(`/api/businesses/${b.id}/stage`, { to: 'civil_action', version: 1 }),
      ],
      check: async (b, res) => {
        expect(winners(res), statuses(res).join(',')).toHaveLength(1);
        const lost = res.find((r) => r.statusCode !== 200)!;
        expectRefusal(lost, [409]);
        expect(body(lost).error.field).toBe('version');
        const row = await stored(b.id);
        expect(row.stage).toBe(body(winners(res)[0]!).stage);
        expect(row.version).toBe(2);
        expect(row.lease_action_at !== null).toBe(row.stage === 'lease_action');
        expect(await stageEvents(b.id)).toBe(1);
        expect(await auditRows(env, 'business.advance', b.id)).toHaveLength(1);
      },
    });
  });

  it('advance × clear from the same version: landlord identified or cleared, not a cleared business that moved on', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const analyst = await signedIn(world.users.analyst);
    await raceRounds(roundsFor('postgres'), {
      prepare: async () => {
        const b = await insertPipelineBusiness(env.ctx, { ...base(), stage: 'verified', landlordId: await insertLandlord(env.ctx, { ...base() }) });
        return b;
      },
      fire: (b) => [
        () => coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'landlord_identified', version: 1 }),
        () => analyst.post(`/api/businesses/${b.id}/clear`, { reason: 'Licensed therapist', version: 1 }),
      ],
      check: async (b, res) => {
        expect(winners(res), statuses(res).join(',')).toHaveLength(1);
        expectRefusal(res.find((r) => r.statusCode !== 200)!, [409]);
        const row = await stored(b.id);
        expect(['landlord_identified', 'cleared']).toContain(row.stage);
        expect(row.cleared_at !== null).toBe(row.stage === 'cleared');
        expect(row.version).toBe(2);
        expect(await stageEvents(b.id)).toBe(1);
      },
    });
  });

  it('verify × withdraw of the same evidence: verified or withdrawn, never both; one event', async () => {
    const officer = await signedIn(world.users.officer);
    const analyst = await signedIn(world.users.analyst);
    await raceRounds(roundsFor('postgres'), {
      prepare: async () => {
        const b = await insertPipelineBusiness(env.ctx, base());
        return insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id });
      },
      fire: (i) => [
        () => analyst.post(`/api/business-indicators/${i.id}/verify`, { version: 1 }),
        () => officer.post(`/api/business-indicators/${i.id}/withdraw`, { reason: 'Wrong storefront', version: 1 }),
      ],
      check: async (i, res) => {
        expect(winners(res), statuses(res).join(',')).toHaveLength(1);
        expectRefusal(res.find((r) => r.statusCode !== 200)!, [409]);
        const row = await env.ctx.db.selectFrom('business_indicator').selectAll().where('id', '=', i.id).executeTakeFirstOrThrow();
        expect(row.version).toBe(2);
        expect((row.verified_at === null) !== (row.withdrawn_at === null)).toBe(true);
        const events = await env.ctx.db.selectFrom('business_event').select('kind').where('kind', 'in', ['verified', 'indicator_withdrawn']).where('detail', 'like', `%${i.id}%`).execute();
        expect(events).toHaveLength(1);
      },
    });
  });

  it('two verifiers at once: one verification, one event, one audit row', async () => {
    const analyst = await signedIn(world.users.analyst);
    const coordinator = await signedIn(world.users.coordinator);
    await raceRounds(roundsFor('postgres'), {
      prepare: async () => {
        const b = await insertPipelineBusiness(env.ctx, base());
        return { b, i: await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id }) };
      },
      fire: ({ i }) => [() => analyst.post(`/api/business-indicators/${i.id}/verify`, { version: 1 }), () => coordinator.post(`/api/business-indicators/${i.id}/verify`, { version: 1 })],
      check: async ({ b }, res) => {
        expect(winners(res), statuses(res).join(',')).toHaveLength(1);
        expectRefusal(res.find((r) => r.statusCode !== 200)!, [409]);
        expect(await auditRows(env, 'business.verify', b.id)).toHaveLength(1);
      },
    });
  });
});
