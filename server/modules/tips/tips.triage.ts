import { sql, type SqlBool } from 'kysely';
import type { AppContext } from '../../context.ts';
import { sealedSql } from '../../auth/access.ts';
import type { Queryable } from '../../db/database.ts';
import { queryTemplate } from '../../db/template.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import type { TriageReason } from '../../../common/schemas/tips.ts';
import { TRIAGE_IDENTIFIERS_READ, TRIAGE_REPEATS_COUNTED } from '../../../common/tips.ts';
import { OPEN_OPERATION_STATUSES, typologyTermsIn } from './tips.typology.ts';
import { notify } from '../inbox/inbox.service.ts';
import { kickEmailDispatch } from '../notifications/notifications.dispatch.ts';

export interface Triage {
  urgent: boolean;
  score: number;
  reasons: TriageReason[];
}

/** What each indicator adds to a tip's rank, and the most it can add. */
export const TRIAGE_WEIGHTS = {
  urgent: 100,
  term: 10,
  termsMax: 40,
  repeat: 15,
  repeatsMax: 45,
  openOperation: 30,
  openOperationsMax: 60,
} as const;

/**
 * Other tips sharing an identifier with this one, counted over the tips the receiving agency's queue
 * holds or was shared: what its staff may see (issue #10, item 7: a record the viewer may not see does
 * not show, not even as a count). Written on `record_identifier` directly: the identifiers module's
 * `unsafeCountSharedIdentifiers` counts across every agency.
 *
 * At most {@link TRIAGE_REPEATS_COUNTED} tips are counted, and each identifier is read only that far: an
 * identifier in every tip (an ad's phone, the benchmark's one business) made a single DISTINCT over all
 * its tips sort thousands of rows for each new tip on PostgreSQL. The union of those few per identifier,
 * and of at most that many shared tips, gives the same count, min(limit, tips sharing any): if one set
 * reaches the limit the union does too, and otherwise every sharing tip was read.
 *
 * The sets are joined by a plain UNION (distinct) under one LIMIT, and the shared tips are one set
 * whatever the number of identifiers: on SQLite that costs a quarter of a UNION ALL of a shares' read per
 * identifier under a DISTINCT (22 against 85 µs with 4,000 tips), the same count.
 *
 * The queue's own tips are found by the agency on their index rows (written in the tip's transaction, and
 * moved with it by a reroute, `tips.reroute.queries.ts`), those shared with it from its shares: joining
 * each sharing tip to read its agency cost PostgreSQL 271 µs a tip against 97 µs without.
 */
function repeatedIn(db: Queryable, agencyId: string, tipId: string, blinds: readonly string[]) {
  // A literal: SQLite ran the statement three times slower with its limits bound as parameters.
  const limit = sql.lit(TRIAGE_REPEATS_COUNTED);
  // The queue's own tips, by the agency their index rows carry (a reroute moves both).
  const own = (blind: string) =>
    db
      .selectFrom('record_identifier as ri')
      .select('ri.record_id')
      .where('ri.blind', '=', blind)
      .where('ri.record_type', '=', 'tip')
      .where('ri.agency_id', '=', agencyId)
      .where('ri.record_id', '<>', tipId)
      .limit(limit);
  // Tips of other agencies shared with it that carry any of the identifiers.
  const shared = db
    .selectFrom('tip_share as s')
    .select('s.tip_id as record_id')
    .where('s.agency_id', '=', agencyId)
    .where('s.tip_id', '<>', tipId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('record_identifier as ri')
          .select('ri.record_id')
          .where('ri.blind', 'in', [...blinds])
          .where('ri.record_type', '=', 'tip')
          .whereRef('ri.record_id', '=', 's.tip_id'),
      ),
    )
    .limit(limit);
  // Each set as a subquery of its own: SQLite takes no LIMIT on a member of a UNION.
  const sets = [...blinds.map(own), shared].map((set) => db.selectFrom(set.as('b')).select('b.record_id'));
  const [first, ...rest] = sets;
  return rest.reduce((union, next) => union.union(next), first!).limit(limit);
}

