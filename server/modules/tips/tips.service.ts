import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { TIP_TRANSITIONS, type TipSource, type TipStatus } from '../../../common/tips.ts';
import type { StaffTipInput, TipDto, TipListItem, TriageReason } from '../../../common/schemas/tips.ts';
import type { AssignTipInput, TipCountyQuery, TipListQuery, TipStatusInput } from '../../../common/schemas/tip-queue.ts';
import { notify } from '../inbox/inbox.service.ts';
import { linksForTip } from '../identifiers/identifiers.ts';
import { fileTip, type SealedTipDetails } from './tips.intake.ts';
import { tipAccess, type TipRecord } from './tips.access.ts';
import { tipPolicy } from './tips.policy.ts';
import * as q from './tips.queries.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

/** How long a queue row's summary is: enough to tell tips apart, not the whole story. */
export const SUMMARY_CHARS = 140;
/** What staff call the person who sent a tip, unless they gave contact details the reader may see. */
export const TIPSTER_LABEL = 'Tipster';

function tipRecord(row: q.VisibleTipRow): TipRecord {
  return { id: row.id, agencyId: row.agency_id, status: row.status as TipStatus, assignedUserId: row.assigned_user_id, sharedWithActor: Number(row.shared_with_actor) === 1 };
}

const parse = <T>(json: string, fallback: T): T => {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};

