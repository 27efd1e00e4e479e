import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize, can } from '../../auth/policy.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import { BUSINESS_TRANSITIONS, type BusinessFactKind, type BusinessStage } from '../../../common/businesses.ts';
import type {
  BusinessDto,
  BusinessFactInput,
  BusinessListItem,
  BusinessOperatorInput,
  BusinessScore,
  NewBusinessInput,
} from '../../../common/schemas/businesses.ts';
import type { z } from 'zod';
import type { businessListQuery, updateBusinessInput } from '../../../common/schemas/businesses.ts';
import { countiesOfZip } from '../tips/tips.routing.ts';
import { businessAccess } from './businesses.access.ts';
import { businessPolicy } from './businesses.policy.ts';
import { scoresFor } from './businesses.score.ts';
import { watchForReopening } from './businesses.watch.ts';
import { blindsOf, businessAddressKey, identifiersOfBusiness, normalizeFact, operatorBlind, reindexBusiness } from './businesses.identifiers.ts';
import * as q from './businesses.queries.ts';

type BusinessListQuery = z.infer<typeof businessListQuery>;
type UpdateBusinessInput = z.infer<typeof updateBusinessInput>;

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

const parse = <T>(json: string, fallback: T): T => {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};

// ---------------------------------------------------------------------------------------------- checks of entry

/** A street address: a house number, then a street ("1200 N Main St", "12B Elm Ave"). */
const STREET_ADDRESS = /^\s*\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?\s+\S*\p{L}/u;

function checkAddress(address: string): void {
  if (!STREET_ADDRESS.test(address)) throw invalid('address', 'must be a street address: a house number and a street (e.g. "1200 N Main St")');
}

function nameKeyOf(name: string, field = 'name'): string {
  const key = normalizeIdentifier('business', name);
  if (!key) throw invalid(field, 'must contain letters or digits');
  return key;
}

/**
 * A fact's value as stored: a phone in its national form ("(816) 555-0142"; international for other
 * countries) when libphonenumber finds it valid, else refused; a website or handle when it normalises.
 */
function checkedFact(fact: { kind: BusinessFactKind; value: string }, field: string): string {
  const value = fact.value.trim();
  if (fact.kind === 'phone') {
    const p = parsePhoneNumberFromString(value, 'US');
    if (!p?.isValid()) throw invalid(field, 'is not a valid phone number');
    return p.countryCallingCode === '1' ? p.formatNational() : p.formatInternational();
  }
  if (!normalizeFact(fact.kind, value)) throw invalid(field, fact.kind === 'former_name' ? 'must contain letters or digits' : `is not a valid ${fact.kind}`);
  return value;
}

/** The county of a new business: the one given (a county of the jurisdiction, and of the ZIP code if given), or the ZIP code's only one. */
async function countyOf(ctx: AppContext, zip: string | undefined, given: string | undefined): Promise<string> {
  const state = ctx.jurisdiction.state.name.en;
  const info = zip ? await countiesOfZip(zip) : null;
  if (zip && !info) throw invalid('zip', `ZIP code ${zip} does not exist`);
  const zipCounties = (info?.counties ?? []).filter((c) => ctx.jurisdiction.hasCounty(c.fips));
  if (given) {
    if (!ctx.jurisdiction.hasCounty(given)) throw invalid('countyFips', `is not a county of ${state}`);
    if (info && !info.counties.some((c) => c.fips === given)) {
      throw invalid('countyFips', `ZIP code ${zip} is not in ${ctx.jurisdiction.countyName(given)} County: choose ${zipCounties.map((c) => c.name).join(' or ') || 'a county of the ZIP code'}`);
    }
    return given;
  }
  if (!info) throw invalid('countyFips', 'is required when no ZIP code is given: choose the county');
  if (zipCounties.length === 0) throw invalid('zip', `ZIP code ${zip} is not in ${state}`);
  if (zipCounties.length > 1) throw invalid('countyFips', `ZIP code ${zip} spans ${zipCounties.map((c) => c.name).join(' and ')} counties: choose the county`);
  return zipCounties[0]!.fips;
}