/**
 * Open operations (planned, approved, active) of the receiving agency's task forces linked to the tip by
 * what its coordinators and analysts may read: a subject of the plan, or a person recorded in one of the
 * agency's own operations who is not a sealed minor (a sealed record shows to its assigned users only).
 */
function openOperationsIn(db: Queryable, agencyId: string, blinds: readonly string[]) {
  return db
    .selectFrom('record_identifier as ri')
    .innerJoin('operation as o', 'o.id', 'ri.parent_id')
    .select((eb) => eb.fn.count<number | string>('o.id').distinct().as('n'))
    .where('ri.blind', 'in', [...blinds])
    // Implied by the kinds below, and it lets the index (blind, record_type, …) skip every other tip's rows
    // for a shared identifier, which otherwise grew the count's cost with each tip.
    .where('ri.record_type', 'in', ['operation_subject', 'contact'])
    .where('o.status', 'in', [...OPEN_OPERATION_STATUSES])
    .where('o.task_force_id', 'in', (eb) => eb.selectFrom('task_force_member as m').select('m.task_force_id').where('m.agency_id', '=', agencyId))
    .where((eb) =>
      eb.or([
        eb('ri.record_type', '=', 'operation_subject'),
        eb.and([
          eb('ri.record_type', '=', 'contact'),
          eb('o.agency_id', '=', agencyId),
          eb.exists(eb.selectFrom('contact as c').select('c.id').whereRef('c.id', '=', 'ri.record_id').where(sql<SqlBool>`not ${sealedSql('c.role', 'c.age_band')}`)),
        ]),
      ]),
    );
}

/** Both counts in one statement (one round trip on PostgreSQL), built once per number of identifiers. */
const sharedCountsQuery = queryTemplate((db: Queryable, agencyId: string, tipId: string, blinds: readonly string[]) =>
  db.selectNoFrom((eb) => [
    eb
      .selectFrom(repeatedIn(db, agencyId, tipId, blinds).as('r'))
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .as('repeats'),
    openOperationsIn(db, agencyId, blinds).as('operations'),
  ]),
);

async function sharedCounts(db: Queryable, agencyId: string, tipId: string, blinds: readonly string[]) {
  const [row] = await sharedCountsQuery(db, agencyId, tipId, blinds);
  return { repeats: Number(row?.repeats ?? 0), operations: Number(row?.operations ?? 0) };
}

/** The identifiers triage reads of a tip: its first TRIAGE_IDENTIFIERS_READ distinct ones. */
export function triagedBlinds(blinds: readonly string[]): string[] {
  return [...new Set(blinds)].slice(0, TRIAGE_IDENTIFIERS_READ);
}

/** The agency whose queue the tip goes to: given, or read off the tip's own index rows. */
async function receivingAgency(db: Queryable, input: { tipId: string; agencyId?: string | undefined }) {
  if (input.agencyId) return input.agencyId;
  const own = await db.selectFrom('record_identifier').select('agency_id').where('record_type', '=', 'tip').where('record_id', '=', input.tipId).limit(1).executeTakeFirst();
  if (own) return own.agency_id;
  const tip = await db.selectFrom('tip').select('agency_id').where('id', '=', input.tipId).executeTakeFirst();
  return tip?.agency_id ?? null;
}

/**
 * Triage (issue #10, item 5). Urgent when a minor is involved or someone is in danger now: those tips
 * come first in every queue and alert the coordinators at once (`alertUrgentTip`). Every tip is then
 * ranked by indicators that explain themselves: the Polaris typology words its narrative, people and
 * businesses use (the words are returned, never other text), other tips sharing an identifier with it,
 * and open operations whose subjects or contacts share one. Counts are taken over what the receiving
 * queue's staff may see (`agencyId`, or the agency the tip's identifiers were indexed under).
 */
