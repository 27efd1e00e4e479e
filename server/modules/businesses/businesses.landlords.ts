import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import type { LandlordRow } from '../../db/schema/index.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import { BUSINESS_TRANSITIONS, type BusinessStage } from '../../../common/businesses.ts';
import type { landlordContactInput, LandlordDto, LandlordInput, setLandlordInput, stageChanged } from '../../../common/schemas/businesses.ts';
import { businessAccess, worksCampaign } from './businesses.access.ts';
import { businessPolicy } from './businesses.policy.ts';
import { advanceStage } from './businesses.pipeline.ts';
import { businessRecord, findVisibleBusiness, visibleBusinesses } from './businesses.queries.ts';

/**
 * Landlords (issue #11, item 3): the property owner and their agent, entered by campaign staff from county
 * records, with the contact history and the owner's other properties in the registry. A landlord belongs
 * to the campaign's task force; their details are sealed at rest, read only by the task force's campaign
 * staff (every read audited) and never in any public output.
 */

export const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

/** The keyed hash that finds the same owner entered again ("Acme Holdings, LLC" = "ACME HOLDINGS"). */
export function landlordNameBlind(ctx: AppContext, name: string): string {
  const normal = normalizeIdentifier('business', name) ?? name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  return blindIndex(ctx.keyring, 'landlord', normal);
}

/** A landlord's task force seen as the rules see a business of it (the landlord grants are the campaign's). */
const asRecord = (row: Pick<LandlordRow, 'id' | 'agency_id' | 'task_force_id'>) => ({ id: row.id, agencyId: row.agency_id, taskForceId: row.task_force_id, stage: 'landlord_identified' as BusinessStage });

/** Whether the actor is campaign staff of the landlord's task force: the only ones who may read or edit one. */
export const mayReadLandlord = (actor: Actor, row: Pick<LandlordRow, 'id' | 'agency_id' | 'task_force_id'>) => businessAccess.campaignMember.allows(actor, asRecord(row));

/** A landlord the actor may read, or undefined (404: not found and not theirs look the same). */
export async function findReadableLandlord(db: Queryable, actor: Actor, id: string): Promise<LandlordRow | undefined> {
  if (!actor.taskForceIds.length) return undefined;
  const row = await db.selectFrom('landlord').selectAll().where('id', '=', id).where('task_force_id', 'in', actor.taskForceIds).executeTakeFirst();
  return row && mayReadLandlord(actor, row) ? row : undefined;
}

export function unsealLandlord(ctx: AppContext, row: LandlordRow) {
  const u = (column: 'name' | 'agent' | 'mailing_address' | 'phone' | 'email') => unseal(ctx.keyring, 'landlord', column, row.id, row[column]);
  return { name: u('name') ?? '', agent: u('agent'), mailingAddress: u('mailing_address'), phone: u('phone'), email: u('email') };
}

/** The actor's task force a new landlord joins: their only one, or the first they belong to. */
function taskForceFor(actor: Actor): string {
  const tf = actor.taskForceIds[0];
  if (!tf || !worksCampaign(actor)) throw forbidden('Only the campaign staff of a task force enter landlords.');
  return tf;
}

const blankToNull = (v: string | undefined) => (v === undefined || v === '' ? null : v);

