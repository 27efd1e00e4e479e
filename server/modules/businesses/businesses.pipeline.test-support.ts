import type { AppContext } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import { blindIndex } from '../../lib/crypto.ts';
import type { BusinessTable } from '../../db/schema/index.ts';
import type { BusinessStage } from '../../../common/businesses.ts';
import type { TestEnv } from '../../test/harness.ts';
import { insertAgency, insertUser, type TestUser, type World } from '../../test/fixtures.ts';

/**
 * Businesses, indicators and landlords for the pipeline's tests, inserted as the registry would store
 * them, without going through entry (another helper's work).
 */
export interface PipelineBusiness {
  agencyId: string;
  taskForceId: string;
  createdBy: string;
  stage?: BusinessStage;
  outcome?: string | null;
  name?: string;
  address?: string;
  city?: string;
  landlordId?: string | null;
  responseDue?: string | null;
  notifiedAt?: string | null;
  version?: number;
}

let counter = 0;

export async function insertPipelineBusiness(ctx: AppContext, b: PipelineBusiness): Promise<{ id: string; version: number }> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  counter++;
  const name = b.name ?? `Test Spa ${counter}`;
  const address = b.address ?? `${100 + counter} Main St`;
  const row: BusinessTable = {
    id,
    agency_id: b.agencyId,
    task_force_id: b.taskForceId,
    name,
    name_key: name.toLowerCase(),
    address,
    city: b.city ?? 'Oak Grove',
    zip: '64075',
    county_fips: '29095',
    address_key: `${address.toLowerCase()}|oak grove|64075`,
    hours: null,
    license: '{}',
    sources: '{}',
    stage: b.stage ?? 'identified',
    outcome: b.outcome ?? null,
    version: b.version ?? 1,
    stage_changed_at: now,
    landlord_id: b.landlordId ?? null,
    notified_at: b.notifiedAt ?? null,
    response_due: b.responseDue ?? null,
    responded_at: null,
    lease_action_at: null,
    closed_at: null,
    cleared_at: null,
    cleared_by: null,
    cleared_reason: null,
    created_by: b.createdBy,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('business').values(row).execute();
  return { id, version: row.version };
}

/** One piece of evidence, stored as recording it would (sealed note). */
export async function insertIndicator(
  ctx: AppContext,
  i: { businessId: string; agencyId: string; recordedBy: string; indicator?: string; observedOn?: string; verifiedBy?: string | null; withdrawn?: boolean },
): Promise<{ id: string; version: number }> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto('business_indicator')
    .values({
      id,
      business_id: i.businessId,
      agency_id: i.agencyId,
      indicator: i.indicator ?? 'covered_windows',
      note: seal(ctx.keyring, 'business_indicator', 'note', id, 'Windows papered over from inside.'),
      observed_on: i.observedOn ?? now.slice(0, 10),
      attachment_id: null,
      recorded_by: i.recordedBy,
      recorded_at: now,
      verified_by: i.verifiedBy ?? null,
      verified_at: i.verifiedBy ? now : null,
      withdrawn_by: i.withdrawn ? i.recordedBy : null,
      withdrawn_at: i.withdrawn ? now : null,
      withdrawn_reason: i.withdrawn ? 'entered on the wrong business' : null,
      version: 1,
    })
    .execute();
  return { id, version: 1 };
}

/** A landlord from county records. */
export async function insertLandlord(ctx: AppContext, l: { agencyId: string; taskForceId: string; createdBy: string; name?: string }): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const name = l.name ?? 'Riverbend Holdings LLC';
  await ctx.db
    .insertInto('landlord')
    .values({
      id,
      agency_id: l.agencyId,
      task_force_id: l.taskForceId,
      kind: 'company',
      name: seal(ctx.keyring, 'landlord', 'name', id, name),
      name_blind: blindIndex(ctx.keyring, 'landlord', name.toLowerCase()),
      agent: null,
      mailing_address: null,
      phone: null,
      email: null,
      source: 'County assessor',
      version: 1,
      created_by: l.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** The attorney general's office: a prosecutor agency of the task force, with a coordinator and an analyst. */
export async function addAttorneyGeneral(env: TestEnv, world: World): Promise<{ agencyId: string; coordinator: TestUser; analyst: TestUser }> {
  const agencyId = await insertAgency(env, "Attorney General's Office", 'prosecutor');
  await env.ctx.db.insertInto('task_force_member').values({ task_force_id: world.taskForceId, agency_id: agencyId, joined_at: env.ctx.clock.now().toISOString() }).execute();
  return {
    agencyId,
    coordinator: await insertUser(env, agencyId, ['coordinator'], { name: 'AG Coordinator' }),
    analyst: await insertUser(env, agencyId, ['analyst'], { name: 'AG Analyst' }),
  };
}
