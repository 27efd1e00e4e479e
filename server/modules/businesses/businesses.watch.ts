import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../audit/audit.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import { queryTemplate } from '../../db/template.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import type { IdentifierKind } from '../../../common/tips.ts';
import { WATCHED_STAGES } from '../../../common/businesses.ts';
import { notify } from '../inbox/inbox.service.ts';
import { CASE_ROLES } from './businesses.access.ts';

/** A record that just entered Lantern, with its identifiers' keyed hashes (and operators' name hashes). */
export interface WatchedSource {
  type: 'business' | 'tip' | 'operation_subject' | 'contact';
  id: string;
  /** The record a viewer opens: the tip, the operation, the business. */
  parentId: string;
  agencyId: string;
  blinds: readonly { kind: IdentifierKind | 'operator'; blind: string }[];
}

/**
 * The identifier kinds a closed business is recognised by when it comes back (issue #11, item 6): its
 * address, phones, ad or review handles (and websites, indexed as handles) and its name. Emails and plates
 * are not facts of a business.
 */
export const WATCHED_KINDS: readonly IdentifierKind[] = ['address', 'phone', 'handle', 'business'];

/** The words of the staff notice: that a closed business may be back and where to look, never what matched. */
export const REOPENING_NOTICE = {
  kind: 'business.reopening',
  title: 'A closed business may have re-opened',
  body: 'An identifier of a closed business in the campaign showed up in a new record. Review the alert:',
  link: '/businesses/alerts',
} as const;

/** What the inbox keys of one alert's notices start with. */
export const alertNoticePrefix = (alert: { businessId: string; sourceType: string; sourceId: string }) => `business-alert:${alert.businessId}:${alert.sourceType}:${alert.sourceId}:`;
/** The inbox key of one alert's notice to one agency's role: filed once, settled when the alert is dismissed. */
export const alertNoticeKey = (alert: { businessId: string; sourceType: string; sourceId: string }, agencyId: string, role: string) => `${alertNoticePrefix(alert)}${agencyId}:${role}`;

interface Match {
  business_id: string;
  agency_id: string;
  task_force_id: string;
  kind: string;
  /** The hash that matched. */
  blind: string;
}

/**
 * The closed businesses (WATCHED_STAGES) sharing a hash with the source, one row per (business, kind), in
 * one query: the index's rows of businesses (`record_identifier`, record_type 'business') for the
 * source's identifiers, and `business_operator.name_blind` for its operators. A business never matches
 * itself. Both branches start from an index on the hash (`record_identifier_link`,
 * `business_operator_blind`), so the cost does not grow with the number of closed businesses.
 */
const matchQuery = queryTemplate((trx: Queryable, self: string, identifierBlinds: readonly string[], operatorBlinds: readonly string[]) => {
  const identifiers = trx
    .selectFrom('record_identifier as ri')
    .innerJoin('business as b', 'b.id', 'ri.record_id')
    .select(['b.id as business_id', 'b.agency_id', 'b.task_force_id', 'ri.kind', 'ri.blind'])
    .where('ri.blind', 'in', identifierBlinds.length ? identifierBlinds : [''])
    .where('ri.record_type', '=', 'business')
    .where('ri.kind', 'in', WATCHED_KINDS)
    .where('b.stage', 'in', WATCHED_STAGES)
    .where('b.id', '!=', self);
  const operators = trx
    .selectFrom('business_operator as bo')
    .innerJoin('business as b', 'b.id', 'bo.business_id')
    .select(['b.id as business_id', 'b.agency_id', 'b.task_force_id', sql.lit('operator').as('kind'), 'bo.name_blind as blind'])
    .where('bo.name_blind', 'in', operatorBlinds.length ? operatorBlinds : [''])
    .where('b.stage', 'in', WATCHED_STAGES)
    .where('b.id', '!=', self);
  if (identifierBlinds.length && operatorBlinds.length) return identifiers.unionAll(operators);
  return identifierBlinds.length ? identifiers : operators;
});

/**
 * The re-opening watch (issue #11, item 6): when a new record shares an address, operator, phone or ad
 * handle with a closed business, an alert goes to the campaign's staff in the same transaction. One alert
 * per closed business and source record (a second sighting by the same record merges its kinds); each new
 * alert is dated on the closed business's history, audited as the system's act (`business.alert`, as
 * `tip.alert` is), and filed in the inbox of the coordinators and analysts of the business's owning agency
 * and of its task force's prosecutor agencies (the attorney general's office) — a link, never what
 * matched. Returns the number of alerts raised.
 */
export async function watchForReopening(tx: Tx, ctx: AppContext, source: WatchedSource): Promise<number> {
  // A hash carries its kind (blindIndex), so the business side's kind filter is all that is needed.
  const identifierBlinds = [...new Set(source.blinds.filter((b) => b.kind !== 'operator').map((b) => b.blind))];
  const operatorBlinds = [...new Set(source.blinds.filter((b) => b.kind === 'operator').map((b) => b.blind))];
  if (identifierBlinds.length === 0 && operatorBlinds.length === 0) return 0;
  const self = source.type === 'business' ? source.parentId : '';
  const rows = (await matchQuery(tx.db, self, identifierBlinds, operatorBlinds)) as Match[];
  if (rows.length === 0) return 0;
  return raiseAlerts(tx, ctx, source, rows);
}

