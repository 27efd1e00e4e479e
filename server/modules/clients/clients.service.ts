import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { decodeUpload } from '../../lib/attachments.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { phonesInText } from '../../../common/identifiers.ts';
import { formatPhone } from '../../../common/schemas/contacts.ts';
import {
  CLIENT_DOCUMENT_MAX_BYTES,
  NEED_OF_REFERRAL_SERVICE,
  PART2_SERVICE_CATEGORIES,
  RELEASE_DEFAULT_DAYS,
  RELEASE_MAX_DAYS,
  type ClientDocumentType,
  type ClientIntake,
  type ClientStatus,
  type ConsentMethod,
  type Nationality,
  type ReleaseScope,
  type ReleaseStatus,
  type RevocationMethod,
  type ServiceCategory,
  type TraffickingType,
} from '../../../common/clients.ts';
import { PART2_CITATION, PART2_EXPLANATION, PART2_NOTICE } from '../../../common/part2.ts';
import type {
  AddClientDocumentInput,
  ClientDocumentDto,
  ClientDto,
  ClientServiceInput,
  ClientSummaryDto,
  CreateClientInput,
  CreateReleaseInput,
  CreateShareInput,
  ReleaseDto,
  RevokeReleaseInput,
  SharedExtractDto,
  UpdateClientInput,
} from '../../../common/schemas/clients.ts';
import { referralForIntake } from '../referrals/referrals.service.ts';
import { clientPolicy, type ClientRecord } from './clients.policy.ts';
import { isCompartmentStaff, releaseInEffect } from './clients.access.ts';
import * as q from './clients.queries.ts';
import { indexShare, unindexRelease } from './clients.index.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });
const DAY_MS = 86_400_000;

/**
 * The gate in front of every client route (issue #12, item 3): an actor who is not compartment staff —
 * every law-enforcement, prosecutor, child-welfare and federal user — gets the same 404 whether or not
 * the id names a client, before anything is read, so no status, body, timing or count tells them apart.
 */
function compartmentGate(actor: Actor, what = 'client') {
  if (!isCompartmentStaff(actor)) throw notFound(what);
}

function clientRecord(row: q.VisibleClientRow): ClientRecord {
  return { id: row.id, agencyId: row.agency_id, assigned: Number(row.assigned) === 1 };
}

/** A release's default length in days: the jurisdiction's (`LANTERN_RELEASE_DEFAULT_DAYS`), else 90. */
export function releaseDefaultDays(): number {
  const n = Number(process.env.LANTERN_RELEASE_DEFAULT_DAYS);
  return Number.isInteger(n) && n >= 1 && n <= 366 ? n : RELEASE_DEFAULT_DAYS;
}

async function loadClient(ctx: AppContext, actor: Actor, id: string) {
  compartmentGate(actor);
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('client');
  return { row, record: clientRecord(row) };
}

function summaryOf(ctx: AppContext, row: q.VisibleClientRow, assignees: readonly { client_id: string; display_name: string }[], active: number): ClientSummaryDto {
  return {
    id: row.id,
    name: unseal(ctx.keyring, 'client', 'name', row.id, row.name),
    intake: row.intake as ClientIntake,
    status: row.status as ClientStatus,
    openedAt: row.opened_at,
    assignedTo: assignees.filter((a) => a.client_id === row.id).map((a) => a.display_name),
    activeReleases: active,
  };
}