function summaryOf(narrative: string) {
  const flat = narrative.replace(/\s+/g, ' ').trim();
  if (flat.length <= SUMMARY_CHARS) return flat;
  const cut = flat.slice(0, SUMMARY_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUMMARY_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The indicators behind a rank that count other records (tips sharing an identifier, open operations)
 * were counted over what the holding queue's staff may see. Only they see those counts: a sharing
 * partner or an officer might not see the records counted, and a record the viewer may not see must
 * not show, not even as a count (issue #10, item 7). Everyone who reads the tip sees the words found
 * in it and why it is urgent.
 */
const COUNTED_REASONS = new Set(['repeated_identifiers', 'open_operation']);
function reasonsFor(actor: Actor, record: TipRecord, stored: string): TriageReason[] {
  const reasons = parse<TriageReason[]>(stored, []);
  return tipAccess.queueStaff.allows(actor, record) ? reasons : reasons.filter((r) => !COUNTED_REASONS.has(r.code));
}

function countyNameOf(ctx: AppContext, fips: string | null) {
  if (!fips) return null;
  return ctx.jurisdiction.hasCounty(fips) ? ctx.jurisdiction.countyName(fips) : fips;
}

function listItem(ctx: AppContext, actor: Actor, row: q.VisibleTipRow): TipListItem {
  const record = tipRecord(row);
  const narrative = unseal(ctx.keyring, 'tip', 'narrative', row.id, row.narrative);
  return {
    id: row.id,
    receivedAt: row.received_at,
    source: row.source as TipSource,
    status: row.status as TipStatus,
    urgent: row.urgent === 1,
    minorInvolved: row.minor_involved === 1,
    immediateDanger: row.immediate_danger === 1,
    zip: row.zip,
    countyFips: row.county_fips,
    countyName: countyNameOf(ctx, row.county_fips),
    agency: { id: row.agency_id, name: row.agency_name },
    sharedWithUs: record.sharedWithActor && row.agency_id !== actor.agencyId,
    assignedTo: row.assigned_user_id ? { id: row.assigned_user_id, name: row.assignee_name ?? '' } : null,
    score: row.score,
    reasons: reasonsFor(actor, record, row.score_reasons),
    summary: summaryOf(narrative),
    unreadMessages: Number(row.unread_messages ?? 0),
    version: row.version,
  };
}

// ---------------------------------------------------------------------------------------------- dates

/** The offset of `timeZone` from UTC at `at`, in milliseconds. */
function zoneOffsetMs(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at.getTime() / 1000) * 1000;
}

/** Midnight starting `day` (YYYY-MM-DD) in the jurisdiction's time zone, as an instant. */
export function startOfDay(day: string, timeZone: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  let at = utcMidnight - zoneOffsetMs(new Date(utcMidnight), timeZone);
  // Once more, in case the offset at the guess differs from the offset at the answer (a DST change that day).
  at = utcMidnight - zoneOffsetMs(new Date(at), timeZone);
  return new Date(at).toISOString();
}

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
function nextDay(day: string) {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
const asInstant = (field: string, v: string) => {
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(field, 'must be a real date');
  return new Date(t).toISOString();
};

function filterOf(ctx: AppContext, actor: Actor, query: TipCountyQuery & { county?: string | undefined }): q.TipFilter {
  const tz = ctx.jurisdiction.timeZone;
  const from = query.from ? (isDay(query.from) ? startOfDay(query.from, tz) : asInstant('from', query.from)) : undefined;
  // A day as `to` includes that whole day; an instant includes that moment.
  const before = query.to ? (isDay(query.to) ? startOfDay(nextDay(query.to), tz) : new Date(Date.parse(asInstant('to', query.to)) + 1).toISOString()) : undefined;
  if (from && before && from >= before) throw invalid('to', 'must not be before from');
  return {
    agencyId: query.agency,
    countyFips: query.county,
    statuses: query.status,
    urgent: query.urgent,
    from,
    before,
    assignee: query.assigned === 'me' ? actor.userId : query.assigned === 'none' ? null : undefined,
  };
}

// ---------------------------------------------------------------------------------------------- reading

/**
 * The staff tip queue (issue #10, item 8): the tips the actor may read (`tip.read`, in SQL), filtered,
 * urgent first, then by triage score, then newest. Reading the queue is audited with the ids shown.
 */
export async function listTips(ctx: AppContext, actor: Actor, query: TipListQuery, meta: RequestMeta) {
  const filter = filterOf(ctx, actor, query);
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const { rows, total } = await q.list(tx.db, actor, filter, { limit: query.limit, offset: query.offset });
    if (rows.length) tx.audit({ action: 'tip.read', recordType: 'tip', detail: { count: rows.length, ids: rows.map((r) => r.id).join(',') } });
    return {
      tips: rows.map((r) => listItem(ctx, actor, r)),
      total,
      abilities: { 'tip.create': tipAccess.grants['tip.create'].allows(actor, undefined as never) },
    };
  });
}

/** Visible tips by county for the queue's map, with the urgent ones not yet closed. */
export async function countTipsByCounty(ctx: AppContext, actor: Actor, query: TipCountyQuery) {
  const counts = await q.countByCounty(ctx.db, actor, filterOf(ctx, actor, query));
  return counts.map((c) => ({ ...c, countyName: countyNameOf(ctx, c.countyFips)! }));
}

type TipDetails = Partial<SealedTipDetails>;

async function tipDto(ctx: AppContext, actor: Actor, db: Queryable, row: q.VisibleTipRow): Promise<TipDto> {
  const record = tipRecord(row);
  const [events, messages, shares, links] = await Promise.all([q.eventsOf(db, row.id), q.messagesOf(db, row.id), q.sharesOf(db, row.id), linksForTip(ctx, actor, row.id)]);
  const details = parse<TipDetails>(unseal(ctx.keyring, 'tip', 'details', row.id, row.details), {});
  const contact = row.contact && can(actor, tipPolicy, 'tip.readContact', record) ? parse<NonNullable<TipDto['tipster']['contact']>>(unseal(ctx.keyring, 'tip', 'contact', row.id, row.contact), {}) : null;
  return {
    ...listItem(ctx, actor, row),
    narrative: unseal(ctx.keyring, 'tip', 'narrative', row.id, row.narrative),
    language: row.language === 'es' ? 'es' : 'en',
    details: {
      address: details.address ?? null,
      city: details.city ?? null,
      county: details.county ?? null,
      when: details.when ?? null,
      people: details.people ?? null,
      vehicles: details.vehicles ?? null,
      phones: details.phones ?? [],
      emails: details.emails ?? [],
      online: details.online ?? [],
      businesses: details.businesses ?? [],
    },
    tipster: { label: contact?.name || TIPSTER_LABEL, contact },
    routing: parse<Record<string, unknown>>(row.routing, {}),
    closeReason: row.close_reason,
    sharedWith: shares.map((s) => ({ agencyId: s.agency_id, agencyName: s.agency_name, at: s.shared_at, reason: s.reason })),
    history: events.map((e) => ({ at: e.at, kind: e.kind, by: e.by_name ?? null, detail: parse<Record<string, unknown>>(e.detail, {}) })),
    messages: messages.map((m) => ({
      id: m.id,
      at: m.at,
      from: m.from_tipster === 1 ? TIPSTER_LABEL : (m.author_name ?? ''),
      fromTipster: m.from_tipster === 1,
      body: unseal(ctx.keyring, 'tip_message', 'body', m.id, m.body),
      readAt: m.read_at,
    })),
    links,
    abilities: abilitiesFor(actor, tipPolicy, record),
  };
}

/**
 * One tip as its reader may see it (issue #10): the narrative and details, the tipster as "Tipster"
 * unless they gave contact details and the reader may read them (`tip.readContact`: never a sharing
 * partner), the dated history, the conversation, the other records sharing an identifier that the
 * reader may see (`links`), and `abilities`. Reading is audited; a reader who may answer the tipster
 * (`tip.message`) has read the tipster's messages.
 */
export async function getTip(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<TipDto> {
  const row = await ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await q.findVisible(tx.db, actor, id);
    if (!row) throw notFound('tip');
    const record = tipRecord(row);
    authorize(actor, tipPolicy, 'tip.read', record);
    let marked = 0;
    if (can(actor, tipPolicy, 'tip.message', record)) {
      marked = await q.markTipsterMessagesRead(tx.db, id, ctx.clock.now().toISOString());
      if (marked) row.unread_messages = 0;
    }
    tx.audit({ action: 'tip.read', recordType: 'tip', recordId: id, recordAgencyId: row.agency_id, detail: marked ? { messagesRead: marked } : {} });
    return row;
  });
  // Built after the commit: the links are found on the context's own connection (see `linksForTip`).
  return tipDto(ctx, actor, ctx.db, row);
}

