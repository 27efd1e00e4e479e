import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { PART2_NOTICE } from '../../../common/part2.ts';
import { clientFromReferral, releaseInput } from './clients.test-support.ts';

describeEachDatabase('advocates’ compartment (issue #12)', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  it('an advocate opens a client from an accepted referral, records a service, takes a release, shares; the recipient reads exactly that scope until it is revoked', async () => {
    const advocate = await signedIn(world.users.advocate);
    const client = await clientFromReferral(signedIn, world);
    expect(client).toMatchObject({ name: 'Rosa', phone: '(816) 555-0142', intake: 'referral', status: 'open', needs: ['emergency_shelter', 'mental_health'] });
    const stored = await env.ctx.db.selectFrom('client').selectAll().where('id', '=', client.id).executeTakeFirstOrThrow();
    expect(stored.name).toMatch(/^enc1\./);

    expect((await advocate.post(`/api/clients/${client.id}/services`, { category: 'emergency_shelter', providedOn: env.clock.now().toISOString().slice(0, 10) })).statusCode).toBe(201);
    expect((await advocate.post(`/api/clients/${client.id}/services`, { category: 'substance_use_treatment', providedOn: env.clock.now().toISOString().slice(0, 10) })).statusCode).toBe(201);

    const taken = await advocate.post(`/api/clients/${client.id}/releases`, releaseInput(world.agencies.lead));
    expect(taken.statusCode, taken.body).toBe(201);
    const release = body(taken);
    expect(Date.parse(release.expiresAt) - Date.parse(release.startsAt)).toBe(90 * 86_400_000);

    const recipient = await signedIn(world.users.coordinator);
    expect((await recipient.get(`/api/releases/${release.id}/shared`)).statusCode).toBe(404);
    expect((await advocate.post(`/api/releases/${release.id}/shares`, {})).statusCode).toBe(201);
    const read = await recipient.get(`/api/releases/${release.id}/shared`);
    expect(read.statusCode, read.body).toBe(200);
    const extract = body(read);
    expect(extract).toMatchObject({ subject: 'Rosa', contactDetails: null, statement: null, substanceUse: null, part2Notice: null });
    expect(extract.serviceStatus.services.map((s: { category: string }) => s.category)).toEqual(['emergency_shelter']);
    expect(JSON.stringify(extract)).not.toContain('555');

    // Another agency's user, and the right agency's user through a client route: 404 both.
    expect((await (await signedIn(world.users.partnerOfficer)).get(`/api/releases/${release.id}/shared`)).statusCode).toBe(404);
    for (const path of ['/api/clients', `/api/clients/${client.id}`]) expect((await recipient.get(path)).statusCode).toBe(404);

    expect((await advocate.post(`/api/releases/${release.id}/revoke`, { method: 'oral' })).statusCode).toBe(200);
    expect((await recipient.get(`/api/releases/${release.id}/shared`)).statusCode).toBe(404);
    expect((await advocate.post(`/api/releases/${release.id}/shares`, {})).statusCode).toBe(409);
  });

  it('substance-use treatment is shared only under a release naming it, with the Part 2 notice', async () => {
    const advocate = await signedIn(world.users.advocate);
    const client = await clientFromReferral(signedIn, world);
    await advocate.post(`/api/clients/${client.id}/services`, { category: 'substance_use_treatment', providedOn: env.clock.now().toISOString().slice(0, 10) });
    const release = body(await advocate.post(`/api/clients/${client.id}/releases`, releaseInput(world.agencies.lead, { scopes: ['service_status', 'substance_use'] })));
    expect((await advocate.post(`/api/releases/${release.id}/shares`, {})).statusCode).toBe(201);
    const extract = body(await (await signedIn(world.users.coordinator)).get(`/api/releases/${release.id}/shared`));
    expect(extract.substanceUse.services.map((s: { category: string }) => s.category)).toEqual(['substance_use_treatment']);
    expect(extract.part2Notice.statement).toBe(PART2_NOTICE);
  });
});