function taskForceOf(actor: Actor, given: string | undefined): string {
  if (given) {
    if (!actor.taskForceIds.includes(given)) throw invalid('taskForceId', 'must be one of your task forces');
    return given;
  }
  if (actor.taskForceIds.length === 1) return actor.taskForceIds[0]!;
  throw invalid('taskForceId', 'is required: you belong to several task forces, choose the campaign’s');
}

/** The 409 of a duplicate entry, naming the business already there (`details.existing` for the web to link). */
export function duplicateBusiness(existing: { id: string; name: string; address: string }): AppError {
  const error = new AppError('duplicate', 409, `name: ${existing.name} at ${existing.address} is already in the registry (business ${existing.id}); open it instead`, 'name');
  return Object.assign(error, { details: { existing } });
}

// ---------------------------------------------------------------------------------------------- reading

function countyNameOf(ctx: AppContext, fips: string) {
  return ctx.jurisdiction.hasCounty(fips) ? ctx.jurisdiction.countyName(fips) : fips;
}

function listItem(ctx: AppContext, row: q.BusinessListRow, score: BusinessScore | undefined): BusinessListItem {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    city: row.city,
    countyFips: row.county_fips,
    countyName: countyNameOf(ctx, row.county_fips),
    stage: row.stage as BusinessStage,
    outcome: row.outcome,
    score: score?.score ?? 0,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    stageChangedAt: row.stage_changed_at,
    responseDue: row.response_due,
    openAlerts: Number(row.open_alerts ?? 0),
  };
}

/** Words of a search, each to be found in the name, address or city. */
const wordsOf = (text: string | undefined) => (text ?? '').split(/\s+/).filter(Boolean).slice(0, 8);

/**
 * The registry (issue #11, item 1; contract `GET /api/businesses`): the businesses the actor may see
 * (`business.read`, in SQL), filtered by stage, county and words, newest stage change first, with each
 * one's score and open re-opening alerts. Reading the list is audited with the ids shown.
 */
export async function listBusinesses(ctx: AppContext, actor: Actor, query: BusinessListQuery, meta: RequestMeta) {
  if (query.countyFips && !ctx.jurisdiction.hasCounty(query.countyFips)) throw invalid('countyFips', `is not a county of ${ctx.jurisdiction.state.name.en}`);
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const { rows, total } = await q.listBusinesses(tx.db, actor, { stage: query.stage, countyFips: query.countyFips, words: wordsOf(query.q) }, { limit: query.limit, offset: query.offset });
    const scores = await scoresFor(tx.db, rows.map((r) => r.id), ctx.clock.now());
    if (rows.length) tx.audit({ action: 'business.read', recordType: 'business', detail: { count: rows.length, ids: rows.map((r) => r.id).join(',') } });
    return { items: rows.map((r) => listItem(ctx, r, scores.get(r.id))), total };
  });
}