async function raiseAlerts(tx: Tx, ctx: AppContext, source: WatchedSource, rows: readonly Match[]): Promise<number> {
  const db = tx.db;
  const now = ctx.clock.now().toISOString();
  const byBusiness = new Map<string, { agencyId: string; taskForceId: string; kinds: Set<string> }>();
  for (const r of rows) {
    const entry = byBusiness.get(r.business_id) ?? { agencyId: r.agency_id, taskForceId: r.task_force_id, kinds: new Set<string>() };
    entry.kinds.add(r.kind);
    byBusiness.set(r.business_id, entry);
  }
  const existing = await db
    .selectFrom('business_alert')
    .select(['id', 'business_id', 'kinds'])
    .where('source_type', '=', source.type)
    .where('source_id', '=', source.id)
    .where('business_id', 'in', [...byBusiness.keys()])
    .execute();
  const known = new Map(existing.map((e) => [e.business_id, e]));

  const fresh: { id: string; businessId: string; agencyId: string; taskForceId: string; kinds: string[] }[] = [];
  const events: { businessId: string; agencyId: string; alertId: string; kinds: string[] }[] = [];
  for (const [businessId, m] of byBusiness) {
    const kinds = [...m.kinds].sort();
    const had = known.get(businessId);
    if (!had) {
      const id = newId();
      fresh.push({ id, businessId, agencyId: m.agencyId, taskForceId: m.taskForceId, kinds });
      events.push({ businessId, agencyId: m.agencyId, alertId: id, kinds });
      continue;
    }
    const before = JSON.parse(had.kinds) as string[];
    const merged = [...new Set([...before, ...kinds])].sort();
    if (merged.length === before.length) continue;
    await db.updateTable('business_alert').set({ kinds: JSON.stringify(merged) }).where('id', '=', had.id).execute();
    events.push({ businessId, agencyId: m.agencyId, alertId: had.id, kinds: merged });
  }
  if (fresh.length) {
    await db
      .insertInto('business_alert')
      .values(
        fresh.map((a) => ({
          id: a.id,
          business_id: a.businessId,
          agency_id: a.agencyId,
          task_force_id: a.taskForceId,
          source_type: source.type,
          source_id: source.id,
          source_parent_id: source.parentId,
          source_agency_id: source.agencyId,
          kinds: JSON.stringify(a.kinds),
          created_at: now,
          dismissed_at: null,
          dismissed_by: null,
          dismissed_reason: null,
        })),
      )
      .execute();
  }
  if (events.length) {
    await db
      .insertInto('business_event')
      .values(
        events.map((e) => ({
          id: newId(),
          business_id: e.businessId,
          agency_id: e.agencyId,
          at: now,
          kind: 'alert',
          from_stage: null,
          to_stage: null,
          outcome: null,
          actor_user_id: null,
          detail: JSON.stringify({ alertId: e.alertId, sourceType: source.type, kinds: e.kinds }),
        })),
      )
      .execute();
  }
  for (const e of events) {
    tx.audit({
      action: 'business.alert',
      recordType: 'business',
      recordId: e.businessId,
      recordAgencyId: e.agencyId,
      actor: null,
      detail: { alertId: e.alertId, sourceType: source.type, kinds: e.kinds.join(','), merged: !fresh.some((f) => f.id === e.alertId) },
    });
  }
  if (fresh.length) await noticeStaff(db, ctx, source, fresh);
  return fresh.length;
}

/** The agencies told of an alert: the closed business's owner, and its task force's prosecutor agencies. */
async function noticeStaff(db: Trx, ctx: AppContext, source: WatchedSource, alerts: { businessId: string; agencyId: string; taskForceId: string }[]) {
  const taskForces = [...new Set(alerts.map((a) => a.taskForceId))];
  const prosecutors = await db
    .selectFrom('task_force_member as m')
    .innerJoin('agency as ag', 'ag.id', 'm.agency_id')
    .select(['m.task_force_id', 'm.agency_id'])
    .where('m.task_force_id', 'in', taskForces)
    .where('ag.kind', '=', 'prosecutor')
    .execute();
  for (const a of alerts) {
    const agencies = new Set([a.agencyId, ...prosecutors.filter((p) => p.task_force_id === a.taskForceId).map((p) => p.agency_id)]);
    for (const agencyId of agencies) {
      for (const role of CASE_ROLES) {
        await notify(db, ctx, {
          agencyId,
          audience: { role },
          kind: REOPENING_NOTICE.kind,
          title: REOPENING_NOTICE.title,
          body: `${REOPENING_NOTICE.body} ${REOPENING_NOTICE.link}`,
          recordType: 'business',
          recordId: a.businessId,
          dedupeKey: alertNoticeKey({ businessId: a.businessId, sourceType: source.type, sourceId: source.id }, agencyId, role),
        });
      }
    }
  }
}

