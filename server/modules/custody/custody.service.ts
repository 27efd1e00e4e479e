import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { lockUntilCommit } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { CustodyHandoffRow, CustodyHandoffTable } from '../../db/schema/index.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { CUSTODY_STATEMENT_HOURS, type AgeBand, type Sex } from '../../../common/operations.ts';
import {
  formatPhone,
  type CustodyDto,
  type CustodyReceiptInput,
  type HandOffInput,
  type ParentNotificationInput,
  type UpdateCustodyInput,
} from '../../../common/schemas/contacts.ts';
import { loadContact, markProtectiveCustody, personLabel, touchContact } from '../contacts/contacts.service.ts';
import { contactPolicy } from '../contacts/contacts.policy.ts';
import { notify } from '../inbox/inbox.service.ts';
import { recordEvent } from '../operations/operations.service.ts';
import { custodyPolicy, type CustodyRecord } from './custody.policy.ts';
import { custodyAccess } from './custody.access.ts';
import * as q from './custody.queries.ts';
import type { DisclosureSources } from '../disclosure/disclosure-sources.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

const HOUR_MS = 60 * 60_000;
/** A device's clock may run a little ahead of the server's: times this far ahead are still "now". */
const CLOCK_SKEW_MS = 2 * 60_000;

function custodyRecord(row: q.VisibleCustodyRow): CustodyRecord {
  return { id: row.id, agencyId: row.agency_id, toAgencyId: row.to_agency_id, assigned: Number(row.assigned) === 1, received: row.receipt_at !== null };
}

function toDto(ctx: AppContext, actor: Actor, row: q.VisibleCustodyRow, notices: q.ParentNotificationListRow[]): CustodyDto {
  const record = custodyRecord(row);
  const now = ctx.clock.now().getTime();
  const due = Date.parse(row.statement_due_at);
  const filed = row.statement_filed_at !== null;
  return {
    id: row.id,
    contactId: row.contact_id,
    // The receiving agency gets the child's hand-off, not the operation it came from.
    operation: custodyAccess.ownerAssigned.allows(actor, record) ? { id: row.operation_id, name: row.operation_name } : null,
    child: {
      personNumber: row.person_number,
      label: personLabel(row.person_number),
      sex: row.sex as Sex,
      ageBand: row.age_band as AgeBand,
      estimatedAge: row.estimated_age,
      name: unseal(ctx.keyring, 'contact', 'name', row.contact_id, row.child_name),
    },
    fromAgency: { id: row.agency_id, name: row.from_agency_name },
    toAgency: { id: row.to_agency_id, name: row.to_agency_name },
    takenAt: row.taken_at,
    officer: { userId: row.officer_user_id, name: row.officer_name, phone: unseal(ctx.keyring, 'custody_handoff', 'officer_phone', row.id, row.officer_phone) },
    reason: row.reason as CustodyDto['reason'],
    reasonDetail: unseal(ctx.keyring, 'custody_handoff', 'reason_detail', row.id, row.reason_detail),
    juvenileOfficerNotifiedAt: row.juvenile_officer_notified_at,
    childrensDivisionNotifiedAt: row.childrens_division_notified_at,
    statementDueAt: row.statement_due_at,
    statementFiledAt: row.statement_filed_at,
    msUntilDue: filed ? null : due - now,
    overdue: !filed && now > due,
    parentNotifications: notices.map((p) => ({
      id: p.id,
      at: p.at,
      method: p.method as CustodyDto['parentNotifications'][number]['method'],
      outcome: p.outcome as CustodyDto['parentNotifications'][number]['outcome'],
      note: unseal(ctx.keyring, 'parent_notification', 'note', p.id, p.note),
      recordedBy: { userId: p.recorded_by, name: p.recorder_name },
    })),
    receipt:
      row.receipt_at && row.placement_type
        ? {
            caseworkerName: unseal(ctx.keyring, 'custody_handoff', 'receipt_caseworker_name', row.id, row.receipt_caseworker_name) ?? '',
            receivedAt: row.receipt_at,
            placementType: row.placement_type as NonNullable<CustodyDto['receipt']>['placementType'],
            placementName: unseal(ctx.keyring, 'custody_handoff', 'placement_name', row.id, row.placement_name),
            recordedBy: row.received_by ?? '',
          }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    abilities: abilitiesFor(actor, custodyPolicy, record),
  };
}

