import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import type { ContactRow } from '../../db/schema/index.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { ageOn, bandForAge, contactProblem, type ContactFacts } from '../../../common/contact-rules.ts';
import {
  AGE_BANDS,
  CONTACT_ROLES,
  DISPOSITIONS,
  REFERRAL_STATUSES,
  SERVICES,
  SEXES,
  type AgeBand,
  type ContactRole,
  type Disposition,
  type OperationStatus,
  type Service,
  type Sex,
  type SuspectType,
} from '../../../common/operations.ts';
import type {
  ContactDto,
  ContactListDto,
  ContactSummaryDto,
  OutcomeDto,
  RecordContactInput,
  RestrictedContactDto,
  UpdateContactInput,
} from '../../../common/schemas/contacts.ts';
import { holdOperationStatus, loadOperation, recordEvent } from '../operations/operations.service.ts';
import { operationPolicy } from '../operations/operations.policy.ts';
import { contactPolicy, isSealed, type ContactRecord } from './contacts.policy.ts';
import { listsSealedContacts } from './contacts.access.ts';
import * as q from './contacts.queries.ts';
import { reindexContactPhones } from '../identifiers/identifiers.ts';
import { watchContactPhones } from '../businesses/businesses.watch.ts';
import type { DisclosureSources } from '../disclosure/disclosure-sources.ts';
import { countOperation } from '../statistics/statistics.counting.ts';
import { requestKeyHere } from '../../lib/idempotency.ts';
import { writeContact, type ContactToRecord } from './contacts.recording.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

/** How far `nextSince` reaches back, so a row committed a moment after its timestamp is not missed. */
export const SINCE_OVERLAP_MS = 5_000;

export const personLabel = (n: number) => `Person ${n}`;

export function contactRecord(row: q.VisibleContactRow): ContactRecord {
  return {
    id: row.id,
    agencyId: row.agency_id,
    role: row.role as ContactRole,
    ageBand: row.age_band,
    operation: {
      id: row.operation_id,
      agencyId: row.agency_id,
      taskForceId: row.op_task_force_id,
      status: row.op_status as OperationStatus,
      assigned: Number(row.op_assigned) === 1,
      commanderUserId: row.op_commander_user_id,
    },
    receivingAgencyIds: row.custody_to_agency_id ? [row.custody_to_agency_id] : [],
  };
}

/**
 * Loads a contact the actor may open, or 404 — the door the referrals and custody modules use to reach
 * a person. Sealed records (minors) are absent for everyone the seal does not admit.
 */
export async function loadContact(ctx: AppContext, actor: Actor, id: string, db: Queryable = ctx.db) {
  const row = await q.findVisible(db, actor, id);
  if (!row) throw notFound('contact');
  const record = contactRecord(row);
  // Defence in depth: the SQL scope and the policy encode the same rule.
  authorize(actor, contactPolicy, 'contact.read', record);
  return { row, record };
}

// ---------------------------------------------------------------------------------------------- DTOs

const unsealList = (ctx: AppContext, row: Pick<ContactRow, 'id'>, column: 'aliases' | 'phones' | 'charges', stored: string | null): string[] =>
  stored == null ? [] : (JSON.parse(unseal(ctx.keyring, 'contact', column, row.id, stored)) as string[]);

const sealList = (ctx: AppContext, id: string, column: 'aliases' | 'phones' | 'charges', values: readonly string[]) =>
  values.length ? seal(ctx.keyring, 'contact', column, id, JSON.stringify(values)) : null;

type ServiceRow = Awaited<ReturnType<typeof q.servicesOf>>[number];