function releaseDto(ctx: AppContext, actor: Actor, record: ClientRecord, r: q.ReleaseListRow, shares: Awaited<ReturnType<typeof q.sharesOf>>, now: string): ReleaseDto {
  const abilities = abilitiesFor(actor, clientPolicy, record);
  const inEffect = releaseInEffect({ status: r.status, startsAt: r.starts_at, expiresAt: r.expires_at }, now);
  return {
    id: r.id,
    clientId: r.client_id,
    recipientAgency: { id: r.recipient_agency_id, name: r.recipient_agency_name },
    recipientUser: r.recipient_user_id ? { id: r.recipient_user_id, name: r.recipient_user_name ?? '' } : null,
    scopes: JSON.parse(r.scopes) as ReleaseScope[],
    purpose: r.purpose,
    consentMethod: r.consent_method as ConsentMethod,
    scanDocument: r.scan_document_id ? { id: r.scan_document_id, name: r.scan_document_name ? unseal(ctx.keyring, 'client_document', 'name', r.scan_document_id, r.scan_document_name) : '' } : null,
    startsAt: r.starts_at,
    expiresAt: r.expires_at,
    status: r.status as ReleaseStatus,
    inEffect,
    revokedAt: r.revoked_at,
    revocationMethod: r.revocation_method as RevocationMethod | null,
    shares: shares.filter((s) => s.release_id === r.id).map((s) => ({ id: s.id, at: s.shared_at, by: s.by, scopes: JSON.parse(s.scopes) as ReleaseScope[] })),
    createdAt: r.created_at,
    createdBy: r.created_by_name,
    version: r.version,
    abilities: { ...abilities, 'client.share': Boolean(abilities['client.share']) && inEffect, 'client.release': Boolean(abilities['client.release']) && r.status === 'active' },
  };
}

async function clientDto(ctx: AppContext, actor: Actor, row: q.VisibleClientRow): Promise<ClientDto> {
  const now = ctx.clock.now().toISOString();
  const record = clientRecord(row);
  const [assignees, services, notes, documents, releases] = await Promise.all([
    q.assigneesOf(ctx.db, [row.id]),
    q.servicesOf(ctx.db, row.id),
    q.notesOf(ctx.db, row.id),
    q.documentsOf(ctx.db, row.id),
    q.releasesOf(ctx.db, row.id),
  ]);
  const shares = await q.sharesOf(
    ctx.db,
    releases.map((r) => r.id),
  );
  const abilities = abilitiesFor(actor, clientPolicy, record);
  const advocates = abilities['client.assign'] ? await q.advocatesOf(ctx.db, row.agency_id) : [];
  const active = releases.filter((r) => releaseInEffect({ status: r.status, startsAt: r.starts_at, expiresAt: r.expires_at }, now)).length;
  return {
    ...summaryOf(ctx, row, assignees, active),
    referralId: row.referral_id,
    phone: unseal(ctx.keyring, 'client', 'phone', row.id, row.phone),
    language: row.language,
    traffickingType: row.trafficking_type as TraffickingType,
    nationality: row.nationality as Nationality,
    needs: JSON.parse(row.needs) as ServiceCategory[],
    safetyPlan: unseal(ctx.keyring, 'client', 'safety_plan', row.id, row.safety_plan),
    safetyPlanUpdatedAt: row.safety_plan_updated_at,
    closedAt: row.closed_at,
    closeReason: row.close_reason,
    services: services.map((s) => ({
      id: s.id,
      category: s.category as ServiceCategory,
      providedOn: s.provided_on,
      note: unseal(ctx.keyring, 'client_service', 'note', s.id, s.note),
      part2: s.part2 === 1,
      recordedBy: s.author,
      recordedAt: s.created_at,
    })),
    notes: notes.map((n) => ({ id: n.id, at: n.created_at, author: n.author, text: unseal(ctx.keyring, 'client_note', 'body', n.id, n.body) })),
    documents: documents.map((d) => ({
      id: d.id,
      name: unseal(ctx.keyring, 'client_document', 'name', d.id, d.name),
      mime: d.mime as ClientDocumentType,
      size: Number(d.size),
      addedBy: d.author,
      addedAt: d.created_at,
    })),
    assignments: assignees.map((a) => ({ userId: a.user_id, name: a.display_name, assignedAt: a.assigned_at, assignedBy: a.assigned_by_name })),
    assignableAdvocates: advocates.filter((a) => !assignees.some((x) => x.user_id === a.id)).map((a) => ({ id: a.id, name: a.display_name })),
    releases: releases.map((r) => releaseDto(ctx, actor, record, r, shares, now)),
    version: row.version,
    abilities,
  };
}

// ------------------------------------------------------------------------------------------- clients

