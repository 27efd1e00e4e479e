import type { AppContext } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import type { BusinessIndicator, BusinessStage } from '../../../common/businesses.ts';
import { insertAgency, insertUser, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import type { TestEnv } from '../../test/harness.ts';
import { landlordNameBlind } from './businesses.landlords.ts';

/**
 * Test rows for the landlord and letter suites, inserted directly (the registry's own routes are another
 * helper's work): businesses at a chosen stage, landlords, indicators, and the attorney general's office.
 */

export interface TestBusiness {
  id: string;
  name: string;
  version: number;
}

let serial = 0;

export async function insertTestBusiness(
  ctx: AppContext,
  opts: { agencyId: string; taskForceId: string; createdBy: string; stage?: BusinessStage; landlordId?: string | null; name?: string; address?: string },
): Promise<TestBusiness> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  serial++;
  const name = opts.name ?? `Golden Lotus Spa ${serial}`;
  const address = opts.address ?? `${100 + serial} Main St`;
  await ctx.db
    .insertInto('business')
    .values({
      id,
      agency_id: opts.agencyId,
      task_force_id: opts.taskForceId,
      name,
      name_key: name.toLowerCase(),
      address,
      city: 'Kansas City',
      zip: '64105',
      county_fips: '29095',
      address_key: `${address.toLowerCase()} 64105`,
      hours: null,
      license: '{}',
      sources: '{}',
      stage: opts.stage ?? 'landlord_identified',
      outcome: null,
      version: 1,
      stage_changed_at: now,
      landlord_id: opts.landlordId ?? null,
      notified_at: null,
      response_due: null,
      responded_at: null,
      lease_action_at: null,
      closed_at: null,
      cleared_at: null,
      cleared_by: null,
      cleared_reason: null,
      created_by: opts.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, name, version: 1 };
}

export async function insertTestLandlord(
  ctx: AppContext,
  opts: { agencyId: string; taskForceId: string; createdBy: string; name?: string; agent?: string | null; mailingAddress?: string | null },
): Promise<{ id: string; name: string }> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const name = opts.name ?? `Riverside Holdings ${++serial} LLC`;
  await ctx.db
    .insertInto('landlord')
    .values({
      id,
      agency_id: opts.agencyId,
      task_force_id: opts.taskForceId,
      kind: 'company',
      name: seal(ctx.keyring, 'landlord', 'name', id, name),
      name_blind: landlordNameBlind(ctx, name),
      agent: seal(ctx.keyring, 'landlord', 'agent', id, opts.agent === undefined ? 'Pat Agent' : opts.agent),
      mailing_address: seal(ctx.keyring, 'landlord', 'mailing_address', id, opts.mailingAddress === undefined ? '1 Owner Plaza, Kansas City, MO 64106' : opts.mailingAddress),
      phone: null,
      email: null,
      source: 'Jackson County assessor',
      version: 1,
      created_by: opts.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, name };
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
  const ag = await insertAgency(env, "Attorney General's Office", 'prosecutor');
  const otherAg = await insertAgency(env, 'Faraway Prosecutor', 'prosecutor');
  const now = env.ctx.clock.now().toISOString();
  await env.ctx.db
    .insertInto('task_force_member')
    .values([
      { task_force_id: world.taskForceId, agency_id: ag, joined_at: now },
      { task_force_id: world.otherTaskForceId, agency_id: otherAg, joined_at: now },
    ])
    .execute();
  return {
    ag,
    agAnalyst: await insertUser(env, ag, ['analyst'], { name: 'AG Analyst' }),
    agCoordinator: await insertUser(env, ag, ['coordinator'], { name: 'AG Coordinator' }),
    agOfficer: await insertUser(env, ag, ['officer'], { name: 'AG Officer' }),
    otherAg,
    otherAgAnalyst: await insertUser(env, otherAg, ['analyst'], { name: 'Other AG Analyst' }),
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
/** Signed-in clients (one sign-in per user) that also PUT (the shared fixture's client does not). */
export function clients(env: TestEnv) {
  const cookies = new Map<string, string>();
  return async (user: TestUser) => {
    let cookie = cookies.get(user.id);
    if (!cookie) cookies.set(user.id, (cookie = await signIn(env, user)));
    const send = (method: Method, url: string, payload?: unknown) => env.app.inject({ method, url, headers: { cookie: cookie! }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return {
      get: (url: string) => send('GET', url),
      post: (url: string, payload?: unknown) => send('POST', url, payload ?? {}),
      patch: (url: string, payload?: unknown) => send('PATCH', url, payload),
      put: (url: string, payload?: unknown) => send('PUT', url, payload),
    };
  };
}
