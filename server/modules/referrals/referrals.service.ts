import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { ReferralTable } from '../../db/schema/index.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { PART2_SERVICES, type ReferralStatus, type Service } from '../../../common/operations.ts';
import { PART2_CITATION, PART2_EXPLANATION, PART2_NOTICE } from '../../../common/part2.ts';
import { formatPhone, type ReferContactInput, type ReferralDto, type ReferralNoteDto, type SentReferralDto } from '../../../common/schemas/contacts.ts';
import { loadContact, personLabel, touchContact } from '../contacts/contacts.service.ts';
import { contactPolicy } from '../contacts/contacts.policy.ts';
import { notify } from '../inbox/inbox.service.ts';
import { recordEvent } from '../operations/operations.service.ts';
import { referralPolicy, type ReferralRecord } from './referrals.policy.ts';
import { referralAccess } from './referrals.access.ts';
import * as q from './referrals.queries.ts';
import type { DisclosureSources } from '../disclosure/disclosure-sources.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

function referralRecord(row: q.VisibleReferralRow): ReferralRecord {
  return { id: row.id, agencyId: row.agency_id, toAgencyId: row.to_agency_id, status: row.status as ReferralStatus, assigned: Number(row.assigned) === 1 };
}

/** A note's text: the legacy first note's is the old single field, still sealed on the referral. */
function noteDto(ctx: AppContext, row: q.VisibleReferralRow, n: q.ReferralNoteListRow): ReferralNoteDto {
  const text = n.legacy === 1 ? unseal(ctx.keyring, 'referral', 'advocate_notes', row.id, row.advocate_notes) : unseal(ctx.keyring, 'referral_note', 'body', n.id, n.body);
  return { id: n.id, at: n.created_at, author: n.author_user_id ? { userId: n.author_user_id, name: n.author_name ?? '' } : null, text: text ?? '' };
}

/**
 * Whether the actor sees the receiving advocates' view of the referral (its contents and their notes).
 * The advocates' notes about their client never reach the referring side (law enforcement): the person
 * consented to the referral, not to their advocates' notes being shared (issue #3, item 4; issue #9).
 */
function seesReceivingView(actor: Actor, row: q.VisibleReferralRow) {
  return referralAccess.receivingAdvocate.allows(actor, referralRecord(row));
}

/**
 * One referral as the actor may see it. The receiving advocates get only what the referral carries (and
 * their own notes); the referring side gets where it went and what became of it. Neither view carries
 * anything else of the person, the operation, or the other side's compartment. `notes` are the
 * referral's notes, loaded only for the receiving view.
 */
function toDto(ctx: AppContext, actor: Actor, row: q.VisibleReferralRow, notes: readonly q.ReferralNoteListRow[]): ReferralDto {
  const record = referralRecord(row);
  const services = JSON.parse(row.services) as Service[];
  const abilities = abilitiesFor(actor, referralPolicy, record);
  if (referralAccess.receivingAdvocate.allows(actor, record)) {
    return {
      id: row.id,
      view: 'receiving',
      firstName: unseal(ctx.keyring, 'referral', 'first_name', row.id, row.first_name),
      language: row.language,
      services,
      safeContact: unseal(ctx.keyring, 'referral', 'safe_contact', row.id, row.safe_contact),
      part2: row.part2 === 1,
      part2Notice: row.part2 === 1 ? { statement: PART2_NOTICE, citation: PART2_CITATION, explanation: PART2_EXPLANATION } : null,
      referringAgency: { name: row.from_agency_name },
      referringOfficer: { name: row.sender_name, phone: unseal(ctx.keyring, 'referral', 'callback_phone', row.id, row.callback_phone) },
      status: row.status as ReferralStatus,
      sentAt: row.sent_at,
      respondedAt: row.responded_at,
      notes: notes.filter((n) => n.referral_id === row.id).map((n) => noteDto(ctx, row, n)),
      abilities,
    };
  }
  return {
    id: row.id,
    view: 'referring',
    contactId: row.contact_id,
    operationId: row.operation_id,
    personNumber: row.person_number,
    toAgency: { id: row.to_agency_id, name: row.to_agency_name },
    services,
    part2: row.part2 === 1,
    status: row.status as ReferralStatus,
    sentAt: row.sent_at,
    respondedAt: row.responded_at,
    abilities,
  };
}

/**
 * Refers an adult potential victim, with their consent, to a victim-services agency of the task force
 * (issue #3, item 4). The referral carries a first name or alias, language, services wanted and a safe
 * way to reach the person; a substance-use service makes it a 42 CFR Part 2 referral, which carries the
 * Part 2 notice. The consent (who recorded it, when) is in the audit row; the receiving advocates get an
 * inbox notice that says nothing about the person.
 */