async function getFresh(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('custody hand-off');
  return toDto(ctx, actor, row, await q.parentNotificationsOf(ctx.db, [id]));
}

const iso = (v: string) => new Date(v).toISOString();

/** A time on a hand-off: not before the child was taken, not in the future. */
function checkTime(ctx: AppContext, field: string, value: string, takenAt: string) {
  if (Date.parse(value) < Date.parse(takenAt)) throw invalid(field, `is before the child was taken into custody (${takenAt})`);
  if (Date.parse(value) > ctx.clock.now().getTime() + CLOCK_SKEW_MS) throw invalid(field, 'is in the future');
}

// ---------------------------------------------------------------------------------------------- hand-off

/**
 * Records a child's protective-custody hand-off (RSMo 210.125; issue #3, item 5): time taken, officer,
 * reason, notifications, the receiving child-welfare agency; the officer's written statement is due
 * 12 hours after custody. Sets the child's disposition to protective custody. One hand-off per child.
 */
export async function handOffChild(ctx: AppContext, actor: Actor, contactId: string, input: HandOffInput, meta: RequestMeta) {
  const { row: contact, record } = await loadContact(ctx, actor, contactId);
  if (contact.role !== 'minor') throw conflict('role: a protective-custody hand-off is for a minor only', 'role');
  authorize(actor, contactPolicy, 'contact.handOff', record);
  if (record.receivingAgencyIds.length || (await q.findByContact(ctx.db, contactId))) throw conflict('This child already has a custody hand-off.', 'contactId');
  const takenAt = iso(input.takenAt);
  if (Date.parse(takenAt) > ctx.clock.now().getTime() + CLOCK_SKEW_MS) throw invalid('takenAt', 'is in the future');
  if (input.reason === 'other' && !input.reasonDetail) throw invalid('reasonDetail', 'explain the reason when it is other');
  for (const field of ['juvenileOfficerNotifiedAt', 'childrensDivisionNotifiedAt'] as const) {
    const value = input[field];
    if (value) checkTime(ctx, field, value, takenAt);
  }
  const target = await q.findHandoffTarget(ctx.db, input.toAgencyId, contact.operation_id, contact.op_task_force_id);
  if (!target || target.kind !== 'child_welfare' || !(target.operation_role === 'child_welfare' || target.member)) {
    throw invalid('toAgencyId', 'must be a child-welfare agency of the operation or its task force');
  }
  const officerId = input.officerUserId ?? actor.userId;
  const officer = await q.findAssignedOfficer(ctx.db, contact.operation_id, officerId, contact.agency_id);
  if (!officer) throw invalid('officerUserId', 'must be a user of the lead agency assigned to this operation');
  // The caseworker's line to the officer: the number given now, else the work phone on their account.
  const accountPhone = unseal(ctx.keyring, 'app_user', 'phone', officer.id, officer.phone);
  const officerPhone = input.officerPhone ? formatPhone(input.officerPhone) : accountPhone;
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const row: CustodyHandoffTable = {
    id,
    contact_id: contactId,
    operation_id: contact.operation_id,
    agency_id: contact.agency_id,
    to_agency_id: target.id,
    taken_at: takenAt,
    officer_user_id: officerId,
    reason: input.reason,
    reason_detail: seal(ctx.keyring, 'custody_handoff', 'reason_detail', id, input.reasonDetail || null),
    juvenile_officer_notified_at: input.juvenileOfficerNotifiedAt ? iso(input.juvenileOfficerNotifiedAt) : null,
    childrens_division_notified_at: input.childrensDivisionNotifiedAt ? iso(input.childrensDivisionNotifiedAt) : null,
    statement_due_at: new Date(Date.parse(takenAt) + CUSTODY_STATEMENT_HOURS * HOUR_MS).toISOString(),
    statement_filed_at: null,
    receipt_caseworker_name: null,
    receipt_at: null,
    placement_type: null,
    received_by: null,
    created_at: now,
    updated_at: now,
    officer_phone: seal(ctx.keyring, 'custody_handoff', 'officer_phone', id, officerPhone || null),
    placement_name: null,
  };
  try {
    await ctx.audit.transact(who(actor, meta), async (tx) => {
      const dispositionSet = await markProtectiveCustody(tx.db, ctx, contact);
      if (!dispositionSet) await touchContact(tx.db, ctx, contactId);
      await q.insert(tx.db, row);
      const op = { id: contact.operation_id, agency_id: contact.agency_id };
      await recordEvent(tx.db, ctx, op, 'custody_handoff', actor.userId, { personNumber: contact.person_number, toAgency: target.name });
      await notify(tx.db, ctx, {
        agencyId: target.id,
        audience: { role: 'caseworker' },
        kind: 'custody.handoff',
        title: `Protective custody: a child is being handed to ${target.name} by ${actor.agencyName}`,
        body: 'Open the hand-off to see the child and the reason, and record your receipt (caseworker, time and placement).',
        recordType: 'custody_handoff',
        recordId: id,
      });
      if (dispositionSet) {
        tx.audit({ action: 'contact.update', recordType: 'contact', recordId: contactId, recordAgencyId: contact.agency_id, changedFields: ['disposition'], detail: { personNumber: contact.person_number, custodyHandoffId: id } });
      }
      tx.audit({
        action: 'custody.create',
        recordType: 'custody_handoff',
        recordId: id,
        recordAgencyId: contact.agency_id,
        changedFields: Object.keys(input),
        detail: { contactId, personNumber: contact.person_number, reason: input.reason, toAgencyId: target.id, officerUserId: officerId },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('This child already has a custody hand-off.', 'contactId');
    throw err;
  }
  return getFresh(ctx, actor, id);
}

async function loadForChange(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('custody hand-off');
  return { row, record: custodyRecord(row) };
}

/** One attempt to notify the child's parent or guardian (RSMo 210.125: notice to the parent). */
export async function recordParentNotification(ctx: AppContext, actor: Actor, id: string, input: ParentNotificationInput, meta: RequestMeta) {
  const { row, record } = await loadForChange(ctx, actor, id);
  authorize(actor, custodyPolicy, 'custody.update', record);
  const at = iso(input.at);
  checkTime(ctx, 'at', at, row.taken_at);
  const noteId = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insertParentNotification(tx.db, {
      id: noteId,
      handoff_id: id,
      agency_id: row.agency_id,
      at,
      method: input.method,
      outcome: input.outcome,
      note: seal(ctx.keyring, 'parent_notification', 'note', noteId, input.note || null),
      recorded_by: actor.userId,
    });
    await q.update(tx.db, id, { updated_at: now });
    await recordEvent(tx.db, ctx, { id: row.operation_id, agency_id: row.agency_id }, 'parent_notification', actor.userId, { personNumber: row.person_number, outcome: input.outcome });
    tx.audit({ action: 'custody.update', recordType: 'custody_handoff', recordId: id, recordAgencyId: row.agency_id, changedFields: ['parentNotifications'], detail: { method: input.method, outcome: input.outcome } });
  });
  return getFresh(ctx, actor, id);
}

const TIME_COLUMNS = {
  juvenileOfficerNotifiedAt: 'juvenile_officer_notified_at',
  childrensDivisionNotifiedAt: 'childrens_division_notified_at',
  statementFiledAt: 'statement_filed_at',
} as const satisfies Record<keyof UpdateCustodyInput, keyof CustodyHandoffRow>;

/** Notification times and the written statement's filing time (which stops the countdown). */
export async function updateCustody(ctx: AppContext, actor: Actor, id: string, input: UpdateCustodyInput, meta: RequestMeta) {
  const { row, record } = await loadForChange(ctx, actor, id);
  authorize(actor, custodyPolicy, 'custody.update', record);
  const changes: Partial<CustodyHandoffRow> = {};
  const changed: string[] = [];
  for (const [field, column] of Object.entries(TIME_COLUMNS) as [keyof UpdateCustodyInput, (typeof TIME_COLUMNS)[keyof UpdateCustodyInput]][]) {
    const value = input[field];
    if (value === undefined) continue;
    if (value !== null) checkTime(ctx, field, value, row.taken_at);
    changes[column] = value === null ? null : iso(value);
    changed.push(field);
  }
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.update(tx.db, id, { ...changes, updated_at: ctx.clock.now().toISOString() });
    if (input.statementFiledAt && !row.statement_filed_at) {
      await recordEvent(tx.db, ctx, { id: row.operation_id, agency_id: row.agency_id }, 'custody_statement_filed', actor.userId, { personNumber: row.person_number });
    }
    tx.audit({ action: 'custody.update', recordType: 'custody_handoff', recordId: id, recordAgencyId: row.agency_id, changedFields: changed });
  });
  return getFresh(ctx, actor, id);
}

