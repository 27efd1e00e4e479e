import type { AppContext } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import type { TestEnv } from '../../test/harness.ts';
import type { TestUser, World } from '../../test/fixtures.ts';
import { insertProsecutorOffice, insertTestBusiness, insertTestLandlord, type TestBusiness } from './businesses.test-support.ts';

/**
 * Businesses, indicators and landlords for the pipeline's tests, inserted as the registry would store
 * them, without going through entry (businesses.test-support.ts writes the rows).
 */
export type PipelineBusiness = TestBusiness & { createdBy: string };

/** A business with no 'created' event: the pipeline's suites read back a history of only the events they make. */
export async function insertPipelineBusiness(ctx: AppContext, b: PipelineBusiness): Promise<{ id: string; version: number }> {
  const { id, version } = await insertTestBusiness(ctx, { ...b, events: [] });
  return { id, version };
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
  return (await insertTestLandlord(ctx, { name: 'Riverbend Holdings LLC', source: 'County assessor', ...l })).id;
}

/** The attorney general's office: a prosecutor agency of the task force, with a coordinator and an analyst. */
export async function addAttorneyGeneral(env: TestEnv, world: World): Promise<{ agencyId: string; coordinator: TestUser; analyst: TestUser }> {
  const { agencyId, users } = await insertProsecutorOffice(env, world.taskForceId, "Attorney General's Office", [
    { roles: ['coordinator'], name: 'AG Coordinator' },
    { roles: ['analyst'], name: 'AG Analyst' },
  ]);
  return { agencyId, coordinator: users[0]!, analyst: users[1]! };
}
