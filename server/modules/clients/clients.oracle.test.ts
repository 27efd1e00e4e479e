import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { extraUsers, type SignedIn } from '../../test/operations-fixtures.ts';
import { clientFromReferral, releaseInput } from './clients.test-support.ts';

/**
 * Without a release, no law-enforcement user can learn that a person is a client (issue #12, item 3):
 * for a client's id and a random one, every client route answers the same status, the same bytes (apart
 * from the request id) and the same headers, in the same time within noise. The same holds for an
 * advocate of another victim-services agency, who gets past the gate and whose lookup does touch the
 * database.
 */

type Client = Awaited<ReturnType<SignedIn>>;
type Route = { name: string; send: (as: Client, clientId: string, releaseId: string) => Promise<LightMyRequestResponse> };

const ROUTES: Route[] = [
  { name: 'GET /api/clients/:id', send: (as, c) => as.get(`/api/clients/${c}`) },
  { name: 'PATCH /api/clients/:id', send: (as, c) => as.patch(`/api/clients/${c}`, { version: 1, language: 'English' }) },
  { name: 'POST /api/clients/:id/services', send: (as, c) => as.post(`/api/clients/${c}/services`, { category: 'medical', providedOn: '2026-01-01' }) },
  { name: 'POST /api/clients/:id/notes', send: (as, c) => as.post(`/api/clients/${c}/notes`, { text: 'x' }) },
  { name: 'POST /api/clients/:id/documents', send: (as, c) => as.post(`/api/clients/${c}/documents`, { name: 'x.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4\n').toString('base64') }) },
  { name: 'GET /api/clients/:id/documents/:documentId', send: (as, c, r) => as.get(`/api/clients/${c}/documents/${r}`) },
  { name: 'POST /api/clients/:id/assignments', send: (as, c) => as.post(`/api/clients/${c}/assignments`, { userId: randomUUID() }) },
  { name: 'DELETE /api/clients/:id/assignments/:userId', send: (as, c, r) => as.delete(`/api/clients/${c}/assignments/${r}`) },
  { name: 'POST /api/clients/:id/releases', send: (as, c) => as.post(`/api/clients/${c}/releases`, releaseInput(randomUUID())) },
  { name: 'POST /api/releases/:id/revoke', send: (as, _c, r) => as.post(`/api/releases/${r}/revoke`, { method: 'oral' }) },
  { name: 'POST /api/releases/:id/shares', send: (as, _c, r) => as.post(`/api/releases/${r}/shares`, {}) },
  { name: 'GET /api/releases/:id/shared', send: (as, _c, r) => as.get(`/api/releases/${r}/shared`) },
];

/** Headers that differ per response whatever the id: the date and the request's own id. */
const PER_RESPONSE = new Set(['date', 'x-request-id']);
const headersOf = (res: LightMyRequestResponse) => Object.fromEntries(Object.entries(res.headers).filter(([k]) => !PER_RESPONSE.has(k.toLowerCase())));
const bytesOf = (res: LightMyRequestResponse) => res.body.replace(/"requestId":"[^"]*"/g, '"requestId":""');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Times `samples` requests for the real id and as many for random ones, interleaved (real, random,
 * random, real, …) so that load on the machine falls on both alike, after a warm-up.
 */
async function timings(send: (id: string) => Promise<LightMyRequestResponse>, realId: string, samples: number) {
  for (let i = 0; i < 30; i++) await send(i % 2 ? realId : randomUUID());
  const real: number[] = [];
  const random: number[] = [];
  const time = async (id: string, into: number[]) => {
    const t = process.hrtime.bigint();
    const res = await send(id);
    into.push(Number(process.hrtime.bigint() - t) / 1e6);
    expect(res.statusCode).toBe(404);
  };
  for (let i = 0; i < samples; i++) {
    const randomId = randomUUID();
    if (i % 2) {
      await time(realId, real);
      await time(randomId, random);
    } else {
      await time(randomId, random);
      await time(realId, real);
    }
  }
  return { real: median(real), random: median(random) };
}

/**
 * The medians of the two must be within max(2 ms, 25 % of the slower): a lookup that found the row and
 * then refused (a second query, a policy check, an audit row) costs far more than that. A loaded machine
 * can skew one measurement, so up to three are taken; one within bounds passes, a real leak fails all three.
 */
async function expectSameTiming(what: string, send: (id: string) => Promise<LightMyRequestResponse>, realId: string) {
  const seen: { real: number; random: number }[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const m = await timings(send, realId, 200);
    seen.push(m);
    if (Math.abs(m.real - m.random) < Math.max(2, 0.25 * Math.max(m.real, m.random))) return;
  }
  expect.fail(`${what}: median times for a client's id and a random one differ: ${JSON.stringify(seen)}`);
}

describeEachDatabase('a client’s id cannot be told from a random one (issue #12, item 3)', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let otherAdvocate: TestUser;
  let clientId: string;
  let releaseId: string;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    otherAdvocate = (await extraUsers(env, world)).users.otherAdvocate;
    clientId = (await clientFromReferral(signedIn, world)).id;
    const advocate = await signedIn(world.users.advocate);
    releaseId = body(await advocate.post(`/api/clients/${clientId}/releases`, releaseInput(world.agencies.partner))).id;
    expect((await advocate.post(`/api/releases/${releaseId}/shares`, {})).statusCode).toBe(201);
  });
  afterAll(() => env.close());

  for (const who of ['a police officer', 'a police coordinator', 'an advocate of another agency'] as const) {
    it(`${who}: every client route answers the same status, bytes and headers for the client’s id as for a random one`, async () => {
      const user = who === 'a police officer' ? world.users.officer : who === 'a police coordinator' ? world.users.coordinator : otherAdvocate;
      const as = await signedIn(user);
      for (const route of ROUTES) {
        const real = await route.send(as, clientId, releaseId);
        const random = await route.send(as, randomUUID(), randomUUID());
        expect(real.statusCode, `${route.name}: ${real.body}`).toBe(404);
        expect(random.statusCode, route.name).toBe(404);
        expect(bytesOf(real), route.name).toBe(bytesOf(random));
        expect(headersOf(real), route.name).toEqual(headersOf(random));
      }
    });
  }

  it('a police officer: reading a client’s record, or what was shared under a release naming another agency, takes as long for a real id as for a random one', async () => {
    const as = await signedIn(world.users.officer);
    await expectSameTiming('officer GET /api/clients/:id', (id) => as.get(`/api/clients/${id}`), clientId);
    await expectSameTiming('officer GET /api/releases/:id/shared', (id) => as.get(`/api/releases/${id}/shared`), releaseId);
  });

  it('an advocate of another agency: reading a client’s record, and revoking one of its releases, take as long for real ids as for random ones', async () => {
    const as = await signedIn(otherAdvocate);
    await expectSameTiming('other advocate GET /api/clients/:id', (id) => as.get(`/api/clients/${id}`), clientId);
    await expectSameTiming('other advocate POST /api/releases/:id/revoke', (id) => as.post(`/api/releases/${id}/revoke`, { method: 'oral' }), releaseId);
  });
});