function toSummary(ctx: AppContext, row: q.ContactListRow, services: ServiceRow[]): ContactSummaryDto {
  return {
    id: row.id,
    operationId: row.operation_id,
    personNumber: row.person_number,
    label: personLabel(row.person_number),
    restricted: false,
    sealed: isSealed({ role: row.role, ageBand: row.age_band }),
    role: row.role as ContactRole,
    suspectType: row.suspect_type as SuspectType | null,
    sex: row.sex as Sex,
    ageBand: row.age_band as AgeBand,
    estimatedAge: row.estimated_age,
    disposition: row.disposition as Disposition | null,
    charges: unsealList(ctx, row, 'charges', row.charges),
    name: unseal(ctx.keyring, 'contact', 'name', row.id, row.name),
    aliases: unsealList(ctx, row, 'aliases', row.aliases),
    screening: row.screening_tool && row.screening_result ? ({ tool: row.screening_tool, result: row.screening_result } as ContactSummaryDto['screening']) : null,
    services: services.map((s) => ({ service: s.service as Service, offered: Number(s.offered) === 1, accepted: Number(s.accepted) === 1 })),
    referralCount: Number(row.referral_count ?? 0),
    custodyHandoffId: row.custody_handoff_id ?? null,
    recordedBy: { userId: row.recorded_by, name: row.recorder_name, agencyName: row.recorder_agency_name },
    recordedAt: row.recorded_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

async function toDetail(ctx: AppContext, db: Queryable, actor: Actor, id: string, record: ContactRecord): Promise<ContactDto> {
  const row = await q.findListRow(db, id);
  const services = await q.servicesOf(db, [id]);
  return detailOf(ctx, actor, row, services, record);
}

function detailOf(ctx: AppContext, actor: Actor, row: q.ContactListRow, services: ServiceRow[], record: ContactRecord): ContactDto {
  return {
    ...toSummary(ctx, row, services),
    dob: unseal(ctx.keyring, 'contact', 'dob', row.id, row.dob),
    phones: unsealList(ctx, row, 'phones', row.phones),
    operationStatus: record.operation.status,
    abilities: abilitiesFor(actor, contactPolicy, record),
  };
}

/**
 * The record this actor has just written, from the row the visibility check read back: recorded by them,
 * with no referral or hand-off yet, and the services as written (in `servicesOf`'s order). Two reads
 * fewer on the field log's busiest path.
 */
function newDetail(ctx: AppContext, actor: Actor, row: q.VisibleContactRow, services: readonly { service: string; offered: boolean; accepted: boolean }[]): ContactDto {
  const written = [...services]
    .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0))
    .map((s) => ({ contact_id: row.id, service: s.service, offered: s.offered ? 1 : 0, accepted: s.accepted ? 1 : 0 }));
  const listRow: q.ContactListRow = { ...row, recorder_name: actor.displayName, recorder_agency_name: actor.agencyName, referral_count: 0, custody_handoff_id: null };
  return detailOf(ctx, actor, listRow, written, contactRecord(row));
}

const restricted = (row: Pick<ContactRow, 'id' | 'operation_id' | 'person_number'>): RestrictedContactDto => ({
  id: row.id,
  operationId: row.operation_id,
  personNumber: row.person_number,
  label: personLabel(row.person_number),
  restricted: true,
});

// ---------------------------------------------------------------------------------------------- rules

type Facts = ContactFacts;

/**
 * Refuses an impossible combination (400 naming the field), then lets a date of birth fill in an unknown
 * age band (measured at the operation's start) and checks the result again. Returns the facts to store.
 */
function checkFacts(ctx: AppContext, facts: Facts, operationStartsAt: string): Facts {
  const opts = { operationDay: operationStartsAt.slice(0, 10), today: ctx.clock.now().toISOString().slice(0, 10) };
  const refuse = (f: Facts) => {
    const problem = contactProblem(f, opts);
    if (problem) throw invalid(problem.field, problem.message);
  };
  refuse(facts);
  if (facts.ageBand !== 'unknown' || !facts.dob) return facts;
  const derived = { ...facts, ageBand: bandForAge(ageOn(facts.dob, opts.operationDay)) };
  refuse(derived);
  return derived;
}

const blankToNull = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());

// ---------------------------------------------------------------------------------------------- recording

/**
 * Everything of recording a contact that needs no turn of the operation's: the operation's access check,
 * the facts checked, the identity sealed, the row built. The number, the re-check that the operation still
 * runs and the write come after, in `writeContact` (contacts.recording.ts).
 */