/** A tip that shares an identifier with a closed business: what the watch read, before its alerts. */
export interface Sighting {
  source: WatchedSource;
  rows: readonly Match[];
}

/**
 * The watch over tips' identifiers, first step (tips.intake.ts, one tip or several filed together): one
 * query for the keyed hashes of all their index rows, read before the tips' transaction, and the tips
 * that matched a closed business with their rows; none for almost every tip. Reading first sees what a
 * read in the transaction would under PostgreSQL's read committed (each statement its own snapshot); on
 * SQLite a business closed between this read and the tip's commit is not alerted on for that tip, as on
 * PostgreSQL.
 */
export function sightTips(db: Queryable, tips: readonly { id: string; agencyId: string; blinds: readonly { kind: IdentifierKind; blind: string }[] }[]): Promise<Sighting[]> {
  return sightingsOf(
    db,
    tips.map((tip) => ({ type: 'tip', id: tip.id, parentId: tip.id, agencyId: tip.agencyId, blinds: tip.blinds })),
  );
}

/** Second step, in the tips' transaction: each sighting's alerts, as if each tip had been watched alone. */
export async function raiseTipAlerts(tx: Tx, ctx: AppContext, sightings: readonly Sighting[]): Promise<number> {
  let raised = 0;
  for (const { source, rows } of sightings) raised += await raiseAlerts(tx, ctx, source, rows);
  return raised;
}

/**
 * The watch over new contacts' phones (contacts recorded together, contacts.recording.ts, in their shared
 * transaction): one query for all their phones, then each contact's alerts, audited through its own `tx`
 * (its own request's).
 */
export async function watchNewContactsPhones(
  db: Trx,
  ctx: AppContext,
  contacts: readonly { tx: Tx; contact: { id: string; operation_id: string; agency_id: string }; phones: readonly string[] }[],
): Promise<number> {
  return watchTogether(
    db,
    ctx,
    contacts.map(({ tx, contact, phones }) => ({ tx, source: contactSource(ctx, contact, phones) })),
  );
}

/** Several records' matches in one query: each source's rows are those of its own hashes, as if watched alone. */
async function sightingsOf(db: Queryable, sources: readonly WatchedSource[]): Promise<Sighting[]> {
  const all = [...new Set(sources.flatMap((s) => s.blinds.map((b) => b.blind)))];
  if (all.length === 0) return [];
  const rows = (await matchQuery(db, '', all, [])) as Match[];
  if (rows.length === 0) return [];
  return sources.flatMap((source) => {
    const mine = new Set(source.blinds.map((b) => b.blind));
    const matched = rows.filter((r) => mine.has(r.blind));
    return matched.length ? [{ source, rows: matched }] : [];
  });
}

/** Several records' watches in one query, each record's alerts through its own `tx`. */
async function watchTogether(db: Trx, ctx: AppContext, watched: readonly { tx: Tx; source: WatchedSource }[]): Promise<number> {
  let raised = 0;
  for (const { source, rows } of await sightingsOf(db, watched.map((w) => w.source))) {
    raised += await raiseAlerts(watched.find((w) => w.source === source)!.tx, ctx, source, rows);
  }
  return raised;
}

/**
 * The watch over an operation's subjects as the plan saves them (planning.service.ts, after
 * `reindexSubjects`). Subjects are replaced on every save, so the operation is the source: saving the plan
 * again merges into its alerts rather than raising new ones.
 */
export async function watchOperationSubjects(tx: Tx, ctx: AppContext, op: { id: string; agency_id: string }, subjects: readonly { kind: string; blind: string }[]): Promise<number> {
  const blinds = subjects.map((s) => ({ kind: s.kind as IdentifierKind, blind: s.blind }));
  return watchForReopening(tx, ctx, { type: 'operation_subject', id: op.id, parentId: op.id, agencyId: op.agency_id, blinds });
}

/**
 * The watch over a contact's phones, as they are recorded or changed (contacts.service.ts, in its
 * transaction, after `reindexContactPhones`): the contact is the source, its operation what a viewer opens.
 */
export async function watchContactPhones(tx: Tx, ctx: AppContext, contact: { id: string; operation_id: string; agency_id: string }, phones: readonly string[]): Promise<number> {
  return watchForReopening(tx, ctx, contactSource(ctx, contact, phones));
}

const contactSource = (ctx: AppContext, contact: { id: string; operation_id: string; agency_id: string }, phones: readonly string[]): WatchedSource => ({
  type: 'contact',
  id: contact.id,
  parentId: contact.operation_id,
  agencyId: contact.agency_id,
  blinds: phones
    .map((p) => normalizeIdentifier('phone', p))
    .filter((n): n is string => n !== null)
    .map((normalized) => ({ kind: 'phone' as const, blind: blindIndex(ctx.keyring, 'phone', normalized) })),
});
