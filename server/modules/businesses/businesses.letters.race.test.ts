import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { body, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, type World } from '../../test/fixtures.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv, statuses } from '../../test/race.ts';
import { clients, insertTestBusiness, insertTestIndicator, insertTestLandlord, seedLetterWorld, type LetterWorld } from './businesses.letters.test-support.ts';

/**
 * Letters under concurrency (issue #11, item 4; PostgreSQL runs requests side by side): letters drafted at
 * the same moment never share a number, and a letter recorded as sent twice at once is sent once.
 */
describe.skipIf(!inject('pgAvailable'))('letter races [postgres]', () => {
  let env: TestEnv;
  let world: World;
  let lw: LetterWorld;
  let as: ReturnType<typeof clients>;

  beforeAll(async () => {
    env = await startRaceEnv('postgres', 4);
    world = await seedWorld(env);
    lw = await seedLetterWorld(env, world);
    as = clients(env);
  });
  afterAll(() => env.close());

  async function ready(stage: 'landlord_identified' | 'landlord_notified' = 'landlord_identified') {
    const base = { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id };
    const landlord = await insertTestLandlord(env.ctx, base);
    const business = await insertTestBusiness(env.ctx, { ...base, stage, landlordId: landlord.id });
    await insertTestIndicator(env.ctx, { businessId: business.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id, indicator: 'covered_windows', observedOn: '2026-01-10' });
    return business;
  }

  it('letters drafted at once get different numbers, one after the other', async () => {
    const analyst = await as(lw.agAnalyst);
    const coordinator = await as(lw.agCoordinator);
    const seen = new Set<string>();
    await raceRounds(roundsFor('postgres', 10), {
      prepare: async () => [await ready(), await ready(), await ready()],
      fire: (businesses) => businesses.map((b, i) => () => (i % 2 ? coordinator : analyst).post(`/api/businesses/${b.id}/letters`)),
      check: (_b, res) => {
        expect(statuses(res)).toEqual([201, 201, 201]);
        const numbers = res.map((r) => body(r).number as string);
        for (const n of numbers) {
          expect(seen.has(n), n).toBe(false);
          seen.add(n);
        }
        const serials = numbers.map((n) => Number(n.slice(-4))).sort((x, y) => x - y);
        expect(serials[2]! - serials[0]!).toBe(2);
      },
    });
  });

  it('sent × sent: one 200, one 409; one contact, one audit row', async () => {
    const analyst = await as(lw.agAnalyst);
    const coordinator = await as(lw.agCoordinator);
    await raceRounds(roundsFor('postgres'), {
      prepare: async () => body(await analyst.post(`/api/businesses/${(await ready('landlord_notified')).id}/letters`)) as { id: string; landlordId: string },
      fire: (letter) => [
        () => analyst.post(`/api/letters/${letter.id}/sent`, { via: 'certified_mail', at: env.clock.now().toISOString(), version: 1 }),
        () => coordinator.post(`/api/letters/${letter.id}/sent`, { via: 'email', at: env.clock.now().toISOString(), version: 1 }),
      ],
      check: async (letter, res: LightMyRequestResponse[]) => {
        expect(statuses(res).sort()).toEqual([200, 409]);
        expectRefusal(res.find((r) => r.statusCode !== 200)!, [409]);
        const row = await env.ctx.db.selectFrom('notice_letter').selectAll().where('id', '=', letter.id).executeTakeFirstOrThrow();
        expect(row.version).toBe(2);
        expect(row.sent_via).toBe(body(res.find((r) => r.statusCode === 200)!).sentVia);
        expect(await env.ctx.db.selectFrom('landlord_contact').select('id').where('landlord_id', '=', letter.landlordId).execute()).toHaveLength(1);
        expect(await auditRows(env, 'business.sendLetter', letter.id)).toHaveLength(1);
      },
    });
  });
});