async function businessDto(ctx: AppContext, actor: Actor, db: Queryable, row: q.BusinessListRow): Promise<BusinessDto> {
  const record = q.businessRecord(row);
  const readOperators = can(actor, businessPolicy, 'business.readOperators', record);
  const readLandlord = can(actor, businessPolicy, 'business.readLandlord', record);
  const [facts, operators, operatorCount, scores, landlord] = await Promise.all([
    q.factsOf(db, row.id),
    readOperators ? q.operatorsOf(db, row.id) : Promise.resolve(null),
    q.countOperators(db, row.id),
    scoresFor(db, [row.id], ctx.clock.now()),
    row.landlord_id && readLandlord ? q.landlordOf(db, row.landlord_id) : Promise.resolve(undefined),
  ]);
  const names = await q.displayNames(db, [row.created_by, row.cleared_by]);
  const score = scores.get(row.id);
  const stage = row.stage as BusinessStage;
  return {
    ...listItem(ctx, row, score),
    zip: row.zip,
    hours: row.hours,
    license: parse(row.license, {}),
    sources: parse<Record<string, string>>(row.sources, {}),
    facts: facts.map((f) => ({ id: f.id, kind: f.kind as BusinessFactKind, value: f.value, source: f.source, recordedAt: f.recorded_at, recordedBy: f.recorded_by_name ?? '' })),
    operators:
      operators?.map((o) => ({
        id: o.id,
        kind: o.kind as BusinessOperatorInput['kind'],
        role: o.role as BusinessOperatorInput['role'],
        name: unseal(ctx.keyring, 'business_operator', 'name', o.id, o.name),
        ...(o.detail ? { detail: unseal(ctx.keyring, 'business_operator', 'detail', o.id, o.detail) } : {}),
        source: o.source,
        recordedAt: o.recorded_at,
      })) ?? null,
    operatorCount,
    scoreReasons: score?.reasons ?? [],
    landlord: landlord ? { id: landlord.id, label: unseal(ctx.keyring, 'landlord', 'name', landlord.id, landlord.name) } : null,
    nextStages: can(actor, businessPolicy, 'business.advance', record) ? [...BUSINESS_TRANSITIONS[stage]] : [],
    cleared: row.cleared_at ? { at: row.cleared_at, by: names.get(row.cleared_by ?? '') ?? '', reason: row.cleared_reason ?? '' } : null,
    notifiedAt: row.notified_at,
    closedAt: row.closed_at,
    version: row.version,
    createdAt: row.created_at,
    createdBy: names.get(row.created_by) ?? '',
    abilities: abilitiesFor(actor, businessPolicy, record),
  };
}

/**
 * One business (issue #11, item 1; contract `GET /api/businesses/:id`): its facts with their sources,
 * its operators only for those who may read them (`operatorCount` for everyone), its score and the
 * reasons, its landlord's name for the campaign staff, the next stages the actor may move it to, and
 * `abilities`. Audited. Absent and not visible answer the same 404.
 */
export async function getBusiness(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<BusinessDto> {
  const row = await ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await q.findVisibleListRow(tx.db, actor, id);
    if (!row) throw notFound('business');
    authorize(actor, businessPolicy, 'business.read', q.businessRecord(row));
    const readOperators = can(actor, businessPolicy, 'business.readOperators', q.businessRecord(row));
    tx.audit({ action: 'business.read', recordType: 'business', recordId: id, recordAgencyId: row.agency_id, detail: { operators: readOperators } });
    return row;
  });
  return businessDto(ctx, actor, ctx.db, row);
}

async function fresh(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisibleListRow(ctx.db, actor, id);
  if (!row) throw notFound('business');
  return businessDto(ctx, actor, ctx.db, row);
}

// ---------------------------------------------------------------------------------------------- entry

/** Sealed operator rows and their name hashes. */
function operatorRows(ctx: AppContext, actor: Actor, businessId: string, agencyId: string, at: string, operators: readonly BusinessOperatorInput[]) {
  return operators.map((o) => {
    const id = newId();
    return {
      id,
      business_id: businessId,
      agency_id: agencyId,
      kind: o.kind,
      role: o.role,
      name: seal(ctx.keyring, 'business_operator', 'name', id, o.name),
      name_blind: operatorBlind(ctx, o.name),
      detail: seal(ctx.keyring, 'business_operator', 'detail', id, o.detail ?? null),
      source: o.source,
      recorded_by: actor.userId,
      recorded_at: at,
    };
  });
}

/**
 * Enters a business into the campaign (issue #11, item 1): county settled from the ZIP code or chosen,
 * phones checked and kept in their national form, the name and address keyed, a duplicate (same place
 * and name in the task force) refused with a link to the one already there — before the insert and, for
 * two entries at once, from the unique index. Facts, sealed operators, the 'created' event, the
 * identifier index and the re-opening watch are written in the entry's one audited transaction.
 */
