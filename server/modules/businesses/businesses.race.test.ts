import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { body, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv } from '../../test/race.ts';
import { insertTestBusiness } from './businesses.test-support.ts';

const statusesOf = (res: LightMyRequestResponse[]) => res.map((r) => r.statusCode).join(',');

/**
 * The registry under concurrency (issue #11, "Bad input": duplicates caught at entry; every change
 * race-safe). Only PostgreSQL runs requests side by side: the same business entered twice at once by two
 * agencies is one business and one 409 naming it; two renames of the same version are one rename.
 */
describe.skipIf(!inject('pgAvailable'))('business registry races [postgres]', () => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startRaceEnv('postgres', 4);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  it('the same business entered twice at once: one 201, one 409 duplicate naming it; one row, one set of facts, one audit row', async () => {
    const analyst = await signedIn(world.users.analyst);
    const partner = await signedIn(world.users.partnerOfficer);
    await raceRounds(roundsFor('postgres'), {
      prepare: async (round) => ({ name: `Twin Spa ${round}`, address: `${round} Twin St` }),
      fire: (s) =>
        [analyst, partner].map(
          (client) => () => client.post('/api/businesses', { name: s.name, address: s.address, city: 'Kansas City', zip: '64106', source: 'Visit', facts: [{ kind: 'phone', value: '816-555-0142', source: 'Ad' }] }),
        ),
      check: async (s, res) => {
        const won = res.filter((r) => r.statusCode === 201);
        expect(won, statusesOf(res)).toHaveLength(1);
        const lost = res.find((r) => r.statusCode !== 201)!;
        expectRefusal(lost, [409]);
        const winner = body(won[0]!);
        expect(body(lost).error).toMatchObject({ code: 'duplicate', field: 'name', details: { existing: { id: winner.id, name: s.name } } });
        const rows = await env.ctx.db.selectFrom('business').select('id').where('name', '=', s.name).execute();
        expect(rows.map((r) => r.id)).toEqual([winner.id]);
        const facts = await env.ctx.db.selectFrom('business_fact').select('id').where('business_id', '=', winner.id).execute();
        expect(facts).toHaveLength(1);
        const index = await env.ctx.db.selectFrom('record_identifier').select('record_id').where('record_type', '=', 'business').where('record_id', '=', winner.id).execute();
        expect(index.length).toBeGreaterThan(0);
        expect(await auditRows(env, 'business.create', winner.id)).toHaveLength(1);
      },
    });
  });

  it('two renames of the same version: one wins, the other is told the business changed; one former name', async () => {
    const analyst = await signedIn(world.users.analyst);
    const coordinator = await signedIn(world.users.coordinator);
    await raceRounds(roundsFor('postgres'), {
      prepare: () => insertTestBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId }),
      fire: (b) => [
        () => analyst.patch(`/api/businesses/${b.id}`, { version: 1, name: `${b.name} A`, source: 's' }),
        () => coordinator.patch(`/api/businesses/${b.id}`, { version: 1, name: `${b.name} B`, source: 's' }),
      ],
      check: async (b, res) => {
        const won = res.filter((r) => r.statusCode === 200);
        expect(won, statusesOf(res)).toHaveLength(1);
        const lost = res.find((r) => r.statusCode !== 200)!;
        expectRefusal(lost, [409]);
        expect(body(lost).error.field).toBe('version');
        const row = await env.ctx.db.selectFrom('business').select(['name', 'version']).where('id', '=', b.id).executeTakeFirstOrThrow();
        expect(row).toEqual({ name: body(won[0]!).name, version: 2 });
        const former = await env.ctx.db.selectFrom('business_fact').select('value').where('business_id', '=', b.id).where('kind', '=', 'former_name').execute();
        expect(former).toEqual([{ value: b.name }]);
        expect(await auditRows(env, 'business.update', b.id)).toHaveLength(1);
      },
    });
  });
});
