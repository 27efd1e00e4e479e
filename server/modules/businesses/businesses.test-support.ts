import type { AppContext } from '../../context.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import { insertAgency, insertUser, type TestUser } from '../../test/fixtures.ts';
import type { TestEnv } from '../../test/harness.ts';
import type { Role } from '../../../common/roles.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import type { BusinessStage, OperatorKind, OperatorRole } from '../../../common/businesses.ts';
import { businessAddressKey, operatorBlind, reindexBusiness } from './businesses.identifiers.ts';
import { landlordNameBlind } from './businesses.landlords.ts';

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
  /**
   * Its history (default: one 'created' event at `at`, as entry writes it). Pass the stage changes a
   * test needs instead, or [] for none.
   */
  events?: { kind?: 'created' | 'stage'; to: BusinessStage; at: string }[];
  /** Leave the identifier index untouched (default: the business is indexed as entry indexes it). */
  skipIndex?: boolean;
  /** Write through this connection (a test's transaction; default: the context's database, in a transaction of its own). */
  db?: Queryable;
}

let counter = 0;

/**
 * Inserts a business straight into the tables, as entry would have left it (facts, sealed operators with
 * their name hashes, a 'created' event, its rows in the identifier index), without a request or an audit
 * row. The one such helper for every businesses suite (pipeline, letters, landlords, dashboard, watch):
 * their support files call it with their own defaults. Returns what was written.
 */
export async function insertTestBusiness(ctx: AppContext, t: TestBusiness) {
  counter += 1;
  const id = newId();
  const db = t.db ?? ctx.db;
  const at = t.at ?? ctx.clock.now().toISOString();
  const createdBy =
    t.createdBy ??
    (await db.selectFrom('app_user').select('id').where('agency_id', '=', t.agencyId).orderBy('id').executeTakeFirst())?.id ??
    (await db.selectFrom('app_user').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  const name = t.name ?? `Test Spa ${counter} ${id.slice(-6)}`;
  const address = t.address ?? `${100 + counter} Main St`;
  const city = t.city ?? 'Oak Grove';
  const zip = t.zip === undefined ? '64075' : t.zip;
  const addressKey = businessAddressKey({ address, city, zip }) ?? `${address.toLowerCase()} ${id}`;
  const stage = t.stage ?? 'identified';
  const version = t.version ?? 1;
  const events = t.events ?? [{ kind: 'created' as const, to: stage, at }];
  const facts = [
    ...(t.phones ?? []).map((value) => ({ kind: 'phone' as const, value })),
    ...(t.websites ?? []).map((value) => ({ kind: 'website' as const, value })),
    ...(t.handles ?? []).map((value) => ({ kind: 'handle' as const, value })),
    ...(t.formerNames ?? []).map((value) => ({ kind: 'former_name' as const, value })),
  ];
  const write = async (trx: Trx) => {
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
        version,
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
    if (events.length) {
      await trx
        .insertInto('business_event')
        .values(events.map((e) => ({ id: newId(), business_id: id, agency_id: t.agencyId, at: e.at, kind: e.kind ?? 'stage', from_stage: null, to_stage: e.to, outcome: null, actor_user_id: createdBy, detail: '{}' })))
        .execute();
    }
    if (!t.skipIndex) await reindexBusiness(trx, ctx, { id, agencyId: t.agencyId }, { name, address, city, zip, facts });
  };
  if (db.isTransaction) await write(db as Trx);
  else await db.transaction().execute(write);
  return { id, name, address, city, zip, addressKey, stage, version, createdBy };
}

/** A test landlord as the registry would store it; everything but the owner has a default. */
export interface TestLandlord {
  agencyId: string;
  taskForceId: string;
  createdBy: string;
  name?: string;
  /** Default: none. */
  agent?: string | null;
  /** Default: none. */
  mailingAddress?: string | null;
  /** Where it was found (default 'test'). */
  source?: string;
  db?: Queryable;
}

/**
 * Inserts a landlord straight into its table, as the registry stores one (sealed name, agent and mailing
 * address; the name's keyed hash), without a request or an audit row. Returns its id and name.
 */
export async function insertTestLandlord(ctx: AppContext, l: TestLandlord): Promise<{ id: string; name: string }> {
  counter += 1;
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const name = l.name ?? `Test Holdings ${counter} LLC`;
  await (l.db ?? ctx.db)
    .insertInto('landlord')
    .values({
      id,
      agency_id: l.agencyId,
      task_force_id: l.taskForceId,
      kind: 'company',
      name: seal(ctx.keyring, 'landlord', 'name', id, name),
      name_blind: landlordNameBlind(ctx, name),
      agent: seal(ctx.keyring, 'landlord', 'agent', id, l.agent ?? null),
      mailing_address: seal(ctx.keyring, 'landlord', 'mailing_address', id, l.mailingAddress ?? null),
      phone: null,
      email: null,
      source: l.source ?? 'test',
      version: 1,
      created_by: l.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, name };
}

/**
 * A prosecutor's office (the attorney general's, who sends the notice letters) joined to a task force,
 * with one user for each entry of `users`, in that order.
 */
export async function insertProsecutorOffice(env: TestEnv, taskForceId: string, name: string, users: { roles: Role[]; name: string }[]): Promise<{ agencyId: string; users: TestUser[] }> {
  const agencyId = await insertAgency(env, name, 'prosecutor');
  await env.ctx.db.insertInto('task_force_member').values({ task_force_id: taskForceId, agency_id: agencyId, joined_at: env.ctx.clock.now().toISOString() }).execute();
  const inserted: TestUser[] = [];
  for (const u of users) inserted.push(await insertUser(env, agencyId, u.roles, { name: u.name }));
  return { agencyId, users: inserted };
}