export async function listClients(ctx: AppContext, actor: Actor, filter: { status?: string | undefined }, meta: RequestMeta) {
  compartmentGate(actor);
  const now = ctx.clock.now().toISOString();
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const rows = await q.list(tx.db, actor, filter);
    const ids = rows.map((r) => r.id);
    const [assignees, counts] = await Promise.all([q.assigneesOf(tx.db, ids), q.activeReleaseCounts(tx.db, ids, now)]);
    if (rows.length) tx.audit({ action: 'client.read', recordType: 'client', recordAgencyId: actor.agencyId, detail: { count: rows.length, ids: ids.join(',') } });
    return { clients: rows.map((r) => summaryOf(ctx, r, assignees, Number(counts.find((c) => c.client_id === r.id)?.n ?? 0))) };
  });
}

export async function getClient(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<ClientDto> {
  const { row, record } = await loadClient(ctx, actor, id);
  authorize(actor, clientPolicy, 'client.read', record);
  const dto = await clientDto(ctx, actor, row);
  await ctx.audit.record(who(actor, meta), { action: 'client.read', recordType: 'client', recordId: id, recordAgencyId: row.agency_id });
  return dto;
}

/**
 * Intake (issue #12, item 1): from a referral the actor's agency accepted (its first name, language, the
 * phone in its safe-contact line, and its services as needs), or a walk-in with no police involvement.
 * The advocate who opens the record is assigned to it.
 */
export async function createClient(ctx: AppContext, actor: Actor, input: CreateClientInput, meta: RequestMeta): Promise<ClientDto> {
  compartmentGate(actor);
  const id = newId();
  const now = ctx.clock.now().toISOString();
  let name: string;
  let phone: string | null = null;
  let language: string | null = null;
  let needs: ServiceCategory[] = [];
  let referralId: string | null = null;
  let safeContact: string | null = null;
  if (input.intake === 'referral') {
    const referral = await referralForIntake(ctx, actor, input.referralId);
    if (!referral) throw invalid('referralId', 'must be a referral sent to your agency');
    if (referral.status !== 'accepted') throw conflict('referralId: accept the referral before opening a client record from it', 'referralId');
    referralId = referral.id;
    name = input.name ?? referral.firstName;
    language = referral.language;
    safeContact = referral.safeContact;
    const found = phonesInText(referral.safeContact)[0];
    phone = found ? formatPhone(found) : null;
    needs = [...new Set(referral.services.map((s) => NEED_OF_REFERRAL_SERVICE[s]).filter((n): n is ServiceCategory => Boolean(n)))];
  } else {
    name = input.name;
    phone = input.phone ?? null;
    language = input.language ?? null;
  }
  try {
    await ctx.audit.transact(who(actor, meta), async (tx) => {
      await q.insertClient(tx.db, {
        id,
        agency_id: actor.agencyId,
        referral_id: referralId,
        intake: input.intake,
        name: seal(ctx.keyring, 'client', 'name', id, name),
        phone: seal(ctx.keyring, 'client', 'phone', id, phone),
        language,
        trafficking_type: 'unknown',
        nationality: 'unknown',
        needs: JSON.stringify(needs),
        safety_plan: null,
        safety_plan_updated_at: null,
        status: 'open',
        opened_at: now,
        closed_at: null,
        close_reason: null,
        version: 1,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      });
      await q.assign(tx.db, { client_id: id, user_id: actor.userId, assigned_by: actor.userId, assigned_at: now });
      if (safeContact) {
        const noteId = newId();
        await q.insertNote(tx.db, {
          id: noteId,
          client_id: id,
          agency_id: actor.agencyId,
          body: seal(ctx.keyring, 'client_note', 'body', noteId, `From the referral — how to reach them safely: ${safeContact}`),
          created_by: actor.userId,
          created_at: now,
        });
      }
      tx.audit({ action: 'client.create', recordType: 'client', recordId: id, recordAgencyId: actor.agencyId, changedFields: ['name', 'phone', 'language', 'needs'], detail: { intake: input.intake, referralId } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('referralId: a client record was already opened from this referral', 'referralId');
    throw err;
  }
  return getFresh(ctx, actor, id);
}

async function getFresh(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('client');
  return clientDto(ctx, actor, row);
}

/** Changes to the client's record (details, needs, safety plan, closing), against the version read. */
export async function updateClient(ctx: AppContext, actor: Actor, id: string, input: UpdateClientInput, meta: RequestMeta): Promise<ClientDto> {
  const { row, record } = await loadClient(ctx, actor, id);
  authorize(actor, clientPolicy, 'client.update', record);
  const now = ctx.clock.now().toISOString();
  const changes: Partial<Parameters<typeof q.insertClient>[1]> = { updated_at: now };
  const changed: string[] = [];
  const set = (field: string, apply: () => void) => {
    apply();
    changed.push(field);
  };
  if (input.name !== undefined) set('name', () => (changes.name = seal(ctx.keyring, 'client', 'name', id, input.name!)));
  if (input.phone !== undefined) set('phone', () => (changes.phone = seal(ctx.keyring, 'client', 'phone', id, input.phone ?? null)));
  if (input.language !== undefined) set('language', () => (changes.language = input.language!));
  if (input.traffickingType !== undefined) set('traffickingType', () => (changes.trafficking_type = input.traffickingType!));
  if (input.nationality !== undefined) set('nationality', () => (changes.nationality = input.nationality!));
  if (input.needs !== undefined) set('needs', () => (changes.needs = JSON.stringify([...new Set(input.needs)])));
  if (input.safetyPlan !== undefined) {
    changes.safety_plan = seal(ctx.keyring, 'client', 'safety_plan', id, input.safetyPlan);
    changes.safety_plan_updated_at = now;
    changed.push('safetyPlan');
  }
  if (input.status !== undefined && input.status !== row.status) {
    if (input.status === 'closed') {
      if (!input.closeReason) throw invalid('closeReason', 'is required when closing a client record');
      Object.assign(changes, { status: 'closed', closed_at: now, close_reason: input.closeReason });
    } else Object.assign(changes, { status: 'open', closed_at: null, close_reason: null });
    changed.push('status');
  }
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    if (!(await q.updateAtVersion(tx.db, id, input.version, changes))) throw conflict('version: this client record was changed a moment ago; reload it and make your change again', 'version');
    tx.audit({ action: 'client.update', recordType: 'client', recordId: id, recordAgencyId: row.agency_id, changedFields: changed });
  });
  return getFresh(ctx, actor, id);
}

/** A service provided, with its date (the TIMS categories); substance-use treatment is Part 2 information. */
export async function addService(ctx: AppContext, actor: Actor, id: string, input: ClientServiceInput, meta: RequestMeta): Promise<ClientDto> {
  const { row, record } = await loadClient(ctx, actor, id);
  authorize(actor, clientPolicy, 'client.update', record);
  const now = ctx.clock.now().toISOString();
  if (input.providedOn > now.slice(0, 10)) throw invalid('providedOn', 'must not be in the future');
  const serviceId = newId();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insertService(tx.db, {
      id: serviceId,
      client_id: id,
      agency_id: row.agency_id,
      category: input.category,
      provided_on: input.providedOn,
      note: seal(ctx.keyring, 'client_service', 'note', serviceId, input.note ?? null),
      part2: PART2_SERVICE_CATEGORIES.includes(input.category) ? 1 : 0,
      created_by: actor.userId,
      created_at: now,
    });
    await q.touch(tx.db, id, now);
    tx.audit({ action: 'client.update', recordType: 'client', recordId: id, recordAgencyId: row.agency_id, changedFields: ['services'], detail: { serviceId, category: input.category } });
  });
  return getFresh(ctx, actor, id);
}

/** A dated note in the client's history: encrypted, append-only. */
export async function addNote(ctx: AppContext, actor: Actor, id: string, text: string, meta: RequestMeta): Promise<ClientDto> {
  const { row, record } = await loadClient(ctx, actor, id);
  authorize(actor, clientPolicy, 'client.update', record);
  const now = ctx.clock.now().toISOString();
  const noteId = newId();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insertNote(tx.db, { id: noteId, client_id: id, agency_id: row.agency_id, body: seal(ctx.keyring, 'client_note', 'body', noteId, text), created_by: actor.userId, created_at: now });
    await q.touch(tx.db, id, now);
    tx.audit({ action: 'client.update', recordType: 'client', recordId: id, recordAgencyId: row.agency_id, changedFields: ['notes'], detail: { noteId } });
  });
  return getFresh(ctx, actor, id);
}