async function fresh(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('tip');
  return tipDto(ctx, actor, ctx.db, row);
}

/** Loads a tip the actor may see (404 otherwise) and checks the action (403). */
async function load(ctx: AppContext, actor: Actor, id: string, action: 'tip.assign' | 'tip.triage' | 'tip.message') {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('tip');
  const record = tipRecord(row);
  authorize(actor, tipPolicy, action, record);
  return { row, record };
}

// ---------------------------------------------------------------------------------------------- staff entry

/**
 * Records a tip phoned in to staff, or forwarded by the hotline and typed in (issue #10, item 4): the
 * same fields and path as the public form (`fileTip`), with the source, when it was received and who
 * entered it. The receipt comes back once, for staff to read to the caller.
 */
export async function recordStaffTip(ctx: AppContext, actor: Actor, input: StaffTipInput) {
  if (!tipAccess.grants['tip.create'].allows(actor, undefined as never)) throw forbidden('Only the tip workers of an agency that takes tips record them.');
  const filed = await fileTip(ctx, { ...input, source: input.source, receivedAt: input.receivedAt, externalRef: input.externalRef }, actor);
  return { id: filed.tipId, receipt: filed.receipt };
}

// ---------------------------------------------------------------------------------------------- state changes

/** The version check in words: 409 naming the state the tip is now in. */
async function lostRace(db: Queryable, id: string): Promise<never> {
  const now = await q.current(db, id);
  throw conflict(`version: this tip was changed by someone else a moment ago${now ? ` (it is now ${now.status.replace('_', ' ')})` : ''}; reload it`, 'version');
}

function refuseTransition(from: TipStatus, to: TipStatus): never {
  const next = TIP_TRANSITIONS[from];
  throw conflict(`status: a tip that is ${from.replace('_', ' ')} can go to ${next.map((s) => s.replace('_', ' ')).join(', ')} — not ${to.replace('_', ' ')}`, 'status');
}

/**
 * Whom this tip may be assigned to (issue #10, item 5): the tip workers of the agency holding it, for
 * those who may assign it — an analyst runs the queue without being allowed to list the agency's accounts.
 */
export async function listAssignees(ctx: AppContext, actor: Actor, id: string) {
  const { row } = await load(ctx, actor, id, 'tip.assign');
  const people = await q.listTipWorkers(ctx.db, row.agency_id);
  return { assignees: people.map((p) => ({ id: p.id, name: p.display_name })) };
}

/**
 * Assigns a tip to a tip worker of the agency holding it (issue #10, item 5: new → assigned, or
 * reassigned), by its queue staff. Race-safe: the update names the state and version read.
 */