async function insertLandlord(ctx: AppContext, tx: Tx, actor: Actor, taskForceId: string, input: LandlordInput): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const s = (column: string, v: string | null) => seal(ctx.keyring, 'landlord', column, id, v);
  await tx.db
    .insertInto('landlord')
    .values({
      id,
      agency_id: actor.agencyId,
      task_force_id: taskForceId,
      kind: input.kind,
      name: s('name', input.name)!,
      name_blind: landlordNameBlind(ctx, input.name),
      agent: s('agent', blankToNull(input.agent)),
      mailing_address: s('mailing_address', blankToNull(input.mailingAddress)),
      phone: s('phone', blankToNull(input.phone)),
      email: s('email', blankToNull(input.email)),
      source: input.source,
      version: 1,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  tx.audit({ action: 'business.updateLandlord', recordType: 'landlord', recordId: id, recordAgencyId: actor.agencyId, detail: { step: 'created', kind: input.kind } });
  return id;
}

/** POST /api/landlords: a property owner entered from county records, in the actor's task force. */
export async function createLandlord(ctx: AppContext, actor: Actor, input: LandlordInput, meta: RequestMeta): Promise<LandlordDto> {
  const taskForceId = taskForceFor(actor);
  const id = await ctx.audit.transact(who(actor, meta), (tx) => insertLandlord(ctx, tx, actor, taskForceId, input));
  return getLandlord(ctx, actor, id, meta);
}

/** GET /api/landlords?name=: the owners of that exact (normalised) name in the actor's task forces, to pick one. */
export async function findLandlordsByName(ctx: AppContext, actor: Actor, name: string, meta: RequestMeta): Promise<{ id: string; label: string }[]> {
  if (!worksCampaign(actor)) throw forbidden('Only the campaign staff look up landlords.');
  const rows = await ctx.db
    .selectFrom('landlord')
    .selectAll()
    .where('name_blind', '=', landlordNameBlind(ctx, name))
    .where('task_force_id', 'in', actor.taskForceIds)
    .orderBy('created_at')
    .limit(20)
    .execute();
  const readable = rows.filter((r) => mayReadLandlord(actor, r));
  if (readable.length) {
    await ctx.audit.transact(who(actor, meta), async (tx) => {
      for (const r of readable) tx.audit({ action: 'business.readLandlord', recordType: 'landlord', recordId: r.id, recordAgencyId: r.agency_id, detail: { step: 'lookup' } });
    });
  }
  return readable.map((r) => {
    const l = unsealLandlord(ctx, r);
    return { id: r.id, label: [l.name, l.agent ? `agent ${l.agent}` : null, l.mailingAddress].filter(Boolean).join(' — ') };
  });
}

/** GET /api/landlords/:id: the owner, their agent, contacts, and the properties the actor may see. */
export async function getLandlord(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<LandlordDto> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await findReadableLandlord(tx.db, actor, id);
    if (!row) throw notFound('landlord');
    tx.audit({ action: 'business.readLandlord', recordType: 'landlord', recordId: row.id, recordAgencyId: row.agency_id });
    return landlordDto(ctx, tx.db, actor, row);
  });
}

async function landlordDto(ctx: AppContext, db: Queryable, actor: Actor, row: LandlordRow): Promise<LandlordDto> {
  const properties = await visibleBusinesses(db, actor).select(['b.id', 'b.name', 'b.address', 'b.city', 'b.stage']).where('b.landlord_id', '=', row.id).orderBy('b.name').orderBy('b.id').execute();
  const contacts = await db
    .selectFrom('landlord_contact as c')
    .innerJoin('app_user as u', 'u.id', 'c.recorded_by')
    .select(['c.id', 'c.at', 'c.channel', 'c.direction', 'c.note', 'c.business_id', 'u.display_name'])
    .where('c.landlord_id', '=', row.id)
    .orderBy('c.at', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
  const l = unsealLandlord(ctx, row);
  return {
    id: row.id,
    kind: row.kind,
    ...l,
    source: row.source,
    properties: properties.map((p) => ({ id: p.id, name: p.name, address: p.address, city: p.city, stage: p.stage as BusinessStage })),
    contacts: contacts.map((c) => ({
      id: c.id,
      at: c.at,
      channel: c.channel,
      direction: c.direction,
      note: unseal(ctx.keyring, 'landlord_contact', 'note', c.id, c.note),
      by: c.display_name,
      businessId: c.business_id,
    })),
    version: row.version,
    abilities: { 'business.updateLandlord': mayReadLandlord(actor, row) },
  };
}

/** PATCH /api/landlords/:id: corrected details, with the version read. */
export async function updateLandlord(ctx: AppContext, actor: Actor, id: string, input: Partial<LandlordInput> & { version: number }, meta: RequestMeta): Promise<LandlordDto> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await findReadableLandlord(tx.db, actor, id);
    if (!row) throw notFound('landlord');
    const s = (column: string, v: string | undefined) => seal(ctx.keyring, 'landlord', column, id, blankToNull(v));
    const set: Record<string, unknown> = {};
    if (input.kind !== undefined) set.kind = input.kind;
    if (input.name !== undefined) {
      set.name = s('name', input.name);
      set.name_blind = landlordNameBlind(ctx, input.name);
    }
    if (input.agent !== undefined) set.agent = s('agent', input.agent);
    if (input.mailingAddress !== undefined) set.mailing_address = s('mailing_address', input.mailingAddress);
    if (input.phone !== undefined) set.phone = s('phone', input.phone);
    if (input.email !== undefined) set.email = s('email', input.email);
    if (input.source !== undefined) set.source = input.source;
    const changedFields = Object.keys(set).filter((k) => k !== 'name_blind');
    const res = await tx.db
      .updateTable('landlord')
      .set({ ...set, version: row.version + 1, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw conflict(`This landlord was changed by someone else (it is now at version ${row.version}); reload and try again.`, 'version');
    tx.audit({ action: 'business.updateLandlord', recordType: 'landlord', recordId: id, recordAgencyId: row.agency_id, changedFields, detail: { step: 'updated' } });
    const fresh = await tx.db.selectFrom('landlord').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return landlordDto(ctx, tx.db, actor, fresh);
  });
}