// ----------------------------------------------------------------------------------------- documents

/**
 * Attaches a document to the client (issue #12, item 1: "documents (encrypted)"): a PDF or a photo of a
 * page, at most 5 MB, whose first bytes match its declared type; its name and bytes are sealed at rest.
 */
export async function addDocument(ctx: AppContext, actor: Actor, clientId: string, input: AddClientDocumentInput, meta: RequestMeta): Promise<ClientDocumentDto> {
  const { row, record } = await loadClient(ctx, actor, clientId);
  authorize(actor, clientPolicy, 'client.update', record);
  const bytes = decodeUpload({ contentType: input.contentType, base64: input.content }, 'content', CLIENT_DOCUMENT_MAX_BYTES);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insertDocument(tx.db, {
      id,
      client_id: clientId,
      agency_id: row.agency_id,
      name: seal(ctx.keyring, 'client_document', 'name', id, input.name),
      mime: input.contentType,
      size: bytes.length,
      content: seal(ctx.keyring, 'client_document', 'content', id, bytes.toString('base64')),
      created_by: actor.userId,
      created_at: now,
    });
    await q.touch(tx.db, clientId, now);
    tx.audit({ action: 'client.document.add', recordType: 'client', recordId: clientId, recordAgencyId: row.agency_id, changedFields: ['documents'], detail: { documentId: id, mime: input.contentType, size: bytes.length } });
  });
  return { id, name: input.name, mime: input.contentType, size: bytes.length, addedBy: actor.displayName, addedAt: now };
}

