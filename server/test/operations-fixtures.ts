import { body, type TestEnv } from './harness.ts';
import { as, insertAgency, insertUser, signIn, type TestUser, type World } from './fixtures.ts';

/** Oak Grove, Missouri (Jackson County, FIPS 29095): a point inside the county. */
export const OAK_GROVE = { label: 'Motel, 1400 block of S Broadway St', countyFips: '29095', lat: 38.966, lng: -94.129 };

export type Client = ReturnType<typeof as>;
export type SignedIn = (user: TestUser) => Promise<Client>;

/** Plans made so far in each world: kept per world, since test files can share this module (vitest.config.ts). */
const planned = new WeakMap<World, number>();

/**
 * A plan in the shape of `planOperationInput`: the world's lead agency leads, the partner police take
 * part, the advocates and the Children's Division join as victim services and child welfare, and the
 * lead officer and partner officer are assigned (the planning coordinator is assigned too). Each plan
 * gets its own evening, two days apart, so plans never conflict with each other.
 */
export function planInput(world: World, over: Record<string, unknown> = {}) {
  const n = planned.get(world) ?? 0;
  planned.set(world, n + 1);
  const start = Date.parse('2026-03-02T00:00:00.000Z') + n * 2 * 86_400_000;
  return {
    taskForceId: world.taskForceId,
    name: `Operation Lantern Test ${n + 1}`,
    type: 'buyer_sting',
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 8 * 3_600_000).toISOString(),
    locations: [OAK_GROVE],
    participants: [
      { agencyId: world.agencies.partner, role: 'participant' },
      { agencyId: world.agencies.advocates, role: 'victim_services' },
      { agencyId: world.agencies.childWelfare, role: 'child_welfare' },
    ],
    commander: { name: 'Sgt. Test Commander', phone: '(816) 555-0100' },
    subjects: [],
    briefing: 'Staging at the church lot; radio channel 3.',
    assignedUserIds: [world.users.officer.id, world.users.partnerOfficer.id],
    ...over,
  };
}

function expectOk(res: { statusCode: number; body: string }, status: number, what: string) {
  if (res.statusCode !== status) throw new Error(`${what}: expected ${status}, got ${res.statusCode} ${res.body}`);
}

/** Plans an operation as the world's coordinator, leaving it a draft. Returns the operation DTO. */
export async function draftOperation(signedIn: SignedIn, world: World, over: Record<string, unknown> = {}) {
  const coordinator = await signedIn(world.users.coordinator);
  const res = await coordinator.post('/api/operations', planInput(world, over));
  expectOk(res, 201, 'plan operation');
  return body(res);
}

/** Plans, approves and activates an operation through the API. Returns the operation DTO (active). */
export async function activeOperation(signedIn: SignedIn, world: World, over: Record<string, unknown> = {}) {
  const draft = await draftOperation(signedIn, world, over);
  const coordinator = await signedIn(world.users.coordinator);
  expectOk(await coordinator.post(`/api/operations/${draft.id}/approve`), 200, 'approve operation');
  const res = await coordinator.post(`/api/operations/${draft.id}/activate`);
  expectOk(res, 200, 'activate operation');
  return body(res);
}

/** Closes a running operation as the world's coordinator. */
export async function closeOperation(signedIn: SignedIn, world: World, operationId: string) {
  const res = await (await signedIn(world.users.coordinator)).post(`/api/operations/${operationId}/close`);
  expectOk(res, 200, 'close operation');
  return body(res);
}

/** A contact body: an adult woman, potential victim, no identity, unless overridden. */
export const adultVictim = (over: Record<string, unknown> = {}) => ({ role: 'adult_victim', sex: 'female', ageBand: '25_to_34', ...over });
export const suspect = (over: Record<string, unknown> = {}) => ({ role: 'suspect', suspectType: 'buyer', sex: 'male', ageBand: '35_to_49', disposition: 'detained', ...over });
export const minor = (over: Record<string, unknown> = {}) => ({ role: 'minor', sex: 'female', ageBand: 'under_5', estimatedAge: 3, ...over });

/** Records a contact and returns its DTO, failing loudly on anything but 201. */
export async function recordContact(client: Client, operationId: string, contact: Record<string, unknown>) {
  const res = await client.post(`/api/operations/${operationId}/contacts`, contact);
  expectOk(res, 201, 'record contact');
  return body(res);
}

/** A hand-off body for a child taken into custody at `takenAt`. */
export const handOff = (world: World, takenAt: string, over: Record<string, unknown> = {}) => ({
  takenAt,
  reason: 'trafficking_victim',
  juvenileOfficerNotifiedAt: takenAt,
  childrensDivisionNotifiedAt: takenAt,
  toAgencyId: world.agencies.childWelfare,
  ...over,
});

/** A referral body with consent, for the world's advocates. */
export const referral = (world: World, over: Record<string, unknown> = {}) => ({
  toAgencyId: world.agencies.advocates,
  firstName: 'Rosa',
  language: 'Spanish',
  services: ['lodging', 'counseling'],
  safeContact: 'Text only, (816) 555-0142; never call after 6 pm',
  consent: true,
  callbackPhone: '816-235-0199',
  ...over,
});

/** Users beyond the world's: a lead coordinator who is not assigned, and a second child-welfare and victim-services agency. */
export async function extraUsers(env: TestEnv, world: World) {
  const otherAdvocates = await insertAgency(env, 'Another Advocates Group', 'victim_services');
  const otherChildWelfare = await insertAgency(env, 'Neighbouring County Children Services', 'child_welfare');
  await env.ctx.db
    .insertInto('task_force_member')
    .values([otherAdvocates, otherChildWelfare].map((agency_id) => ({ task_force_id: world.taskForceId, agency_id, joined_at: env.clock.now().toISOString() })))
    .execute();
  return {
    agencies: { otherAdvocates, otherChildWelfare },
    users: {
      unassignedCoordinator: await insertUser(env, world.agencies.lead, ['coordinator'], { name: 'Unassigned Coordinator' }),
      otherAdvocate: await insertUser(env, otherAdvocates, ['advocate']),
      otherCaseworker: await insertUser(env, otherChildWelfare, ['caseworker']),
      advocateAdmin: await insertUser(env, world.agencies.advocates, ['admin']),
      caseworkerAnalyst: await insertUser(env, world.agencies.childWelfare, ['analyst']),
    },
  };
}

/** A new session, for tests that move the clock past the session idle timeout. */
export async function freshClient(env: TestEnv, user: TestUser) {
  return as(env, await signIn(env, user));
}