type ContactInput = z.infer<typeof landlordContactInput>;

/** Writes one contact with a landlord (the caller's transaction). */
export async function insertContact(ctx: AppContext, tx: Tx, actor: Actor, landlordId: string, contact: ContactInput): Promise<string> {
  const id = newId();
  await tx.db
    .insertInto('landlord_contact')
    .values({
      id,
      landlord_id: landlordId,
      business_id: contact.businessId ?? null,
      agency_id: actor.agencyId,
      at: new Date(contact.at).toISOString(),
      channel: contact.channel,
      direction: contact.direction,
      note: seal(ctx.keyring, 'landlord_contact', 'note', id, contact.note),
      recorded_by: actor.userId,
    })
    .execute();
  return id;
}

/** POST /api/landlords/:id/contacts: a call, email, visit or letter, with a sealed note. */
export async function addLandlordContact(ctx: AppContext, actor: Actor, id: string, input: ContactInput, meta: RequestMeta): Promise<LandlordDto> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await findReadableLandlord(tx.db, actor, id);
    if (!row) throw notFound('landlord');
    if (input.businessId) {
      const business = await findVisibleBusiness(tx.db, actor, input.businessId);
      if (!business || business.landlord_id !== id) throw invalid('businessId', 'must be a business of this landlord');
    }
    const contactId = await insertContact(ctx, tx, actor, id, input);
    tx.audit({ action: 'business.updateLandlord', recordType: 'landlord', recordId: id, recordAgencyId: row.agency_id, detail: { step: 'contact', contactId, channel: input.channel, direction: input.direction } });
    return landlordDto(ctx, tx.db, actor, row);
  });
}

type SetLandlord = z.infer<typeof setLandlordInput>;
type StageChanged = z.infer<typeof stageChanged>;

/**
 * PUT /api/businesses/:id/landlord: the business's landlord, an existing one of its task force or a new
 * one entered now. A verified business moves on to `landlord_identified` in the same transaction.
 */
export async function setBusinessLandlord(ctx: AppContext, actor: Actor, businessId: string, input: SetLandlord, meta: RequestMeta): Promise<StageChanged> {
  if (!input.landlordId === !input.landlord) throw invalid(input.landlordId ? 'landlord' : 'landlordId', 'name an existing landlord (landlordId) or enter a new one (landlord), not both');
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const business = await findVisibleBusiness(tx.db, actor, businessId);
    if (!business) throw notFound('business');
    authorize(actor, businessPolicy, 'business.updateLandlord', businessRecord(business));
    let landlordId = input.landlordId;
    if (landlordId) {
      const landlord = await findReadableLandlord(tx.db, actor, landlordId);
      if (!landlord || landlord.task_force_id !== business.task_force_id) throw invalid('landlordId', "must be a landlord of the business's task force");
    } else {
      landlordId = await insertLandlord(ctx, tx, actor, business.task_force_id, input.landlord!);
    }
    const now = ctx.clock.now().toISOString();
    const version = business.version + 1;
    const res = await tx.db
      .updateTable('business')
      .set({ landlord_id: landlordId, version, updated_at: now })
      .where('id', '=', businessId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0 || business.version !== input.version) {
      throw conflict(`This business was changed by someone else (it is now at version ${business.version}, ${business.stage}); reload and try again.`, 'version');
    }
    await tx.db
      .insertInto('business_event')
      .values({
        id: newId(),
        business_id: businessId,
        agency_id: business.agency_id,
        at: now,
        kind: 'landlord',
        from_stage: null,
        to_stage: null,
        outcome: null,
        actor_user_id: actor.userId,
        detail: JSON.stringify({ landlordId, replaced: business.landlord_id !== null && business.landlord_id !== landlordId }),
      })
      .execute();
    tx.audit({ action: 'business.updateLandlord', recordType: 'business', recordId: businessId, recordAgencyId: business.agency_id, changedFields: ['landlordId'], detail: { landlordId, created: !input.landlordId } });
    let stage = business.stage as BusinessStage;
    let finalVersion = version;
    if (stage === 'verified') {
      const moved = await advanceStage(tx, ctx, actor, { businessId, to: 'landlord_identified', expectedVersion: version });
      stage = moved.stage;
      finalVersion = moved.version;
    }
    const fresh = await tx.db.selectFrom('business').select(['outcome']).where('id', '=', businessId).executeTakeFirstOrThrow();
    return { id: businessId, stage, outcome: fresh.outcome, version: finalVersion, nextStages: [...BUSINESS_TRANSITIONS[stage]] };
  });
}
