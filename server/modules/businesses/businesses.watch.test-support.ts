import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../db/database.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import { addressKey, normalizeIdentifier } from '../../../common/identifiers.ts';
import type { BusinessStage } from '../../../common/businesses.ts';
import type { IdentifierKind } from '../../../common/tips.ts';

/** The keyed hash the watch compares an operator's name by (the registry writes the same into `name_blind`). */
export const operatorBlind = (ctx: AppContext, name: string) => blindIndex(ctx.keyring, 'operator', name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' '));

export interface TestBusiness {
  agencyId: string;
  taskForceId: string;
  createdBy: string;
  name?: string;
  address?: string;
  city?: string;
  zip?: string;
  countyFips?: string;
  stage?: BusinessStage;
  phones?: string[];
  handles?: string[];
  operators?: string[];
  landlordId?: string | null;
  notifiedAt?: string | null;
  respondedAt?: string | null;
  leaseActionAt?: string | null;
  closedAt?: string | null;
  /** Stage events to write (to_stage, at). */
  events?: { to: BusinessStage; at: string }[];
}

let counter = 0;

/**
 * A business written straight into the tables (the registry's service is another helper's work): its
 * row, its phones and handles as facts, its identifiers in the shared index (address, phones, handles,
 * name) with the hashes the tips use, and its operators with their name hashes.
 */
export async function insertTestBusiness(db: Queryable, ctx: AppContext, b: TestBusiness): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  counter += 1;
  const name = b.name ?? `Test Spa ${counter}`;
  const address = b.address ?? `${100 + counter} Main St`;
  const city = b.city ?? 'Oak Grove';
  const zip = b.zip ?? '64075';
  await db
    .insertInto('business')
    .values({
      id,
      agency_id: b.agencyId,
      task_force_id: b.taskForceId,
      name,
      name_key: normalizeIdentifier('business', name) ?? name.toLowerCase(),
      address,
      city,
      zip,
      county_fips: b.countyFips ?? '29095',
      address_key: addressKey({ address, city, zip }) ?? address.toLowerCase(),
      hours: null,
      license: '{}',
      sources: '{}',
      stage: b.stage ?? 'identified',
      outcome: null,
      version: 1,
      stage_changed_at: now,
      landlord_id: b.landlordId ?? null,
      notified_at: b.notifiedAt ?? null,
      response_due: null,
      responded_at: b.respondedAt ?? null,
      lease_action_at: b.leaseActionAt ?? null,
      closed_at: b.closedAt ?? null,
      cleared_at: null,
      cleared_by: null,
      cleared_reason: null,
      created_by: b.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const identifiers: { kind: IdentifierKind; normalized: string | null }[] = [
    { kind: 'address', normalized: addressKey({ address, city, zip }) },
    { kind: 'business', normalized: normalizeIdentifier('business', name) },
    ...(b.phones ?? []).map((p) => ({ kind: 'phone' as const, normalized: normalizeIdentifier('phone', p) })),
    ...(b.handles ?? []).map((h) => ({ kind: 'handle' as const, normalized: normalizeIdentifier('handle', h) })),
  ];
  const rows = identifiers
    .filter((i): i is { kind: IdentifierKind; normalized: string } => i.normalized !== null)
    .map((i) => ({ id: newId(), record_type: 'business', record_id: id, parent_id: id, agency_id: b.agencyId, kind: i.kind, blind: blindIndex(ctx.keyring, i.kind, i.normalized), created_at: now, hint: null }));
  if (rows.length) await db.insertInto('record_identifier').values(rows).execute();
  const facts = [...(b.phones ?? []).map((value) => ({ kind: 'phone', value })), ...(b.handles ?? []).map((value) => ({ kind: 'handle', value }))];
  if (facts.length) {
    await db
      .insertInto('business_fact')
      .values(facts.map((f) => ({ id: newId(), business_id: id, agency_id: b.agencyId, kind: f.kind, value: f.value, source: 'test', recorded_by: b.createdBy, recorded_at: now })))
      .execute();
  }
  for (const op of b.operators ?? []) {
    const opId = newId();
    await db
      .insertInto('business_operator')
      .values({
        id: opId,
        business_id: id,
        agency_id: b.agencyId,
        kind: 'person',
        role: 'operator',
        name: seal(ctx.keyring, 'business_operator', 'name', opId, op),
        name_blind: operatorBlind(ctx, op),
        detail: null,
        source: 'test',
        recorded_by: b.createdBy,
        recorded_at: now,
      })
      .execute();
  }
  if (b.events?.length) {
    await db
      .insertInto('business_event')
      .values(b.events.map((e) => ({ id: newId(), business_id: id, agency_id: b.agencyId, at: e.at, kind: 'stage', from_stage: null, to_stage: e.to, outcome: null, actor_user_id: b.createdBy, detail: '{}' })))
      .execute();
  }
  return id;
}

/** A landlord row for the summary's counts. */
export async function insertTestLandlord(db: Queryable, ctx: AppContext, l: { agencyId: string; taskForceId: string; createdBy: string }): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await db
    .insertInto('landlord')
    .values({
      id,
      agency_id: l.agencyId,
      task_force_id: l.taskForceId,
      kind: 'company',
      name: seal(ctx.keyring, 'landlord', 'name', id, 'Test Holdings LLC'),
      name_blind: blindIndex(ctx.keyring, 'landlord', id),
      agent: null,
      mailing_address: null,
      phone: null,
      email: null,
      source: 'test',
      version: 1,
      created_by: l.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