export async function referContact(ctx: AppContext, actor: Actor, contactId: string, input: ReferContactInput, meta: RequestMeta): Promise<SentReferralDto> {
  const { row: contact, record } = await loadContact(ctx, actor, contactId);
  if (contact.role !== 'adult_victim') {
    throw conflict('role: only an adult potential victim is referred to victim services (a child goes through the custody hand-off)', 'role');
  }
  authorize(actor, contactPolicy, 'contact.refer', record);
  const target = await q.findReferralTarget(ctx.db, input.toAgencyId, contact.operation_id, contact.op_task_force_id);
  if (!target || target.kind !== 'victim_services' || !(target.operation_role === 'victim_services' || target.member)) {
    throw invalid('toAgencyId', 'must be a victim-services agency of the operation or its task force');
  }
  if (await q.findOpen(ctx.db, contactId, target.id)) throw conflict('toAgencyId: this person already has an open referral to this agency', 'toAgencyId');
  const services = [...new Set(input.services)];
  const part2 = services.some((s) => PART2_SERVICES.includes(s));
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const row: ReferralTable = {
    id,
    contact_id: contactId,
    operation_id: contact.operation_id,
    agency_id: contact.agency_id,
    to_agency_id: target.id,
    first_name: seal(ctx.keyring, 'referral', 'first_name', id, input.firstName),
    language: input.language,
    services: JSON.stringify(services),
    safe_contact: seal(ctx.keyring, 'referral', 'safe_contact', id, input.safeContact),
    part2: part2 ? 1 : 0,
    status: 'sent',
    sent_by: actor.userId,
    sent_at: now,
    responded_by: null,
    responded_at: null,
    advocate_notes: null,
    updated_at: now,
    callback_phone: seal(ctx.keyring, 'referral', 'callback_phone', id, formatPhone(input.callbackPhone)),
  };
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insert(tx.db, row);
    await touchContact(tx.db, ctx, contactId);
    await recordEvent(tx.db, ctx, { id: contact.operation_id, agency_id: contact.agency_id }, 'referral_sent', actor.userId, {
      personNumber: contact.person_number,
      toAgency: target.name,
      part2,
    });
    await notify(tx.db, ctx, {
      agencyId: target.id,
      audience: { role: 'advocate' },
      kind: 'referral.received',
      title: `New referral from ${actor.agencyName}`,
      body: `A person agreed to be referred to ${target.name}. Open the referral to see how to reach them safely, then accept or decline it.`,
      recordType: 'referral',
      recordId: id,
    });
    tx.audit({
      action: 'referral.create',
      recordType: 'referral',
      recordId: id,
      recordAgencyId: contact.agency_id,
      changedFields: ['firstName', 'language', 'services', 'safeContact', 'callbackPhone'],
      // The consent record: the person agreed, as recorded by this actor (the row's actor) at this time.
      detail: { contactId, personNumber: contact.person_number, toAgencyId: target.id, consent: true, consentRecordedBy: actor.userId, consentAt: now, part2 },
    });
  });
  const created = await q.findVisible(ctx.db, actor, id);
  return toDto(ctx, actor, created!, []) as SentReferralDto;
}

/** Referrals sent to the actor's agency (advocates) and those of operations whose contacts the actor reads. */
export async function listReferrals(
  ctx: AppContext,
  actor: Actor,
  filter: { operationId?: string | undefined; contactId?: string | undefined; status?: string | undefined },
  meta: RequestMeta,
) {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const rows = await q.list(tx.db, actor, filter);
    const notes = await q.notesOf(tx.db, rows.filter((r) => seesReceivingView(actor, r)).map((r) => r.id));
    if (rows.length) tx.audit({ action: 'referral.read', recordType: 'referral', detail: { count: rows.length, ids: rows.map((r) => r.id).join(',') } });
    return { referrals: rows.map((r) => toDto(ctx, actor, r, notes)) };
  });
}

export async function getReferral(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await q.findVisible(tx.db, actor, id);
    if (!row) throw notFound('referral');
    authorize(actor, referralPolicy, 'referral.read', referralRecord(row));
    const dto = toDto(ctx, actor, row, seesReceivingView(actor, row) ? await q.notesOf(tx.db, [id]) : []);
    tx.audit({ action: 'referral.read', recordType: 'referral', recordId: id, recordAgencyId: row.agency_id, detail: { view: dto.view } });
    return dto;
  });
}

/** A new note in the advocates' history: who, when, the sealed text. */
function newNote(ctx: AppContext, actor: Actor, row: q.VisibleReferralRow, text: string, at: string) {
  const noteId = newId();
  return { id: noteId, referral_id: row.id, agency_id: row.to_agency_id, author_user_id: actor.userId, created_at: at, body: seal(ctx.keyring, 'referral_note', 'body', noteId, text), legacy: 0 };
}

/**
 * The receiving agency's answer. An optional note joins the advocates' own notes (never shown to the
 * referring side); the sender is told the status in their inbox.
 */