export async function prepareContact(ctx: AppContext, actor: Actor, operationId: string, input: RecordContactInput, meta: RequestMeta) {
  const { row: op, record: opRecord } = await loadOperation(ctx, actor, operationId);
  authorize(actor, operationPolicy, 'operation.recordContact', opRecord);
  const facts = checkFacts(
    ctx,
    {
      role: input.role,
      suspectType: input.suspectType ?? null,
      ageBand: input.ageBand,
      estimatedAge: input.estimatedAge ?? null,
      disposition: input.disposition ?? null,
      charges: input.charges,
      dob: input.dob ?? null,
      screening: input.screening ?? null,
      services: input.services,
    },
    op.starts_at,
  );

  const id = newId();
  const provided = Object.entries(input)
    .filter(([k, v]) => k !== 'clientRef' && v != null && !(Array.isArray(v) && v.length === 0))
    .map(([k]) => k);
  const job: ContactToRecord = {
    actor,
    meta,
    key: requestKeyHere(),
    row: {
      id,
      operation_id: op.id,
      agency_id: op.agency_id,
      client_ref: input.clientRef ?? null,
      role: facts.role,
      suspect_type: facts.suspectType,
      sex: input.sex,
      age_band: facts.ageBand,
      estimated_age: facts.estimatedAge,
      disposition: facts.disposition,
      charges: sealList(ctx, id, 'charges', facts.charges),
      name: seal(ctx.keyring, 'contact', 'name', id, blankToNull(input.name)),
      aliases: sealList(ctx, id, 'aliases', input.aliases),
      dob: seal(ctx.keyring, 'contact', 'dob', id, facts.dob),
      phones: sealList(ctx, id, 'phones', input.phones),
      screening_tool: facts.screening?.tool ?? null,
      screening_result: facts.screening?.result ?? null,
      recorded_by: actor.userId,
      recorded_by_agency_id: actor.agencyId,
      version: 1,
    },
    services: facts.services,
    phones: input.phones,
    provided,
  };
  return { job, op, opRecord };
}

/**
 * Records one person contacted in a running operation (issue #3, item 3): the next "Person N" of the
 * operation, identity fields sealed at rest. A retried submission with the same `clientRef` returns the
 * contact first recorded (`created: false`). Safe under several officers at once on both back ends:
 * recordings into one operation take turns for its next number (contacts.recording.ts).
 */
export async function recordContact(
  ctx: AppContext,
  actor: Actor,
  operationId: string,
  input: RecordContactInput,
  meta: RequestMeta,
): Promise<{ created: boolean; contact: ContactDto | RestrictedContactDto }> {
  const { job, op, opRecord } = await prepareContact(ctx, actor, operationId, input, meta);
  const outcome = await writeContact(ctx, job);
  if (outcome.row) {
    // Built from what was written, seen through the policy (contact.read's TS side, the same rule as the
    // SQL scope): an officer of a partner agency who records a minor gets the restricted form, as any
    // later read would give them.
    const written: q.VisibleContactRow = {
      ...outcome.row,
      op_task_force_id: op.task_force_id,
      op_status: 'active',
      op_starts_at: op.starts_at,
      op_commander_user_id: op.commander_user_id,
      op_assigned: opRecord.assigned ? 1 : 0,
      custody_to_agency_id: null,
    };
    const contact = can(actor, contactPolicy, 'contact.read', contactRecord(written))
      ? newDetail(ctx, actor, written, job.services)
      : restricted({ id: outcome.id, operation_id: op.id, person_number: outcome.personNumber });
    return { created: true, contact };
  }
  // A retry: read back through the visibility rule, as any later read.
  const visible = await q.findVisible(ctx.db, actor, outcome.id);
  const contact = visible
    ? await toDetail(ctx, ctx.db, actor, outcome.id, contactRecord(visible))
    : restricted({ id: outcome.id, operation_id: op.id, person_number: outcome.personNumber });
  return { created: outcome.created, contact };
}

// ---------------------------------------------------------------------------------------------- reading

/**
 * The live list of an operation's contacts for everyone in the field at once. Sealed records (minors)
 * are listed only to the lead agency's assigned users; everyone else gets their count. A poll that
 * returns no person writes no audit row; one that does writes one row naming the persons returned.
 */
export async function listContacts(ctx: AppContext, actor: Actor, operationId: string, query: { since?: string | undefined }, meta: RequestMeta): Promise<ContactListDto> {
  const { row: op, record } = await loadOperation(ctx, actor, operationId);
  authorize(actor, operationPolicy, 'operation.readContacts', record);
  const includeSealed = listsSealedContacts.allows(actor, record);
  const now = ctx.clock.now();
  const since = query.since ? new Date(query.since).toISOString() : undefined;
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const rows = await q.listForOperation(tx.db, op.id, { includeSealed, since });
    const services = await q.servicesOf(tx.db, rows.map((r) => r.id));
    const byContact = new Map<string, ServiceRow[]>();
    for (const s of services) byContact.set(s.contact_id, [...(byContact.get(s.contact_id) ?? []), s]);
    const counts = await q.countForOperation(tx.db, op.id);
    if (rows.length) {
      tx.audit({
        action: 'contact.read',
        recordType: 'operation',
        recordId: op.id,
        recordAgencyId: op.agency_id,
        detail: { count: rows.length, personNumbers: rows.map((r) => r.person_number).join(','), sealedIncluded: includeSealed, since: since ?? null },
      });
    }
    return {
      contacts: rows.map((r) => toSummary(ctx, r, byContact.get(r.id) ?? [])),
      sealedCount: includeSealed ? 0 : counts.sealed,
      total: counts.total,
      serverTime: now.toISOString(),
      nextSince: new Date(now.getTime() - SINCE_OVERLAP_MS).toISOString(),
      abilities: { 'operation.recordContact': can(actor, operationPolicy, 'operation.recordContact', record) },
    };
  });
}

