import type { AppContext } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import type { BusinessIndicator, BusinessStage } from '../../../common/businesses.ts';
import { signIn, type TestUser, type World } from '../../test/fixtures.ts';
import type { TestEnv } from '../../test/harness.ts';
import { insertProsecutorOffice, insertTestBusiness as insertBusiness, insertTestLandlord as insertLandlord } from './businesses.test-support.ts';

/**
 * Test rows for the landlord and letter suites, inserted directly (the registry's own routes are another
 * helper's work): businesses at a chosen stage, landlords, indicators, and the attorney general's office.
 */

export interface LetterBusiness {
  id: string;
  name: string;
  version: number;
}

let serial = 0;

/**
 * A storefront downtown (Kansas City, 64105) whose landlord is known, by default (businesses.test-support.ts
 * writes the rows).
 */
export async function insertTestBusiness(
  ctx: AppContext,
  opts: { agencyId: string; taskForceId: string; createdBy: string; stage?: BusinessStage; landlordId?: string | null; name?: string; address?: string },
): Promise<LetterBusiness> {
  serial++;
  const { id, name, version } = await insertBusiness(ctx, {
    ...opts,
    name: opts.name ?? `Golden Lotus Spa ${serial}`,
    city: 'Kansas City',
    zip: '64105',
    stage: opts.stage ?? 'landlord_identified',
  });
  return { id, name, version };
}

/** A landlord with an agent and a mailing address, by default, as found in the county's records. */
export async function insertTestLandlord(
  ctx: AppContext,
  opts: { agencyId: string; taskForceId: string; createdBy: string; name?: string; agent?: string | null; mailingAddress?: string | null },
): Promise<{ id: string; name: string }> {
  return insertLandlord(ctx, {
    ...opts,
    name: opts.name ?? `Riverside Holdings ${++serial} LLC`,
    agent: opts.agent === undefined ? 'Pat Agent' : opts.agent,
    mailingAddress: opts.mailingAddress === undefined ? '1 Owner Plaza, Kansas City, MO 64106' : opts.mailingAddress,
    source: 'Jackson County assessor',
  });
}

export async function insertTestIndicator(
  ctx: AppContext,
  opts: { businessId: string; agencyId: string; recordedBy: string; indicator: BusinessIndicator; observedOn: string; note?: string; verifiedBy?: string | null; withdrawn?: boolean },
): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto('business_indicator')
    .values({
      id,
      business_id: opts.businessId,
      agency_id: opts.agencyId,
      indicator: opts.indicator,
      note: seal(ctx.keyring, 'business_indicator', 'note', id, opts.note ?? 'Saw it myself'),
      observed_on: opts.observedOn,
      attachment_id: null,
      recorded_by: opts.recordedBy,
      recorded_at: now,
      verified_by: opts.verifiedBy ?? null,
      verified_at: opts.verifiedBy ? now : null,
      withdrawn_by: opts.withdrawn ? opts.recordedBy : null,
      withdrawn_at: opts.withdrawn ? now : null,
      withdrawn_reason: opts.withdrawn ? 'mistaken' : null,
      version: 1,
    })
    .execute();
  return id;
}

/** The attorney general's office in the test task force, and another one in the other task force. */
export interface LetterWorld {
  ag: string;
  agAnalyst: TestUser;
  agCoordinator: TestUser;
  agOfficer: TestUser;
  otherAg: string;
  otherAgAnalyst: TestUser;
}

export async function seedLetterWorld(env: TestEnv, world: World): Promise<LetterWorld> {
  const ag = await insertProsecutorOffice(env, world.taskForceId, "Attorney General's Office", [
    { roles: ['analyst'], name: 'AG Analyst' },
    { roles: ['coordinator'], name: 'AG Coordinator' },
    { roles: ['officer'], name: 'AG Officer' },
  ]);
  const otherAg = await insertProsecutorOffice(env, world.otherTaskForceId, 'Faraway Prosecutor', [{ roles: ['analyst'], name: 'Other AG Analyst' }]);
  return {
    ag: ag.agencyId,
    agAnalyst: ag.users[0]!,
    agCoordinator: ag.users[1]!,
    agOfficer: ag.users[2]!,
    otherAg: otherAg.agencyId,
    otherAgAnalyst: otherAg.users[0]!,
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
/** Signed-in clients (one sign-in per user) that also PUT (the shared fixture's client does not). */
export function clients(env: TestEnv) {
  const cookies = new Map<string, string>();
  return async (user: TestUser) => {
    let cookie = cookies.get(user.id);
    if (!cookie) cookies.set(user.id, (cookie = await signIn(env, user)));
    const send = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      env.app.inject({ method, url, headers: { ...headers, cookie: cookie! }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return {
      get: (url: string) => send('GET', url),
      post: (url: string, payload?: unknown, headers?: Record<string, string>) => send('POST', url, payload ?? {}, headers),
      patch: (url: string, payload?: unknown) => send('PATCH', url, payload),
      put: (url: string, payload?: unknown) => send('PUT', url, payload),
    };
  };
}