export async function createBusiness(ctx: AppContext, actor: Actor, input: NewBusinessInput, meta: RequestMeta): Promise<BusinessDto> {
  if (!businessAccess.grants['business.create'].allows(actor, undefined as never)) throw forbidden('Only the campaign’s staff (coordinators, analysts, officers of a police, prosecutor or federal agency in a task force) enter businesses.');
  const taskForceId = taskForceOf(actor, input.taskForceId);
  const nameKey = nameKeyOf(input.name);
  checkAddress(input.address);
  const addressKey = businessAddressKey(input);
  if (!addressKey) throw invalid('address', 'must be a street address: a house number and a street');
  const facts = input.facts.map((f, i) => ({ ...f, value: checkedFact(f, `facts.${i}.value`) }));
  const countyFips = await countyOf(ctx, input.zip, input.countyFips);

  const existing = await q.findSamePlace(ctx.db, taskForceId, addressKey, nameKey);
  if (existing) throw duplicateBusiness(existing);

  const id = newId();
  const now = ctx.clock.now().toISOString();
  const sources: Record<string, string> = { name: input.source, address: input.source };
  if (input.hours) sources.hours = input.source;
  if (input.license && Object.keys(input.license).length) sources.license = input.source;
  try {
    await ctx.audit.transact(who(actor, meta), async (tx) => {
      await tx.db
        .insertInto('business')
        .values({
          id,
          agency_id: actor.agencyId,
          task_force_id: taskForceId,
          name: input.name,
          name_key: nameKey,
          address: input.address,
          city: input.city,
          zip: input.zip ?? null,
          county_fips: countyFips,
          address_key: addressKey,
          hours: input.hours ?? null,
          license: JSON.stringify(input.license ?? {}),
          sources: JSON.stringify(sources),
          stage: 'identified',
          outcome: null,
          version: 1,
          stage_changed_at: now,
          landlord_id: null,
          notified_at: null,
          response_due: null,
          responded_at: null,
          lease_action_at: null,
          closed_at: null,
          cleared_at: null,
          cleared_by: null,
          cleared_reason: null,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (facts.length) {
        await tx.db
          .insertInto('business_fact')
          .values(facts.map((f) => ({ id: newId(), business_id: id, agency_id: actor.agencyId, kind: f.kind, value: f.value, source: f.source, recorded_by: actor.userId, recorded_at: now })))
          .execute();
      }
      const operators = operatorRows(ctx, actor, id, actor.agencyId, now, input.operators);
      if (operators.length) await tx.db.insertInto('business_operator').values(operators).execute();
      await tx.db
        .insertInto('business_event')
        .values({
          id: newId(),
          business_id: id,
          agency_id: actor.agencyId,
          at: now,
          kind: 'created',
          from_stage: null,
          to_stage: 'identified',
          outcome: null,
          actor_user_id: actor.userId,
          detail: JSON.stringify({ facts: facts.length, operators: operators.length }),
        })
        .execute();
      const blinds = await reindexBusiness(tx.db, ctx, { id, agencyId: actor.agencyId }, { name: input.name, address: input.address, city: input.city, zip: input.zip, facts });
      await watchForReopening(tx, ctx, {
        type: 'business',
        id,
        parentId: id,
        agencyId: actor.agencyId,
        blinds: [...blinds, ...operators.map((o) => ({ kind: 'operator' as const, blind: o.name_blind }))],
      });
      tx.audit({
        action: 'business.create',
        recordType: 'business',
        recordId: id,
        recordAgencyId: actor.agencyId,
        detail: { taskForceId, countyFips, facts: facts.length, operators: operators.length },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const there = await q.findSamePlace(ctx.db, taskForceId, addressKey, nameKey);
      if (there) throw duplicateBusiness(there);
    }
    throw err;
  }
  return fresh(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------- changes

/** Loads a business the actor may see (404 otherwise) and checks the action (403). */
async function load(ctx: AppContext, actor: Actor, id: string, action: 'business.update' | 'business.readOperators') {
  const row = await q.findVisibleBusiness(ctx.db, actor, id);
  if (!row) throw notFound('business');
  authorize(actor, businessPolicy, action, q.businessRecord(row));
  return row;
}

/** The version check in words: 409 saying what the business is now. */
async function lostRace(db: Queryable, id: string): Promise<never> {
  const now = await db.selectFrom('business').select(['stage', 'version']).where('id', '=', id).executeTakeFirst();
  throw conflict(`version: this business was changed by someone else a moment ago${now ? ` (it is now at version ${now.version}, stage ${now.stage.replaceAll('_', ' ')})` : ''}; reload it`, 'version');
}

/** Bumps the version the caller read, or answers 409. */
async function bump(tx: Tx, id: string, version: number, set: Record<string, unknown>, now: string) {
  const res = await tx.db
    .updateTable('business')
    .set({ ...set, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) await lostRace(tx.db, id);
}

/** The business's current identity (for re-indexing), its facts as stored. */
async function identityOf(db: Queryable, row: { id: string; name: string; address: string; city: string; zip: string | null }) {
  const facts = await db.selectFrom('business_fact').select(['kind', 'value']).where('business_id', '=', row.id).execute();
  return { name: row.name, address: row.address, city: row.city, zip: row.zip, facts: facts.map((f) => ({ kind: f.kind as BusinessFactKind, value: f.value })) };
}

/**
 * Corrects a business's name, hours or license facts (issue #11, item 1), with their source and the
 * version read (409 when stale). A new name keeps the old one as a former name, is checked against a
 * duplicate at the same place, and is indexed (and watched) anew.
 */
export async function updateBusiness(ctx: AppContext, actor: Actor, id: string, input: UpdateBusinessInput, meta: RequestMeta): Promise<BusinessDto> {
  const row = await load(ctx, actor, id, 'business.update');
  if (input.version !== row.version) await lostRace(ctx.db, id);
  const renamed = input.name !== undefined && input.name !== row.name;
  const nameKey = renamed ? nameKeyOf(input.name!) : row.name_key;
  if (renamed && nameKey !== row.name_key) {
    const existing = await q.findSamePlace(ctx.db, row.task_force_id, row.address_key, nameKey);
    if (existing && existing.id !== id) throw duplicateBusiness(existing);
  }
  const changed: string[] = [];
  const set: Record<string, unknown> = {};
  const sources = parse<Record<string, string>>(row.sources, {});
  if (renamed) {
    Object.assign(set, { name: input.name, name_key: nameKey });
    changed.push('name');
    sources.name = input.source;
  }
  if (input.hours !== undefined && input.hours !== (row.hours ?? '')) {
    set.hours = input.hours || null;
    changed.push('hours');
    sources.hours = input.source;
  }
  if (input.license !== undefined && JSON.stringify(input.license) !== row.license) {
    set.license = JSON.stringify(input.license);
    changed.push('license');
    sources.license = input.source;
  }
  if (changed.length === 0) return fresh(ctx, actor, id);
  set.sources = JSON.stringify(sources);
  const now = ctx.clock.now().toISOString();
  try {
    await ctx.audit.transact(who(actor, meta), async (tx) => {
      await bump(tx, id, row.version, set, now);
      if (renamed) {
        await tx.db
          .insertInto('business_fact')
          .values({ id: newId(), business_id: id, agency_id: row.agency_id, kind: 'former_name', value: row.name, source: input.source, recorded_by: actor.userId, recorded_at: now })
          .execute();
        const identity = await identityOf(tx.db, { ...row, name: input.name! });
        const blinds = await reindexBusiness(tx.db, ctx, { id, agencyId: row.agency_id }, identity);
        await watchForReopening(tx, ctx, { type: 'business', id, parentId: id, agencyId: row.agency_id, blinds });
      }
      await tx.db
        .insertInto('business_event')
        .values({ id: newId(), business_id: id, agency_id: row.agency_id, at: now, kind: 'updated', from_stage: null, to_stage: null, outcome: null, actor_user_id: actor.userId, detail: JSON.stringify({ fields: changed }) })
        .execute();
      tx.audit({ action: 'business.update', recordType: 'business', recordId: id, recordAgencyId: row.agency_id, changedFields: changed, detail: {} });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const there = await q.findSamePlace(ctx.db, row.task_force_id, row.address_key, nameKey);
      if (there && there.id !== id) throw duplicateBusiness(there);
    }
    throw err;
  }
  return fresh(ctx, actor, id);
}

/**
 * Adds a fact (a former name, a phone, a website, an ad or review handle) with its source (issue #11,
 * item 1): indexed, and watched against closed businesses, in the same transaction.
 */
export async function addFact(ctx: AppContext, actor: Actor, id: string, input: BusinessFactInput, meta: RequestMeta): Promise<BusinessDto> {
  const row = await load(ctx, actor, id, 'business.update');
  const value = checkedFact(input, 'value');
  const now = ctx.clock.now().toISOString();
  const factId = newId();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await tx.db
      .insertInto('business_fact')
      .values({ id: factId, business_id: id, agency_id: row.agency_id, kind: input.kind, value, source: input.source, recorded_by: actor.userId, recorded_at: now })
      .execute();
    const identity = await identityOf(tx.db, row);
    await reindexBusiness(tx.db, ctx, { id, agencyId: row.agency_id }, identity);
    const added = identifiersOfBusiness({ name: '', address: '', city: '', facts: [{ kind: input.kind, value }] }).filter((v) => v.kind !== 'address');
    await watchForReopening(tx, ctx, { type: 'business', id, parentId: id, agencyId: row.agency_id, blinds: blindsOf(ctx, added) });
    await tx.db
      .insertInto('business_event')
      .values({ id: newId(), business_id: id, agency_id: row.agency_id, at: now, kind: 'fact', from_stage: null, to_stage: null, outcome: null, actor_user_id: actor.userId, detail: JSON.stringify({ kind: input.kind, factId }) })
      .execute();
    tx.audit({ action: 'business.update', recordType: 'business', recordId: id, recordAgencyId: row.agency_id, changedFields: ['facts'], detail: { kind: input.kind, factId } });
  });
  return fresh(ctx, actor, id);
}

/**
 * Adds an operator or owner (issue #11, item 1): the name and detail sealed, the name's keyed hash kept
 * for the network and the re-opening watch. Only those who may read operators add them.
 */
export async function addOperator(ctx: AppContext, actor: Actor, id: string, input: BusinessOperatorInput, meta: RequestMeta): Promise<BusinessDto> {
  const row = await load(ctx, actor, id, 'business.update');
  authorize(actor, businessPolicy, 'business.readOperators', q.businessRecord(row));
  const now = ctx.clock.now().toISOString();
  const [operator] = operatorRows(ctx, actor, id, row.agency_id, now, [input]);
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await tx.db.insertInto('business_operator').values(operator!).execute();
    await watchForReopening(tx, ctx, { type: 'business', id, parentId: id, agencyId: row.agency_id, blinds: [{ kind: 'operator', blind: operator!.name_blind }] });
    await tx.db
      .insertInto('business_event')
      .values({ id: newId(), business_id: id, agency_id: row.agency_id, at: now, kind: 'operator', from_stage: null, to_stage: null, outcome: null, actor_user_id: actor.userId, detail: JSON.stringify({ operatorId: operator!.id, role: input.role }) })
      .execute();
    tx.audit({ action: 'business.update', recordType: 'business', recordId: id, recordAgencyId: row.agency_id, changedFields: ['operators'], detail: { operatorId: operator!.id } });
  });
  return fresh(ctx, actor, id);
}