/** One person's record, with date of birth and phones; every read is audited. */
export async function getContact(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<ContactDto> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const { row, record } = await loadContact(ctx, actor, id, tx.db);
    const dto = await toDetail(ctx, tx.db, actor, id, record);
    tx.audit({ action: 'contact.read', recordType: 'contact', recordId: id, recordAgencyId: row.agency_id, detail: { personNumber: row.person_number, sealed: dto.sealed } });
    return dto;
  });
}

// ---------------------------------------------------------------------------------------------- changing

const FIELD_NAMES = ['role', 'suspectType', 'sex', 'ageBand', 'estimatedAge', 'disposition', 'charges', 'name', 'aliases', 'dob', 'phones', 'screening', 'services'] as const;

/**
 * Changes a contact. While the operation runs, the field team edits freely; once it is closed only a
 * correction with a reason by the lead's coordinators is allowed, audited with the fields changed and
 * the reason. Every change bumps `version`; a stale `version` is refused (409).
 */
export async function updateContact(ctx: AppContext, actor: Actor, id: string, input: UpdateContactInput, meta: RequestMeta): Promise<ContactDto | RestrictedContactDto> {
  const { row, record } = await loadContact(ctx, actor, id);
  authorize(actor, contactPolicy, 'contact.update', record);
  const correcting = record.operation.status === 'closed';
  if (correcting && !input.correctionReason) throw invalid('correctionReason', 'the operation is closed: give the reason for this correction');
  if (input.version !== undefined && input.version !== row.version) {
    throw conflict('version: someone else changed this contact since you opened it; reload and try again', 'version');
  }
  const current: Facts = {
    role: row.role as ContactRole,
    suspectType: row.suspect_type,
    ageBand: row.age_band as AgeBand,
    estimatedAge: row.estimated_age,
    disposition: row.disposition as Disposition | null,
    charges: unsealList(ctx, row, 'charges', row.charges),
    dob: unseal(ctx.keyring, 'contact', 'dob', row.id, row.dob),
    screening: row.screening_tool && row.screening_result ? { tool: row.screening_tool, result: row.screening_result } : null,
    services: (await q.servicesOf(ctx.db, [id])).map((s) => ({ service: s.service, offered: Number(s.offered) === 1, accepted: Number(s.accepted) === 1 })),
  };
  const proposed: Facts = {
    role: input.role ?? current.role,
    suspectType: input.suspectType !== undefined ? input.suspectType : current.suspectType,
    ageBand: input.ageBand ?? current.ageBand,
    estimatedAge: input.estimatedAge !== undefined ? input.estimatedAge : current.estimatedAge,
    disposition: input.disposition !== undefined ? input.disposition : current.disposition,
    charges: input.charges ?? current.charges,
    dob: input.dob !== undefined ? input.dob : current.dob,
    screening: input.screening !== undefined ? input.screening : current.screening,
    services: input.services ?? current.services,
  };
  const handedOff = record.receivingAgencyIds.length > 0;
  if (handedOff && proposed.role !== 'minor') throw conflict('role: this child has a custody hand-off; the role stays minor', 'role');
  if (handedOff && proposed.disposition !== 'protective_custody') throw conflict('disposition: this child was handed off to protective custody', 'disposition');
  if (current.role === 'adult_victim' && proposed.role !== 'adult_victim' && (await q.hasReferrals(ctx.db, id))) {
    throw conflict('role: this person has been referred to victim services; the role stays adult potential victim', 'role');
  }
  const merged = checkFacts(ctx, proposed, row.op_starts_at);

  const changed: string[] = FIELD_NAMES.filter((f) => input[f] !== undefined);
  if (merged.ageBand !== current.ageBand && !changed.includes('ageBand')) changed.push('ageBand');
  const now = ctx.clock.now().toISOString();
  const changes: Partial<ContactRow> = {
    role: merged.role,
    suspect_type: merged.suspectType,
    age_band: merged.ageBand,
    estimated_age: merged.estimatedAge,
    disposition: merged.disposition,
    ...(input.sex !== undefined ? { sex: input.sex } : {}),
    ...(input.charges !== undefined ? { charges: sealList(ctx, id, 'charges', merged.charges) } : {}),
    ...(input.name !== undefined ? { name: seal(ctx.keyring, 'contact', 'name', id, blankToNull(input.name)) } : {}),
    ...(input.aliases !== undefined ? { aliases: sealList(ctx, id, 'aliases', input.aliases) } : {}),
    ...(input.dob !== undefined ? { dob: seal(ctx.keyring, 'contact', 'dob', id, input.dob) } : {}),
    ...(input.phones !== undefined ? { phones: sealList(ctx, id, 'phones', input.phones) } : {}),
    ...(input.screening !== undefined ? { screening_tool: input.screening?.tool ?? null, screening_result: input.screening?.result ?? null } : {}),
    version: row.version + 1,
    updated_at: now,
  };
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    // A field edit must not land after the close counted the operation (nor a correction after a reopen).
    await holdOperationStatus(tx.db, ctx, row.operation_id, record.operation.status);
    if (!(await q.updateAtVersion(tx.db, id, row.version, changes))) {
      throw conflict('version: someone else changed this contact a moment ago; reload and try again', 'version');
    }
    if (input.services !== undefined) await q.replaceServices(tx.db, id, merged.services);
    if (input.phones !== undefined) await reindexContactPhones(tx.db, ctx, row, input.phones);
    if (input.phones !== undefined) await watchContactPhones(tx, ctx, row, input.phones);
    await recordEvent(tx.db, ctx, { id: row.operation_id, agency_id: row.agency_id }, correcting ? 'contact_corrected' : 'contact_updated', actor.userId, {
      personNumber: row.person_number,
      fields: changed.join(','),
      role: merged.role,
      disposition: merged.disposition,
    });
    tx.audit({
      action: 'contact.update',
      recordType: 'contact',
      recordId: id,
      recordAgencyId: row.agency_id,
      changedFields: changed,
      detail: { personNumber: row.person_number, correction: correcting, reason: input.correctionReason ?? null },
    });
    // A closed operation is in the public statistics: count the difference (into the open quarter if its own is published).
    if (correcting) await countOperation(tx.db, ctx, row.operation_id);
    // A change into a minor's age band seals the record: an editor outside the seal gets the placeholder.
    const after = await q.findVisible(tx.db, actor, id);
    return after ? toDetail(ctx, tx.db, actor, id, contactRecord(after)) : restricted(row);
  });
}

