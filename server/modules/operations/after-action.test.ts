import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, closeOperation, handOff, minor, recordContact, suspect } from '../../test/operations-fixtures.ts';

describeEachDatabase('after-action report', (backend) => {
  let env: TestEnv;
  let world: World;
  let operationId: string;
  const cookies = new Map<string, string>();
  const signedIn = async (user: TestUser) => {
    if (!cookies.has(user.id)) cookies.set(user.id, await signIn(env, user));
    return as(env, cookies.get(user.id)!);
  };

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    const op = await activeOperation(signedIn, world);
    operationId = op.id;
    const officer = await signedIn(world.users.officer);
    for (let i = 0; i < 2; i++) await recordContact(officer, operationId, suspect({ name: 'Zebulon Fakename' }));
    await recordContact(officer, operationId, adultVictim({ disposition: 'offered_services', services: [{ service: 'food', offered: true, accepted: true }] }));
    const child = await recordContact(officer, operationId, minor({ disposition: 'protective_custody' }));
    const takenAt = env.clock.now().toISOString();
    expect((await officer.post(`/api/contacts/${child.id}/custody`, handOff(world, takenAt))).statusCode).toBe(201);
    await closeOperation(signedIn, world, operationId);
  });
  afterAll(() => env.close());

  it('renders the outcome and the timeline as a printable page, with no identity', async () => {
    const res = await (await signedIn(world.users.coordinator)).get(`/api/operations/${operationId}/after-action`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const page = res.body;
    expect(page).toContain('<h1>After-action report: ');
    expect(page).toMatch(/<th scope="row">Suspect<\/th><td class="lantern-figure">0<\/td><td class="lantern-figure">2<\/td><td class="lantern-figure">0<\/td><td class="lantern-figure">2<\/td>/);
    expect(page).toMatch(/Taken into protective custody<\/th><td class="lantern-figure">1/);
    expect(page).toContain('Person 4 taken into protective custody');
    expect(page).toContain('Operation closed');
    expect(page).not.toContain('Zebulon');
    expect(page).not.toContain('Fakename');
  });

  it('renders a tagged PDF', async () => {
    const res = await (await signedIn(world.users.analyst)).get(`/api/operations/${operationId}/after-action.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/StructTreeRoot');
    expect(pdf.toString('latin1')).toContain('/MarkInfo');
    expect(pdf.length).toBeGreaterThan(5000);
  });

  it('is refused to those who may not see the operation (404) and to anonymous callers (401)', async () => {
    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.caseworker]) {
      expect((await (await signedIn(user)).get(`/api/operations/${operationId}/after-action.pdf`)).statusCode).toBe(404);
    }
    expect((await env.app.inject({ method: 'GET', url: `/api/operations/${operationId}/after-action` })).statusCode).toBe(401);
  });
});