/** A client's document for download, to the case team (`client.readDocument`): an audited read. */
export async function downloadDocument(ctx: AppContext, actor: Actor, clientId: string, documentId: string, meta: RequestMeta) {
  const { row, record } = await loadClient(ctx, actor, clientId);
  authorize(actor, clientPolicy, 'client.readDocument', record);
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const d = await q.findDocument(tx.db, clientId, documentId);
    if (!d) throw notFound('document');
    tx.audit({ action: 'client.document.read', recordType: 'client', recordId: clientId, recordAgencyId: row.agency_id, detail: { documentId } });
    return {
      bytes: Buffer.from(unseal(ctx.keyring, 'client_document', 'content', d.id, d.content), 'base64'),
      contentType: d.mime,
      filename: unseal(ctx.keyring, 'client_document', 'name', d.id, d.name),
    };
  });
}

// --------------------------------------------------------------------------------------- assignments

/**
 * Assigns an advocate of the client's agency to the client (issue #12, item 1: "staff assigned to the
 * client and their supervisors"): the agency's supervisors only. Anyone else's user, or a user who is
 * not an advocate there, is refused naming `userId`.
 */
export async function assignAdvocate(ctx: AppContext, actor: Actor, clientId: string, userId: string, meta: RequestMeta): Promise<ClientDto> {
  const { row, record } = await loadClient(ctx, actor, clientId);
  authorize(actor, clientPolicy, 'client.assign', record);
  const advocates = await q.advocatesOf(ctx.db, row.agency_id);
  if (!advocates.some((a) => a.id === userId)) throw invalid('userId', "must be an advocate of the client's agency");
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    if (!(await q.assign(tx.db, { client_id: clientId, user_id: userId, assigned_by: actor.userId, assigned_at: now }))) throw conflict('userId: this advocate is already assigned to the client', 'userId');
    await q.touch(tx.db, clientId, now);
    tx.audit({ action: 'client.assign', recordType: 'client', recordId: clientId, recordAgencyId: row.agency_id, changedFields: ['assignments'], detail: { event: 'assigned', userId } });
  });
  return getFresh(ctx, actor, clientId);
}

