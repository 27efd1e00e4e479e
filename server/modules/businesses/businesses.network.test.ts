import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { newId } from '../../lib/ids.ts';
import { indexIdentifiers } from '../identifiers/identifiers.ts';
import { insertTestTip } from '../tips/queue.test-support.ts';
import { insertTestBusiness } from './businesses.test-support.ts';
import { HIDDEN_OPERATOR } from './businesses.network.ts';

/** The network view: storefronts sharing an operator, a phone, an address, a handle or a name; and a tip's links to businesses. */
describeEachDatabase('a business’s network', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  const lead = (over: Parameters<typeof insertTestBusiness>[1] extends infer T ? Partial<T> : never) =>
    insertTestBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, ...over });

  it('lists the other visible businesses and what each shares, labelled as the business’s own record holds it', async () => {
    const hub = await lead({ name: 'Hub Spa', address: '1 Hub St', zip: '64106', phones: ['816-555-0101'], handles: ['@hub_spa'], operators: [{ name: 'Ann Operator' }, { name: 'Bo Owner', role: 'owner' }] });
    // Same phone (typed differently) and the same operator: two things shared.
    const phoneAndOperator = await insertTestBusiness(env.ctx, {
      agencyId: world.agencies.partner,
      taskForceId: world.taskForceId,
      name: 'Second Spa',
      address: '2 Other St',
      phones: ['(816) 555 0101'],
      operators: [{ name: 'ANN OPERATOR' }],
    });
    // The same place (a different name): the address.
    const sameAddress = await lead({ name: 'Hub Wellness', address: '1 Hub Street', zip: '64106' });
    // A former name equal to the hub's name, and its handle with a URL form.
    const formerName = await lead({ name: 'Renamed Place', address: '3 Third St', formerNames: ['Hub Spa, LLC'], handles: ['https://www.hub_spa/'] });
    // Unrelated, and a business of the other task force sharing the phone: neither appears.
    await lead({ name: 'Unrelated Spa', address: '4 Fourth St', phones: ['816-555-0999'] });
    await insertTestBusiness(env.ctx, { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, name: 'Far Spa', phones: ['816-555-0101'], operators: [{ name: 'Ann Operator' }] });

    const analyst = await signedIn(world.users.analyst);
    const res = await analyst.get(`/api/businesses/${hub.id}/network`);
    expect(res.statusCode, res.body).toBe(200);
    const net = body(res);
    expect(net.businessId).toBe(hub.id);
    expect(net.links.map((l: { business: { id: string } }) => l.business.id).sort()).toEqual([phoneAndOperator.id, sameAddress.id, formerName.id].sort());
    const by = (id: string) => net.links.find((l: { business: { id: string } }) => l.business.id === id);
    expect(by(phoneAndOperator.id)).toEqual({
      business: { id: phoneAndOperator.id, name: 'Second Spa', address: '2 Other St', city: 'Oak Grove', stage: 'identified' },
      shared: [
        { kind: 'operator', label: 'Ann Operator' },
        { kind: 'phone', label: '816-555-0101' },
      ],
    });
    expect(by(sameAddress.id).shared).toEqual([{ kind: 'address', label: '1 Hub St, Oak Grove' }]);
    expect(by(formerName.id).shared).toEqual([
      { kind: 'business', label: 'Hub Spa' },
      { kind: 'handle', label: '@hub_spa' },
    ]);
    // Most shared first.
    expect(net.links[0].shared.length).toBe(2);
    const [audit] = await auditRows(env, 'business.network', hub.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.analyst.id, record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('Ann');

    // An officer reads the network but not operators' names: "an operator".
    const officer = body(await (await signedIn(world.users.officer)).get(`/api/businesses/${hub.id}/network`));
    const seen = officer.links.find((l: { business: { id: string } }) => l.business.id === phoneAndOperator.id);
    expect(seen.shared).toEqual([
      { kind: 'operator', label: HIDDEN_OPERATOR },
      { kind: 'phone', label: '816-555-0101' },
    ]);
    expect(JSON.stringify(officer)).not.toContain('Ann');
  });

  it('another task force, an advocate and a random id get the same 404; the other task force’s network holds only its own', async () => {
    const hub = await lead({ name: 'Lonely Spa', address: '9 Lone St', phones: ['816-555-0303'] });
    const far = await insertTestBusiness(env.ctx, { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, name: 'Far Lonely', phones: ['816-555-0303'] });
    const random = await (await signedIn(world.users.analyst)).get(`/api/businesses/${newId()}/network`);
    expect(random.statusCode).toBe(404);
    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.pio]) {
      const res = await (await signedIn(user)).get(`/api/businesses/${hub.id}/network`);
      expect(res.statusCode, user.email).toBe(404);
      expect(body(res)).toEqual(body(random));
    }
    expect(body(await (await signedIn(world.users.outsiderCoordinator)).get(`/api/businesses/${far.id}/network`)).links).toEqual([]);
    expect(body(await (await signedIn(world.users.analyst)).get(`/api/businesses/${hub.id}/network`)).links).toEqual([]);
  });

  it('a tip naming a business’s phone links to it for those who may read the business, not for the other task force', async () => {
    const shop = await lead({ name: 'Tip Linked Spa', address: '5 Link St', phones: ['816-555-0404'] });
    const tip = await insertTestTip(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId });
    await env.ctx.db.transaction().execute((trx) =>
      indexIdentifiers(trx, env.ctx, { type: 'tip', id: tip.id, parentId: tip.id, agencyId: world.agencies.lead }, [{ kind: 'phone', normalized: '8165550404' }]),
    );
    const seen = body(await (await signedIn(world.users.analyst)).get(`/api/tips/${tip.id}`));
    expect(seen.links).toEqual([{ recordType: 'business', recordId: shop.id, label: 'Tip Linked Spa', shared: [{ kind: 'phone', hint: expect.stringContaining('0404') }], strength: 'weak', open: false }]);
    // The same tip shared nowhere else; a business of another task force sharing the phone is not a link.
    await insertTestBusiness(env.ctx, { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, name: 'Far Linked', phones: ['816-555-0404'] });
    const again = body(await (await signedIn(world.users.analyst)).get(`/api/tips/${tip.id}`));
    expect(again.links.map((l: { recordId: string }) => l.recordId)).toEqual([shop.id]);
  });
});