export async function triageTip(
  db: Queryable,
  ctx: AppContext,
  input: {
    tipId: string;
    fields: TipFields;
    blinds: string[];
    agencyId?: string | undefined;
    /**
     * Tips filed before this one in the same transaction (a group commit, tips.intake.ts) that share an
     * identifier with it and go to the same queue: their rows are written at the end, so the count cannot
     * see them. The database's tips and these are different tips, so the capped sum is the count a
     * transaction of its own would have taken.
     */
    sharingInBatch?: number;
  },
): Promise<Triage> {
  void ctx;
  const { fields } = input;
  const urgent = fields.minorInvolved || fields.immediateDanger;
  const reasons: TriageReason[] = [];
  let score = 0;
  if (fields.minorInvolved) reasons.push({ code: 'minor_involved' });
  if (fields.immediateDanger) reasons.push({ code: 'immediate_danger' });
  if (urgent) score += TRIAGE_WEIGHTS.urgent;

  const terms = typologyTermsIn([fields.narrative, fields.people, fields.businesses.join('\n'), fields.online.join('\n')]);
  if (terms.length) {
    reasons.push({ code: 'typology_terms', count: terms.length, terms });
    score += Math.min(TRIAGE_WEIGHTS.termsMax, terms.length * TRIAGE_WEIGHTS.term);
  }

  const blinds = triagedBlinds(input.blinds);
  const agencyId = blinds.length ? await receivingAgency(db, input) : null;
  if (agencyId) {
    const counted = await sharedCounts(db, agencyId, input.tipId, blinds);
    const repeats = Math.min(TRIAGE_REPEATS_COUNTED, counted.repeats + (input.sharingInBatch ?? 0));
    const operations = counted.operations;
    if (repeats) {
      reasons.push({ code: 'repeated_identifiers', count: repeats });
      score += Math.min(TRIAGE_WEIGHTS.repeatsMax, repeats * TRIAGE_WEIGHTS.repeat);
    }
    if (operations) {
      reasons.push({ code: 'open_operation', count: operations });
      score += Math.min(TRIAGE_WEIGHTS.openOperationsMax, operations * TRIAGE_WEIGHTS.openOperation);
    }
  }
  return { urgent, score, reasons };
}

/** The words of an urgent tip's alert: why it is urgent in general terms, never what the tip says. */
export const URGENT_TIP_NOTICE = {
  kind: 'tip.urgent',
  title: 'Urgent tip received',
  body: 'Urgent tip received: a minor may be involved or someone may be in danger now. Open it at once:',
} as const;

/**
 * Alerts the coordinators of an urgent tip at once (issue #10, item 5), after the tip's commit: those of
 * the agency whose queue holds it and those of its task force's lead agency, in the app and by email.
 * The email cannot be turned off or held for a digest (notifications.kinds.ts files it with the
 * time-critical custody notices). Each agency is told once per tip, however often this runs.
 */
export async function alertUrgentTip(ctx: AppContext, tip: { id: string; agencyId: string; taskForceId: string | null }): Promise<void> {
  await ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, async (tx) => {
    const lead = tip.taskForceId ? await tx.db.selectFrom('task_force').select('agency_id').where('id', '=', tip.taskForceId).executeTakeFirst() : undefined;
    const agencies = [...new Set([tip.agencyId, ...(lead ? [lead.agency_id] : [])])];
    for (const agencyId of agencies) {
      await notify(tx.db, ctx, {
        agencyId,
        audience: { role: 'coordinator' },
        kind: URGENT_TIP_NOTICE.kind,
        title: URGENT_TIP_NOTICE.title,
        body: `${URGENT_TIP_NOTICE.body} /tip-queue/${tip.id}`,
        recordType: 'tip',
        recordId: tip.id,
        dedupeKey: `tip:${tip.id}:urgent:${agencyId}`,
      });
    }
    tx.audit({ action: 'tip.alert', recordType: 'tip', recordId: tip.id, recordAgencyId: tip.agencyId, detail: { agencies: agencies.length } });
  });
  kickEmailDispatch(ctx);
}