/** Ends an assignment: the advocate no longer sees the client (supervisors still do). */
export async function unassignAdvocate(ctx: AppContext, actor: Actor, clientId: string, userId: string, meta: RequestMeta): Promise<ClientDto> {
  const { row, record } = await loadClient(ctx, actor, clientId);
  authorize(actor, clientPolicy, 'client.assign', record);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    if (!(await q.unassign(tx.db, clientId, userId))) throw notFound('assignment');
    await q.touch(tx.db, clientId, now);
    tx.audit({ action: 'client.assign', recordType: 'client', recordId: clientId, recordAgencyId: row.agency_id, changedFields: ['assignments'], detail: { event: 'unassigned', userId } });
  });
  return getFresh(ctx, actor, clientId);
}

// ------------------------------------------------------------------------------------------ releases

/**
 * A release of information (issue #12, item 2): informed and written, for one recipient agency (and
 * optionally one of its people), named scopes and a purpose, from a start (now by default) to an expiry
 * (the jurisdiction's default length when none is given). Its whole life is audited.
 */
export async function createRelease(ctx: AppContext, actor: Actor, clientId: string, input: CreateReleaseInput, meta: RequestMeta): Promise<ReleaseDto> {
  const { row, record } = await loadClient(ctx, actor, clientId);
  authorize(actor, clientPolicy, 'client.release', record);
  const now = ctx.clock.now().toISOString();
  const recipient = await q.findRecipient(ctx.db, input.recipientAgencyId, input.recipientUserId ?? null);
  if (!recipient) throw invalid('recipientAgencyId', 'must be an agency');
  if (recipient.id === row.agency_id) throw invalid('recipientAgencyId', 'must be another agency: your own staff work from the client record');
  if (input.recipientUserId && !recipient.user_id) throw invalid('recipientUserId', 'must be a user of the recipient agency');
  if (input.scanDocumentId && !(await q.isDocumentOf(ctx.db, clientId, input.scanDocumentId))) throw invalid('scanDocumentId', "must be one of this client's documents");
  // Compared as instants, not text: the form may give either date alone, and with any UTC offset.
  const startsAt = new Date(input.startsAt ?? now).toISOString();
  const expiresAt = new Date(input.expiresAt ?? Date.parse(startsAt) + releaseDefaultDays() * DAY_MS).toISOString();
  if (expiresAt <= startsAt) throw invalid('expiresAt', 'must be after the start');
  if (Date.parse(expiresAt) - Date.parse(startsAt) > RELEASE_MAX_DAYS * DAY_MS) throw invalid('expiresAt', `must be at most ${RELEASE_MAX_DAYS} days after the start`);
  if (expiresAt <= now) throw invalid('expiresAt', 'must be in the future');
  const id = newId();
  const scopes = [...new Set(input.scopes)];
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insertRelease(tx.db, {
      id,
      client_id: clientId,
      agency_id: row.agency_id,
      recipient_agency_id: recipient.id,
      recipient_user_id: input.recipientUserId ?? null,
      scopes: JSON.stringify(scopes),
      purpose: input.purpose,
      subject_name: seal(ctx.keyring, 'client_release', 'subject_name', id, unseal(ctx.keyring, 'client', 'name', clientId, row.name)),
      consent_method: input.consentMethod,
      signature: seal(ctx.keyring, 'client_release', 'signature', id, input.consentMethod === 'signed_on_screen' ? (input.signature ?? null) : null),
      scan_document_id: input.consentMethod === 'scan' ? (input.scanDocumentId ?? null) : null,
      starts_at: startsAt,
      expires_at: expiresAt,
      status: 'active',
      revoked_at: null,
      revoked_by: null,
      revocation_method: null,
      revocation_note: null,
      expiry_recorded_at: null,
      version: 1,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    tx.audit({
      action: 'client.release',
      recordType: 'client_release',
      recordId: id,
      recordAgencyId: row.agency_id,
      detail: { clientId, event: 'granted', recipientAgencyId: recipient.id, recipientUserId: input.recipientUserId ?? null, scopes: scopes.join(','), startsAt, expiresAt, consentMethod: input.consentMethod },
    });
  });
  return releaseOf(ctx, actor, id);
}

