import type { AppContext } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import type { BusinessStage, OperatorKind, OperatorRole } from '../../../common/businesses.ts';
import { businessAddressKey, operatorBlind, reindexBusiness } from './businesses.identifiers.ts';

/** A test business as other tests describe it; everything but the owner has a default. */
export interface TestBusiness {
  agencyId: string;
  taskForceId: string;
  stage?: BusinessStage;
  outcome?: string | null;
  name?: string;
  address?: string;
  city?: string;
  /** Default 64075 (Oak Grove, Jackson County); pass null for none. */
  zip?: string | null;
  /** Default 29095 (Jackson County, Missouri). */
  countyFips?: string;
  phones?: string[];
  websites?: string[];
  handles?: string[];
  formerNames?: string[];
  operators?: { name: string; kind?: OperatorKind; role?: OperatorRole; detail?: string }[];
  landlordId?: string | null;
  /** The account that entered it; default: any user of the agency. */
  createdBy?: string;
  /** Default: the context clock's now. */
  at?: string;
  stageChangedAt?: string;
  notifiedAt?: string | null;
  responseDue?: string | null;
  respondedAt?: string | null;
  leaseActionAt?: string | null;
  closedAt?: string | null;
  cleared?: { by: string; reason: string; at?: string };
  version?: number;
  /** Leave the identifier index untouched (default: the business is indexed as entry indexes it). */
  skipIndex?: boolean;
}

let counter = 0;

/**
 * Inserts a business straight into the tables, as entry would have left it (facts, sealed operators with
 * their name hashes, a 'created' event, its rows in the identifier index), without a request or an audit
 * row. For tests of the pipeline, letters, the dashboard and the watch. Returns the ids written.
 */
export async function insertTestBusiness(ctx: AppContext, t: TestBusiness) {
  counter += 1;
  const id = newId();
  const at = t.at ?? ctx.clock.now().toISOString();
  const createdBy =
    t.createdBy ??
    (await ctx.db.selectFrom('app_user').select('id').where('agency_id', '=', t.agencyId).orderBy('id').executeTakeFirst())?.id ??
    (await ctx.db.selectFrom('app_user').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  const name = t.name ?? `Test Spa ${counter} ${id.slice(-6)}`;
  const address = t.address ?? `${100 + counter} Main St`;
  const city = t.city ?? 'Oak Grove';
  const zip = t.zip === undefined ? '64075' : t.zip;
  const addressKey = businessAddressKey({ address, city, zip }) ?? `${address.toLowerCase()} ${id}`;
  const stage = t.stage ?? 'identified';
  const facts = [
    ...(t.phones ?? []).map((value) => ({ kind: 'phone' as const, value })),
    ...(t.websites ?? []).map((value) => ({ kind: 'website' as const, value })),
    ...(t.handles ?? []).map((value) => ({ kind: 'handle' as const, value })),
    ...(t.formerNames ?? []).map((value) => ({ kind: 'former_name' as const, value })),
  ];
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('business')
      .values({
        id,
        agency_id: t.agencyId,
        task_force_id: t.taskForceId,
        name,
        name_key: normalizeIdentifier('business', name) ?? name.toLowerCase(),
        address,
        city,
        zip,
        county_fips: t.countyFips ?? '29095',
        address_key: addressKey,
        hours: null,
        license: '{}',
        sources: JSON.stringify({ name: 'test', address: 'test' }),
        stage,
        outcome: t.outcome ?? null,
        version: t.version ?? 1,
        stage_changed_at: t.stageChangedAt ?? at,
        landlord_id: t.landlordId ?? null,
        notified_at: t.notifiedAt ?? null,
        response_due: t.responseDue ?? null,
        responded_at: t.respondedAt ?? null,
        lease_action_at: t.leaseActionAt ?? null,
        closed_at: t.closedAt ?? null,
        cleared_at: t.cleared ? (t.cleared.at ?? at) : null,
        cleared_by: t.cleared?.by ?? null,
        cleared_reason: t.cleared?.reason ?? null,
        created_by: createdBy,
        created_at: at,
        updated_at: at,
      })
      .execute();
    if (facts.length) {
      await trx
        .insertInto('business_fact')
        .values(facts.map((f) => ({ id: newId(), business_id: id, agency_id: t.agencyId, kind: f.kind, value: f.value, source: 'test', recorded_by: createdBy, recorded_at: at })))
        .execute();
    }
    for (const o of t.operators ?? []) {
      const operatorId = newId();
      await trx
        .insertInto('business_operator')
        .values({
          id: operatorId,
          business_id: id,
          agency_id: t.agencyId,
          kind: o.kind ?? 'person',
          role: o.role ?? 'operator',
          name: seal(ctx.keyring, 'business_operator', 'name', operatorId, o.name),
          name_blind: operatorBlind(ctx, o.name),
          detail: seal(ctx.keyring, 'business_operator', 'detail', operatorId, o.detail ?? null),
          source: 'test',
          recorded_by: createdBy,
          recorded_at: at,
        })
        .execute();
    }
    await trx
      .insertInto('business_event')
      .values({ id: newId(), business_id: id, agency_id: t.agencyId, at, kind: 'created', from_stage: null, to_stage: stage, outcome: null, actor_user_id: createdBy, detail: '{}' })
      .execute();
    if (!t.skipIndex) await reindexBusiness(trx, ctx, { id, agencyId: t.agencyId }, { name, address, city, zip, facts });
  });
  return { id, name, address, city, zip, addressKey, stage, createdBy };
}