export async function respondToReferral(ctx: AppContext, actor: Actor, id: string, status: 'accepted' | 'declined', note: string | undefined, meta: RequestMeta) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('referral');
  const record = referralRecord(row);
  if (referralAccess.receivingAdvocate.allows(actor, record) && record.status !== 'sent') throw conflict(`status: this referral was already ${record.status}`, 'status');
  authorize(actor, referralPolicy, 'referral.respond', record);
  const now = ctx.clock.now().toISOString();
  const sender = await q.agencyOfUser(ctx.db, row.sent_by);
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const ok = await q.updateFromStatus(tx.db, id, 'sent', { status, responded_by: actor.userId, responded_at: now, updated_at: now });
    if (!ok) throw conflict('status: this referral was answered a moment ago; reload', 'status');
    if (note) await q.insertNote(tx.db, newNote(ctx, actor, row, note, now));
    await recordEvent(tx.db, ctx, { id: row.operation_id, agency_id: row.agency_id }, `referral_${status}`, null, { personNumber: row.person_number, toAgency: row.to_agency_name });
    if (sender) {
      await notify(tx.db, ctx, {
        agencyId: sender.agency_id,
        audience: { userId: row.sent_by },
        kind: `referral.${status}`,
        title: `Referral of ${personLabel(row.person_number)} ${status} by ${row.to_agency_name}`,
        body: `${row.to_agency_name} ${status} the referral you sent.`,
        recordType: 'referral',
        recordId: id,
        operationId: row.operation_id,
      });
    }
    tx.audit({ action: 'referral.respond', recordType: 'referral', recordId: id, recordAgencyId: row.agency_id, changedFields: note ? ['status', 'notes'] : ['status'], detail: { status } });
  });
  return getFresh(ctx, actor, id);
}

/**
 * Adds a dated note to the advocates' history of the referral: encrypted, append-only (a note is never
 * changed or removed), for the receiving agency only — never the referring side (`referral.annotate`).
 */
export async function addReferralNote(ctx: AppContext, actor: Actor, id: string, text: string, meta: RequestMeta) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('referral');
  authorize(actor, referralPolicy, 'referral.annotate', referralRecord(row));
  const now = ctx.clock.now().toISOString();
  const note = newNote(ctx, actor, row, text, now);
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insertNote(tx.db, note);
    await q.update(tx.db, id, { updated_at: now });
    tx.audit({ action: 'referral.annotate', recordType: 'referral', recordId: id, recordAgencyId: row.agency_id, changedFields: ['notes'], detail: { noteId: note.id } });
  });
  return getFresh(ctx, actor, id);
}

async function getFresh(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('referral');
  return toDto(ctx, actor, row, seesReceivingView(actor, row) ? await q.notesOf(ctx.db, [id]) : []);
}

/** Unscoped, for the disclosure guards only: first names and ways to reach people, and the advocates' notes. */
export async function unsafeDisclosureSources(ctx: AppContext, operationId: string): Promise<DisclosureSources> {
  const rows = await ctx.db.selectFrom('referral').select(['id', 'first_name', 'safe_contact', 'advocate_notes']).where('operation_id', '=', operationId).execute();
  const out: DisclosureSources = { identifying: [], staffText: [] };
  for (const r of rows) {
    out.identifying.push({ kind: 'alias', value: unseal(ctx.keyring, 'referral', 'first_name', r.id, r.first_name) });
    const safe = unseal(ctx.keyring, 'referral', 'safe_contact', r.id, r.safe_contact);
    out.staffText.push(safe);
    for (const m of safe.matchAll(/\+?\d[\d\s().-]{6,}\d/g)) out.identifying.push({ kind: 'phone', value: m[0] });
    const notes = unseal(ctx.keyring, 'referral', 'advocate_notes', r.id, r.advocate_notes);
    if (notes) out.staffText.push(notes);
  }
  const notes = await ctx.db
    .selectFrom('referral_note as n')
    .innerJoin('referral as r', 'r.id', 'n.referral_id')
    .select(['n.id', 'n.body'])
    .where('r.operation_id', '=', operationId)
    .where('n.legacy', '=', 0)
    .execute();
  for (const n of notes) {
    const text = unseal(ctx.keyring, 'referral_note', 'body', n.id, n.body);
    if (text) out.staffText.push(text);
  }
  return out;
}

/**
 * What an accepted referral hands to the advocates' client record (issue #12, intake): only for the
 * receiving advocates, as the receiving view shows it. Undefined when the actor may not see it that way.
 */
export async function referralForIntake(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row || !seesReceivingView(actor, row)) return undefined;
  return {
    id: row.id,
    toAgencyId: row.to_agency_id,
    status: row.status as ReferralStatus,
    firstName: unseal(ctx.keyring, 'referral', 'first_name', row.id, row.first_name),
    language: row.language,
    safeContact: unseal(ctx.keyring, 'referral', 'safe_contact', row.id, row.safe_contact),
    services: JSON.parse(row.services) as Service[],
  };
}