async function releaseOf(ctx: AppContext, actor: Actor, releaseId: string): Promise<ReleaseDto> {
  const r = await q.findReleaseForStaff(ctx.db, actor, releaseId);
  if (!r) throw notFound('release');
  const shares = await q.sharesOf(ctx.db, [r.id]);
  return releaseDto(ctx, actor, { id: r.client_id, agencyId: r.agency_id, assigned: Number(r.assigned) === 1 }, r, shares, ctx.clock.now().toISOString());
}

/** Loads a release from the advocates' side; a recipient or anyone else gets the same 404 as for no release. */
async function loadReleaseForStaff(ctx: AppContext, actor: Actor, releaseId: string) {
  compartmentGate(actor, 'release');
  const r = await q.findReleaseForStaff(ctx.db, actor, releaseId);
  if (!r) throw notFound('release');
  return { r, record: { id: r.client_id, agencyId: r.agency_id, assigned: Number(r.assigned) === 1 } satisfies ClientRecord };
}

/** Revocation, at once (orally, recorded by staff, or in writing): the next share or read is refused. */
export async function revokeRelease(ctx: AppContext, actor: Actor, releaseId: string, input: RevokeReleaseInput, meta: RequestMeta): Promise<ReleaseDto> {
  const { r, record } = await loadReleaseForStaff(ctx, actor, releaseId);
  authorize(actor, clientPolicy, 'client.release', record);
  if (r.status === 'revoked') throw conflict('status: this release was already revoked', 'status');
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const done = await q.revoke(tx.db, releaseId, {
      revoked_at: now,
      revoked_by: actor.userId,
      revocation_method: input.method,
      revocation_note: seal(ctx.keyring, 'client_release', 'revocation_note', releaseId, input.note ?? null),
      updated_at: now,
    });
    if (!done) throw conflict('status: this release was revoked a moment ago', 'status');
    await unindexRelease(tx.db, releaseId);
    tx.audit({ action: 'client.release', recordType: 'client_release', recordId: releaseId, recordAgencyId: r.agency_id, detail: { clientId: r.client_id, event: 'revoked', method: input.method } });
  });
  return releaseOf(ctx, actor, releaseId);
}

/** The client's services, split as the scopes split them: Part 2 information only under `substance_use`. */
function servicesByScope(services: Awaited<ReturnType<typeof q.servicesOf>>) {
  const pick = (part2: boolean) => services.filter((s) => (s.part2 === 1) === part2).map((s) => ({ category: s.category as ServiceCategory, providedOn: s.provided_on }));
  return { general: pick(false), part2: pick(true) };
}

/**
 * Shares a scoped extract with the release's recipient (issue #12, item 3): the scopes asked for (all
 * the release's by default), each one the release names, and nothing else. The release is re-checked
 * in the sharing transaction (`claimForShare`), so a revocation that commits first refuses the share.
 * Substance-use information goes only under a release naming it, with the Part 2 notice.
 */
