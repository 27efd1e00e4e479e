import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { blindIndex } from '../../lib/crypto.ts';
import type { Tx } from '../../audit/audit.ts';
import type { WatchedSource } from './businesses.watch.ts';
import { insertTestBusiness } from './businesses.test-support.ts';
import { operatorBlind } from './businesses.identifiers.ts';

/** What the re-opening watch was handed, and whether the business was already written in that transaction. */
const calls = vi.hoisted(() => [] as { source: WatchedSource; rowInTx: boolean }[]);
vi.mock('./businesses.watch.ts', () => ({
  watchForReopening: async (tx: Tx, _ctx: unknown, source: WatchedSource) => {
    const row = await tx.db.selectFrom('business').select('id').where('id', '=', source.id).executeTakeFirst();
    calls.push({ source, rowInTx: !!row });
    return 0;
  },
}));

/** Entry, new facts and new operators hand their identifiers to the re-opening watch, in their own transaction. */
describeEachDatabase('the registry calls the re-opening watch', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  it('entry hands over the phone, address and name hashes and the operators’ name hashes', async () => {
    calls.length = 0;
    const res = await (await signedIn(world.users.analyst)).post('/api/businesses', {
      name: 'Watched Spa',
      address: '40 Watch St',
      city: 'Kansas City',
      zip: '64106',
      source: 'Visit',
      facts: [{ kind: 'phone', value: '816-555-0150', source: 'Ad' }],
      operators: [{ kind: 'person', role: 'owner', name: 'Sun Li', source: 'Deed' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = body(res).id;
    expect(calls).toHaveLength(1);
    const [{ source, rowInTx }] = calls as [(typeof calls)[number]];
    expect(rowInTx).toBe(true);
    expect(source).toMatchObject({ type: 'business', id, parentId: id, agencyId: world.agencies.lead });
    expect(source.blinds).toEqual(
      expect.arrayContaining([
        { kind: 'phone', blind: blindIndex(env.ctx.keyring, 'phone', '8165550150') },
        { kind: 'business', blind: blindIndex(env.ctx.keyring, 'business', 'watched spa') },
        { kind: 'address', blind: blindIndex(env.ctx.keyring, 'address', '40 watch st 64106') },
        { kind: 'operator', blind: operatorBlind(env.ctx, 'Sun Li') },
      ]),
    );
    expect(source.blinds).toHaveLength(4);
  });

  it('a new fact hands over its own hash; a new operator its name hash', async () => {
    const t = await insertTestBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId });
    const analyst = await signedIn(world.users.analyst);
    calls.length = 0;
    expect((await analyst.post(`/api/businesses/${t.id}/facts`, { kind: 'website', value: 'https://spa.example/ads?x=1', source: 's' })).statusCode).toBe(201);
    expect((await analyst.post(`/api/businesses/${t.id}/operators`, { kind: 'company', role: 'owner', name: 'Sun Holdings LLC', source: 's' })).statusCode).toBe(201);
    expect(calls.map((c) => c.source.blinds)).toEqual([
      [{ kind: 'handle', blind: blindIndex(env.ctx.keyring, 'handle', 'spa.example/ads') }],
      [{ kind: 'operator', blind: operatorBlind(env.ctx, 'Sun Holdings') }],
    ]);
  });
});