/** The receiving caseworker's receipt of the child: who, when, and the placement (issue #3, item 5). */
export async function recordReceipt(ctx: AppContext, actor: Actor, id: string, input: CustodyReceiptInput, meta: RequestMeta) {
  const { row, record } = await loadForChange(ctx, actor, id);
  if (custodyAccess.receivingCaseworker.allows(actor, record) && record.received) throw conflict('The receipt of this child is already recorded.', 'receivedAt');
  authorize(actor, custodyPolicy, 'custody.receive', record);
  const receivedAt = iso(input.receivedAt);
  checkTime(ctx, 'receivedAt', receivedAt, row.taken_at);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const ok = await q.updateUnreceived(tx.db, id, {
      receipt_caseworker_name: seal(ctx.keyring, 'custody_handoff', 'receipt_caseworker_name', id, input.caseworkerName ?? actor.displayName),
      receipt_at: receivedAt,
      placement_type: input.placementType,
      placement_name: seal(ctx.keyring, 'custody_handoff', 'placement_name', id, input.placementName),
      received_by: actor.userId,
      updated_at: now,
    });
    if (!ok) throw conflict('The receipt of this child was recorded a moment ago.', 'receivedAt');
    await recordEvent(tx.db, ctx, { id: row.operation_id, agency_id: row.agency_id }, 'custody_received', actor.userId, { personNumber: row.person_number, placementType: input.placementType });
    await notify(tx.db, ctx, {
      agencyId: row.agency_id,
      audience: { userId: row.officer_user_id },
      kind: 'custody.received',
      title: `${row.to_agency_name} recorded receipt of ${personLabel(row.person_number)}`,
      body: `The caseworker's receipt of ${personLabel(row.person_number)} of “${row.operation_name}” is recorded.`,
      recordType: 'custody_handoff',
      recordId: id,
      operationId: row.operation_id,
    });
    tx.audit({ action: 'custody.receive', recordType: 'custody_handoff', recordId: id, recordAgencyId: row.agency_id, changedFields: ['caseworkerName', 'receivedAt', 'placementType', 'placementName'], detail: { placementType: input.placementType } });
  });
  return getFresh(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------- reading

/** Hand-offs sent to the actor's agency (caseworkers) and those of their own operations (assigned users of the lead). */
export async function listCustody(ctx: AppContext, actor: Actor, filter: { operationId?: string | undefined }, meta: RequestMeta) {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const rows = await q.list(tx.db, actor, filter);
    const notices = await q.parentNotificationsOf(tx.db, rows.map((r) => r.id));
    if (rows.length) tx.audit({ action: 'custody.read', recordType: 'custody_handoff', detail: { count: rows.length, ids: rows.map((r) => r.id).join(',') } });
    return { handoffs: rows.map((r) => toDto(ctx, actor, r, notices.filter((n) => n.handoff_id === r.id))) };
  });
}