export async function shareUnderRelease(ctx: AppContext, actor: Actor, releaseId: string, input: CreateShareInput, meta: RequestMeta): Promise<ReleaseDto> {
  const { r, record } = await loadReleaseForStaff(ctx, actor, releaseId);
  authorize(actor, clientPolicy, 'client.share', record);
  const now = ctx.clock.now().toISOString();
  const released = JSON.parse(r.scopes) as ReleaseScope[];
  const scopes = [...new Set(input?.scopes ?? released)];
  const outside = scopes.filter((s) => !released.includes(s));
  if (outside.length) throw invalid('scopes', `the release does not cover ${outside.join(', ')}`);
  if (scopes.includes('statement') && !input?.statement) throw invalid('statement', 'is required to share the statement scope');
  const client = await q.findVisible(ctx.db, actor, r.client_id);
  if (!client) throw notFound('release');
  const services = servicesByScope(await q.servicesOf(ctx.db, r.client_id));
  const extract = {
    serviceStatus: scopes.includes('service_status') ? { status: client.status as ClientStatus, services: services.general } : null,
    contactDetails: scopes.includes('contact_details') ? { phone: unseal(ctx.keyring, 'client', 'phone', client.id, client.phone), language: client.language } : null,
    statement: scopes.includes('statement') ? (input?.statement ?? null) : null,
    substanceUse: scopes.includes('substance_use') ? { services: services.part2 } : null,
  };
  const shareId = newId();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    if (!(await q.claimForShare(tx.db, releaseId, now))) throw conflict('status: this release is no longer in effect (revoked, expired or not yet started); nothing was shared', 'status');
    await q.insertShare(tx.db, {
      id: shareId,
      release_id: releaseId,
      client_id: r.client_id,
      agency_id: r.agency_id,
      recipient_agency_id: r.recipient_agency_id,
      scopes: JSON.stringify(scopes),
      extract: seal(ctx.keyring, 'client_share', 'extract', shareId, JSON.stringify(extract)),
      part2: scopes.includes('substance_use') ? 1 : 0,
      shared_by: actor.userId,
      shared_at: now,
    });
    await indexShare(tx.db, ctx, { id: releaseId, recipientAgencyId: r.recipient_agency_id }, scopes, extract.contactDetails?.phone ?? null);
    tx.audit({
      action: 'client.share',
      recordType: 'client_release',
      recordId: releaseId,
      recordAgencyId: r.agency_id,
      detail: { clientId: r.client_id, shareId, recipientAgencyId: r.recipient_agency_id, scopes: scopes.join(','), part2: scopes.includes('substance_use') },
    });
  });
  return releaseOf(ctx, actor, releaseId);
}

/**
 * The recipient's read (issue #12, contract `GET /api/releases/:id/shared`): the newest extract shared
 * under a release in effect for the actor at this moment, marked with the release and its expiry.
 * Revoked, expired, not yet started, another agency's, another person's, or never shared: the same 404.
 * The read and its audit row commit together.
 */
export async function readShared(ctx: AppContext, actor: Actor, releaseId: string, meta: RequestMeta): Promise<SharedExtractDto> {
  const now = ctx.clock.now().toISOString();
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await q.findSharedForRecipient(tx.db, actor, releaseId, now);
    if (!row) throw notFound('shared record');
    const extract = JSON.parse(unseal(ctx.keyring, 'client_share', 'extract', row.share_id, row.extract)) as Omit<SharedExtractDto, 'release' | 'subject' | 'sharedAt' | 'part2Notice'>;
    tx.audit({ action: 'release.readShared', recordType: 'client_release', recordId: releaseId, recordAgencyId: row.agency_id, detail: { shareId: row.share_id } });
    return {
      release: {
        id: row.id,
        from: { id: row.agency_id, name: row.from_agency_name },
        scopes: JSON.parse(row.release_scopes) as ReleaseScope[],
        purpose: row.purpose,
        startsAt: row.starts_at,
        expiresAt: row.expires_at,
      },
      subject: unseal(ctx.keyring, 'client_release', 'subject_name', row.id, row.subject_name),
      sharedAt: row.shared_at,
      serviceStatus: extract.serviceStatus,
      contactDetails: extract.contactDetails,
      statement: extract.statement,
      substanceUse: extract.substanceUse,
      part2Notice: extract.substanceUse ? { statement: PART2_NOTICE, citation: PART2_CITATION, explanation: PART2_EXPLANATION } : null,
    };
  });
}

/** The releases in effect that name the actor's agency (and the actor, or no one person). */
export async function listReceivedReleases(ctx: AppContext, actor: Actor, meta: RequestMeta) {
  const now = ctx.clock.now().toISOString();
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const rows = await q.receivedReleases(tx.db, actor, now);
    if (rows.length) tx.audit({ action: 'release.readShared', recordType: 'client_release', detail: { count: rows.length, ids: rows.map((r) => r.id).join(','), list: true } });
    return {
      releases: rows.map((r) => ({
        id: r.id,
        from: { id: r.agency_id, name: r.from_agency_name },
        subject: unseal(ctx.keyring, 'client_release', 'subject_name', r.id, r.subject_name),
        scopes: JSON.parse(r.scopes) as ReleaseScope[],
        expiresAt: r.expires_at,
        lastSharedAt: (r.last_shared_at as string | null) ?? null,
      })),
    };
  });
}