export async function assignTip(ctx: AppContext, actor: Actor, id: string, input: AssignTipInput, meta: RequestMeta) {
  const { row } = await load(ctx, actor, id, 'tip.assign');
  const from = row.status as TipStatus;
  if (input.version !== row.version) await lostRace(ctx.db, id);
  if (!TIP_TRANSITIONS[from].includes('assigned')) refuseTransition(from, 'assigned');
  const assignee = await q.findTipWorker(ctx.db, row.agency_id, input.userId);
  if (!assignee) throw invalid('userId', `must be a coordinator, analyst or officer of ${row.agency_name}`);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const ok = await q.updateIfUnchanged(tx.db, id, { status: from, version: row.version }, { status: 'assigned', assigned_user_id: assignee.id, updated_at: now });
    if (!ok) await lostRace(tx.db, id);
    await q.insertEvent(tx.db, {
      id: newId(),
      tip_id: id,
      agency_id: row.agency_id,
      at: now,
      kind: 'assigned',
      actor_user_id: actor.userId,
      detail: JSON.stringify({ from, to: 'assigned', assigneeId: assignee.id, assignee: assignee.display_name, previousAssigneeId: row.assigned_user_id }),
    });
    if (assignee.id !== actor.userId) {
      await notify(tx.db, ctx, {
        agencyId: row.agency_id,
        audience: { userId: assignee.id },
        kind: 'tip.assigned',
        title: 'A tip was assigned to you',
        body: `${actor.displayName} assigned you a tip in the tip queue. Open it: /tip-queue/${id}`,
        recordType: 'tip',
        recordId: id,
      });
    }
    tx.audit({ action: 'tip.assign', recordType: 'tip', recordId: id, recordAgencyId: row.agency_id, changedFields: ['assignedTo', 'status'], detail: { from, assigneeId: assignee.id } });
  });
  return fresh(ctx, actor, id);
}

/**
 * Moves a tip through triage (issue #10, item 5) along TIP_TRANSITIONS: under review, linked, referred,
 * closed with a reason from the list, or reopened. Assignment has its own route (it names the assignee).
 */
export async function changeTipStatus(ctx: AppContext, actor: Actor, id: string, input: TipStatusInput, meta: RequestMeta) {
  if (input.status === 'assigned') throw invalid('status', 'assign the tip to someone instead (POST /api/tips/:id/assign)');
  if (input.status === 'closed' && !input.reason) throw invalid('reason', 'is required to close a tip: choose why it is closed');
  if (input.status !== 'closed' && input.reason) throw invalid('reason', 'only a tip being closed takes a reason');
  const { row } = await load(ctx, actor, id, 'tip.triage');
  const from = row.status as TipStatus;
  if (input.version !== row.version) await lostRace(ctx.db, id);
  if (!TIP_TRANSITIONS[from].includes(input.status)) refuseTransition(from, input.status);
  const now = ctx.clock.now().toISOString();
  const closing = input.status === 'closed';
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const ok = await q.updateIfUnchanged(
      tx.db,
      id,
      { status: from, version: row.version },
      { status: input.status, close_reason: closing ? input.reason! : null, closed_at: closing ? now : null, updated_at: now },
    );
    if (!ok) await lostRace(tx.db, id);
    await q.insertEvent(tx.db, {
      id: newId(),
      tip_id: id,
      agency_id: row.agency_id,
      at: now,
      kind: 'status',
      actor_user_id: actor.userId,
      detail: JSON.stringify(closing ? { from, to: input.status, reason: input.reason } : { from, to: input.status }),
    });
    tx.audit({
      action: 'tip.triage',
      recordType: 'tip',
      recordId: id,
      recordAgencyId: row.agency_id,
      changedFields: closing || from === 'closed' ? ['status', 'closeReason'] : ['status'],
      detail: { from, to: input.status, reason: input.reason ?? null },
    });
  });
  return fresh(ctx, actor, id);
}

/**
 * A question from staff to the tipster (issue #10, item 3), shown on the tipster's status page. The body
 * is sealed; the history says a message went, never what it said.
 */
export async function messageTipster(ctx: AppContext, actor: Actor, id: string, body: string, meta: RequestMeta) {
  const { row } = await load(ctx, actor, id, 'tip.message');
  const now = ctx.clock.now().toISOString();
  const messageId = newId();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insertMessage(tx.db, {
      id: messageId,
      tip_id: id,
      agency_id: row.agency_id,
      at: now,
      from_tipster: 0,
      user_id: actor.userId,
      body: seal(ctx.keyring, 'tip_message', 'body', messageId, body),
      read_at: null,
    });
    await q.insertEvent(tx.db, { id: newId(), tip_id: id, agency_id: row.agency_id, at: now, kind: 'message', actor_user_id: actor.userId, detail: JSON.stringify({ direction: 'to_tipster', messageId }) });
    tx.audit({ action: 'tip.message', recordType: 'tip', recordId: id, recordAgencyId: row.agency_id, changedFields: ['messages'], detail: { messageId } });
  });
  return { id: messageId, at: now, from: actor.displayName, fromTipster: false, body, readAt: null };
}