export async function getCustody(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await q.findVisible(tx.db, actor, id);
    if (!row) throw notFound('custody hand-off');
    authorize(actor, custodyPolicy, 'custody.read', custodyRecord(row));
    tx.audit({ action: 'custody.read', recordType: 'custody_handoff', recordId: id, recordAgencyId: row.agency_id, detail: { personNumber: row.person_number } });
    return toDto(ctx, actor, row, await q.parentNotificationsOf(tx.db, [id]));
  });
}

// ---------------------------------------------------------------------------------------------- deadlines

/** When the officer and the lead's coordinators hear about an unfiled written statement. */
export const CUSTODY_ALERTS = [
  { stage: 'overdue', withinMs: 0, title: 'overdue' },
  { stage: '30m', withinMs: 30 * 60_000, title: 'due in 30 minutes' },
  { stage: '2h', withinMs: 2 * HOUR_MS, title: 'due in 2 hours' },
] as const;
const OVERDUE_ALERT_WINDOW_MS = 7 * 24 * HOUR_MS;

/**
 * Files the RSMo 210.125.2 written-statement alerts (issue #3, item 5): to the officer and to the lead
 * agency's coordinators when 2 hours remain, when 30 minutes remain, and once overdue — only the most
 * urgent stage that applies, each once. Every notice has a dedupe key, and processes take turns on the
 * check, so several processes running it every minute file each alert once. Returns how many
 * hand-offs got a new alert.
 */