/**
 * Sets a child's disposition to protective custody as their hand-off is recorded (custody module), in
 * the caller's transaction. Returns whether the disposition changed.
 */
export async function markProtectiveCustody(db: Queryable, ctx: AppContext, contact: Pick<ContactRow, 'id' | 'disposition' | 'version'>) {
  if (contact.disposition === 'protective_custody') return false;
  const ok = await q.updateAtVersion(db, contact.id, contact.version, { disposition: 'protective_custody', version: contact.version + 1, updated_at: ctx.clock.now().toISOString() });
  if (!ok) throw conflict('version: someone else changed this contact a moment ago; reload and try again', 'version');
  return true;
}

/**
 * Marks a contact changed for the live list (its `since` polls) when something hangs off it now — a
 * referral sent — without touching its own fields or version. In the caller's transaction.
 */
export async function touchContact(db: Queryable, ctx: AppContext, contactId: string) {
  await db.updateTable('contact').set({ updated_at: ctx.clock.now().toISOString() }).where('id', '=', contactId).execute();
}

// ---------------------------------------------------------------------------------------------- outcome

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * The outcome of an operation (issue #3, item 6): every figure counted from the recorded contacts, their
 * services, referrals and hand-offs, every key present (zeros included). Aggregates only: no person
 * numbers, no identities, so anyone who may see the operation may read it.
 */
export async function getOutcome(ctx: AppContext, actor: Actor, operationId: string, meta: RequestMeta): Promise<OutcomeDto> {
  const { row: op, record } = await loadOperation(ctx, actor, operationId);
  authorize(actor, operationPolicy, 'operation.readOutcome', record);
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const groups = await q.outcomeGroups(tx.db, op.id);
    const services = await q.outcomeServices(tx.db, op.id);
    const served = await q.outcomePersonsServed(tx.db, op.id);
    const referrals = await q.outcomeReferrals(tx.db, op.id);
    const custody = await q.outcomeCustody(tx.db, op.id);

    const byRole = zeros(CONTACT_ROLES);
    const byDisposition = zeros(DISPOSITIONS);
    const bySex = zeros(SEXES);
    const byAgeBand = zeros(AGE_BANDS);
    const byRoleAndSex = Object.fromEntries(CONTACT_ROLES.map((r) => [r, zeros(SEXES)])) as Record<ContactRole, Record<Sex, number>>;
    const suspectTypes = { buyer: 0, facilitator: 0, trafficker: 0, unspecified: 0 };
    let total = 0;
    let dispositionPending = 0;
    for (const g of groups) {
      const n = Number(g.n);
      total += n;
      byRole[g.role as ContactRole] += n;
      bySex[g.sex as Sex] += n;
      byAgeBand[g.age_band as AgeBand] += n;
      byRoleAndSex[g.role as ContactRole][g.sex as Sex] += n;
      if (g.disposition) byDisposition[g.disposition as Disposition] += n;
      else dispositionPending += n;
      if (g.role === 'suspect') suspectTypes[(g.suspect_type as SuspectType | null) ?? 'unspecified'] += n;
    }
    const servicesOffered = zeros(SERVICES);
    const servicesAccepted = zeros(SERVICES);
    for (const s of services) {
      servicesOffered[s.service as Service] = Number(s.offered ?? 0);
      servicesAccepted[s.service as Service] = Number(s.accepted ?? 0);
    }
    const byStatus = zeros(REFERRAL_STATUSES);
    const byAgency = new Map<string, number>();
    for (const r of referrals) {
      const n = Number(r.n);
      byStatus[r.status as keyof typeof byStatus] += n;
      byAgency.set(r.agency_name, (byAgency.get(r.agency_name) ?? 0) + n);
    }
    tx.audit({ action: 'operation.readOutcome', recordType: 'operation', recordId: op.id, recordAgencyId: op.agency_id, detail: { total } });
    return {
      operationId: op.id,
      total,
      byRole,
      byDisposition,
      dispositionPending,
      bySex,
      byAgeBand,
      byRoleAndSex,
      suspectTypes,
      servicesOffered,
      servicesAccepted,
      personsOfferedServices: served.offered,
      personsAcceptingServices: served.accepted,
      referrals: {
        total: referrals.reduce((sum, r) => sum + Number(r.n), 0),
        byStatus,
        byAgency: [...byAgency].map(([agencyName, count]) => ({ agencyName, count })).sort((a, b) => a.agencyName.localeCompare(b.agencyName)),
      },
      protectiveCustody: {
        count: byDisposition.protective_custody,
        handedOff: custody.reduce((sum, c) => sum + Number(c.n), 0),
        received: custody.reduce((sum, c) => sum + Number(c.received ?? 0), 0),
        releasedTo: custody.map((c) => c.agency_name).sort((a, b) => a.localeCompare(b)),
      },
    };
  });
}

export async function unsafeDisclosureSources(ctx: AppContext, operationId: string): Promise<DisclosureSources> {
  const rows = await ctx.db.selectFrom('contact').select(['id', 'name', 'aliases', 'dob', 'phones', 'charges']).where('operation_id', '=', operationId).execute();
  const identifying: DisclosureSources['identifying'] = [];
  const staffText: string[] = [];
  for (const r of rows) {
    const name = unseal(ctx.keyring, 'contact', 'name', r.id, r.name);
    if (name) identifying.push({ kind: 'name', value: name });
    for (const alias of unsealList(ctx, r, 'aliases', r.aliases)) identifying.push({ kind: 'alias', value: alias });
    const dob = unseal(ctx.keyring, 'contact', 'dob', r.id, r.dob);
    if (dob) identifying.push({ kind: 'dob', value: dob });
    for (const phone of unsealList(ctx, r, 'phones', r.phones)) identifying.push({ kind: 'phone', value: phone });
    staffText.push(...unsealList(ctx, r, 'charges', r.charges));
  }
  return { identifying, staffText };
}