export async function checkCustodyDeadlines(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + CUSTODY_ALERTS[CUSTODY_ALERTS.length - 1]!.withinMs).toISOString();
  const notBefore = new Date(now.getTime() - OVERDUE_ALERT_WINDOW_MS).toISOString();
  return ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, async (tx) => {
    await lockUntilCommit(ctx.dialect, tx.db, 'custody_deadlines');
    let filed = 0;
    for (const h of await q.dueStatements(tx.db, until, notBefore)) {
      const left = Date.parse(h.statement_due_at) - now.getTime();
      const alert = CUSTODY_ALERTS.find((a) => left <= a.withinMs)!;
      const officerKey = `custody:${h.id}:${alert.stage}:officer`;
      const coordinatorKey = `custody:${h.id}:${alert.stage}:coordinators`;
      const existing = await q.existingDedupeKeys(tx.db, [officerKey, coordinatorKey]);
      if (existing.has(officerKey) && existing.has(coordinatorKey)) continue;
      const label = personLabel(h.person_number);
      const title = `Custody statement ${alert.title}: ${label}, “${h.operation_name}”`;
      const body =
        `The officer's written statement to the juvenile officer (RSMo 210.125.2) for ${label} of “${h.operation_name}” ` +
        `${alert.stage === 'overdue' ? 'was' : 'is'} due at ${h.statement_due_at}. Record it as filed on the hand-off once it is.`;
      const notice = { kind: `custody.deadline.${alert.stage}`, title, body, recordType: 'custody_handoff', recordId: h.id, operationId: h.operation_id };
      await notify(tx.db, ctx, { ...notice, agencyId: h.officer_agency_id, audience: { userId: h.officer_user_id }, dedupeKey: officerKey });
      await notify(tx.db, ctx, { ...notice, agencyId: h.agency_id, audience: { role: 'coordinator' }, dedupeKey: coordinatorKey });
      tx.audit({ action: 'custody.alert', recordType: 'custody_handoff', recordId: h.id, recordAgencyId: h.agency_id, detail: { stage: alert.stage } });
      filed++;
    }
    return filed;
  });
}

/** Unscoped, for the disclosure guards only: the narratives written about children's custody. */
export async function unsafeDisclosureSources(ctx: AppContext, operationId: string): Promise<DisclosureSources> {
  const out: DisclosureSources = { identifying: [], staffText: [] };
  const handoffs = await ctx.db.selectFrom('custody_handoff').select(['id', 'reason_detail', 'receipt_caseworker_name', 'placement_name']).where('operation_id', '=', operationId).execute();
  for (const h of handoffs) {
    const detail = unseal(ctx.keyring, 'custody_handoff', 'reason_detail', h.id, h.reason_detail);
    if (detail) out.staffText.push(detail);
    const placement = unseal(ctx.keyring, 'custody_handoff', 'placement_name', h.id, h.placement_name);
    if (placement) out.staffText.push(placement);
  }
  const notes = await ctx.db
    .selectFrom('parent_notification as p')
    .innerJoin('custody_handoff as h', 'h.id', 'p.handoff_id')
    .select(['p.id', 'p.note'])
    .where('h.operation_id', '=', operationId)
    .execute();
  for (const n of notes) {
    const note = unseal(ctx.keyring, 'parent_notification', 'note', n.id, n.note);
    if (note) out.staffText.push(note);
  }
  return out;
}
