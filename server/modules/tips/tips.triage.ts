import { sql, type Expression, type SqlBool } from 'kysely';
import type { AppContext } from '../../context.ts';
import { sealedSql } from '../../auth/access.ts';
import type { Dialect, Queryable } from '../../db/database.ts';
import { queryTemplate } from '../../db/template.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import type { TriageReason } from '../../../common/schemas/tips.ts';
import { TRIAGE_IDENTIFIERS_READ, TRIAGE_REPEATS_COUNTED } from '../../../common/tips.ts';
import { typologyTermsIn } from './tips.typology.ts';
import { OPEN_OPERATION_STATUSES } from '../identifiers/identifiers.ts';
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
 * not show, not even as a count). Written on `record_identifier` directly.
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
  const sets = [...blinds.map((blind) => ownTipsWith(db, agencyId, tipId, blind)), sharedTipsWith(db, agencyId, tipId, [...blinds])];
  return unionOfFew(db, sets);
}

/** A value of the tip being triaged: itself (one tip a statement), or a column of the batch's rows. */
type Operand = string | Expression<string>;

/** A LIMIT as a literal: SQLite ran the count three times slower with its limits bound as parameters. */
const REPEATS_LIMIT = sql.lit(TRIAGE_REPEATS_COUNTED);

/** The queue's own tips with an identifier, by the agency their index rows carry (a reroute moves both). */
function ownTipsWith(db: Queryable, agency: Operand, tip: Operand, blind: Operand) {
  return db
    .selectFrom('record_identifier as ri')
    .select('ri.record_id')
    .where('ri.blind', '=', blind)
    .where('ri.record_type', '=', 'tip')
    .where('ri.agency_id', '=', agency)
    .where('ri.record_id', '<>', tip)
    .limit(REPEATS_LIMIT);
}

/**
 * Tips of other agencies shared with the queue that carry any of the identifiers (a list, or a subquery).
 * Each share is looked up in the index by a scalar subquery, not EXISTS: PostgreSQL turns an EXISTS into
 * a join it may start from the identifiers' side, and did, reading every tip that names the benchmark's
 * one business (4,600 index rows a tip) to find the few shares.
 */
function sharedTipsWith(db: Queryable, agency: Operand, tip: Operand, blinds: string[] | Expression<unknown>) {
  return db
    .selectFrom('tip_share as s')
    .select('s.tip_id as record_id')
    .where('s.agency_id', '=', agency)
    .where('s.tip_id', '<>', tip)
    .where(
      (eb) =>
        eb
          .selectFrom('record_identifier as ri')
          .select(sql.lit(1).as('one'))
          .where('ri.blind', 'in', blinds as string[])
          .where('ri.record_type', '=', 'tip')
          .whereRef('ri.record_id', '=', 's.tip_id')
          .limit(sql.lit(1)),
      'is not',
      null,
    )
    .limit(REPEATS_LIMIT);
}

/** The distinct tips of a few limited sets, at most the limit; each set a subquery (SQLite takes no LIMIT on a member of a UNION). */
function unionOfFew(db: Queryable, sets: readonly (ReturnType<typeof ownTipsWith> | ReturnType<typeof sharedTipsWith>)[]) {
  const [first, ...rest] = sets.map((set) => db.selectFrom(set.as('b')).select('b.record_id'));
  return rest.reduce((union, next) => union.union(next), first!).limit(REPEATS_LIMIT);
}

/**
 * Open operations (planned, approved, active) of the receiving agency's task forces linked to the tip by
 * what its coordinators and analysts may read: a subject of the plan, or a person recorded in one of the
 * agency's own operations who is not a sealed minor (a sealed record shows to its assigned users only).
 *
 * Each kind is read apart, by its own `record_type =`, so that the index (blind, record_type, …) goes
 * straight to the operations' rows for an identifier, whatever plan runs. With both kinds in one `IN` and
 * an `OR`, the generic plan PostgreSQL kept for the prepared batch statement (made while the index was
 * small) matched on the blind alone and dropped the tips' rows afterwards: an identifier named in every
 * tip (an ad's phone, the benchmark's one business) made each new tip's count read all of them, 2.8 ms a
 * tip after 1,000 such tips, and growing.
 */
function openOperationsIn(db: Queryable, agency: Operand, blinds: string[] | Expression<unknown>) {
  const linkedBy = (recordType: 'operation_subject' | 'contact') =>
    db
      .selectFrom('record_identifier as ri')
      .innerJoin('operation as o', 'o.id', 'ri.parent_id')
      .select('o.id')
      .where('ri.blind', 'in', blinds as string[])
      .where('ri.record_type', '=', recordType)
      .where('o.status', 'in', [...OPEN_OPERATION_STATUSES])
      .where('o.task_force_id', 'in', (eb) => eb.selectFrom('task_force_member as m').select('m.task_force_id').where('m.agency_id', '=', agency));
  const subjects = linkedBy('operation_subject');
  const contacts = linkedBy('contact')
    .innerJoin('contact as c', 'c.id', 'ri.record_id')
    .where('o.agency_id', '=', agency)
    .where(sql<SqlBool>`not ${sealedSql('c.role', 'c.age_band')}`);
  // UNION, not UNION ALL: an operation linked both ways counts once, as the DISTINCT did.
  return db.selectFrom(subjects.union(contacts).as('linked')).select((eb) => eb.fn.countAll<number | string>().as('n'));
}

/** Both counts in one statement, built once per number of identifiers: SQLite's form, a statement a tip. */
const sharedCountsQuery = queryTemplate((db: Queryable, agencyId: string, tipId: string, blinds: readonly string[]) =>
  db.selectNoFrom((eb) => [
    eb
      .selectFrom(repeatedIn(db, agencyId, tipId, blinds).as('r'))
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .as('repeats'),
    openOperationsIn(db, agencyId, [...blinds]).as('operations'),
  ]),
);

/**
 * Both counts for every tip of a batch in one statement of one shape, whatever the batch's size: PostgreSQL's
 * form. A statement a tip, in turn inside the batch's transaction, was a round trip each (0.43 of the bare
 * insert's throughput, against 0.56 without the counts). The tips and their identifiers arrive as two JSON
 * arrays; each of a tip's identifiers is read through a lateral subquery, the same sets as
 * {@link repeatedIn}'s, and the operations are counted by the same {@link openOperationsIn}. A UNION ALL
 * of a statement a tip was tried first: each batch size a new statement, planned anew on each
 * connection, and slower than before.
 */
const batchCountsQuery = queryTemplate((db: Queryable, tipsJson: string, blindsJson: string) => {
  const tips = sql<{ ord: number; tip_id: string; agency_id: string }>`json_to_recordset(${tipsJson}::json)`.as<'t'>(sql`t(ord int, tip_id text, agency_id text)`);
  const pairs = sql<{ ord: number; blind: string }>`json_to_recordset(${blindsJson}::json)`.as<'b'>(sql`b(ord int, blind text)`);
  const agency = sql.ref<string>('t.agency_id');
  const tip = sql.ref<string>('t.tip_id');
  return db
    .with('tb', (qc) => qc.selectFrom(pairs).select(['b.ord', 'b.blind']))
    .selectFrom(tips)
    .select((eb) => {
      const blindsOfTip = eb.selectFrom('tb').select('tb.blind').whereRef('tb.ord', '=', 't.ord');
      const own = eb
        .selectFrom('tb')
        .innerJoinLateral(ownTipsWith(db, agency, tip, sql.ref<string>('tb.blind')).as('own'), (join) => join.onTrue())
        .select('own.record_id')
        .whereRef('tb.ord', '=', 't.ord');
      const shared = eb.selectFrom(sharedTipsWith(db, agency, tip, blindsOfTip).as('sh')).select('sh.record_id');
      return [
        't.ord',
        eb
          .selectFrom(own.union(shared).limit(REPEATS_LIMIT).as('r'))
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .as('repeats'),
        openOperationsIn(db, agency, blindsOfTip).as('operations'),
      ];
    })
    .orderBy('t.ord');
});

interface Counted {
  repeats: number;
  operations: number;
}

async function sharedCounts(db: Queryable, agencyId: string, tipId: string, blinds: readonly string[]): Promise<Counted> {
  const [row] = await sharedCountsQuery(db, agencyId, tipId, blinds);
  return { repeats: Number(row?.repeats ?? 0), operations: Number(row?.operations ?? 0) };
}

/** The counts of several tips: one statement on PostgreSQL, one a tip on SQLite (no round trips there). */
async function sharedCountsOf(db: Queryable, dialect: Dialect, asked: readonly { agencyId: string; tipId: string; blinds: readonly string[] }[]): Promise<Counted[]> {
  if (dialect === 'sqlite') {
    const counted: Counted[] = [];
    for (const a of asked) counted.push(await sharedCounts(db, a.agencyId, a.tipId, a.blinds));
    return counted;
  }
  const tips = JSON.stringify(asked.map((a, ord) => ({ ord, tip_id: a.tipId, agency_id: a.agencyId })));
  const pairs = JSON.stringify(asked.flatMap((a, ord) => a.blinds.map((blind) => ({ ord, blind }))));
  const rows = await batchCountsQuery(db, tips, pairs);
  return asked.map((_, ord) => {
    const row = rows[ord];
    if (!row || Number(row.ord) !== ord) throw new Error(`triage: the batch's counts came back without tip ${ord}`);
    return { repeats: Number(row.repeats ?? 0), operations: Number(row.operations ?? 0) };
  });
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
export async function triageTip(db: Queryable, ctx: AppContext, input: TriageInput): Promise<Triage> {
  return (await triageTips(db, ctx, [input]))[0]!;
}

export interface TriageInput {
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
}

/** {@link triageTip} for the tips of a batch, their counts read together (one statement on PostgreSQL). */
export async function triageTips(db: Queryable, ctx: AppContext, inputs: readonly TriageInput[]): Promise<Triage[]> {
  const asked: { agencyId: string; tipId: string; blinds: string[] }[] = [];
  const askedAt: (number | null)[] = [];
  for (const input of inputs) {
    const blinds = triagedBlinds(input.blinds);
    const agencyId = blinds.length ? await receivingAgency(db, input) : null;
    askedAt.push(agencyId ? asked.push({ agencyId, tipId: input.tipId, blinds }) - 1 : null);
  }
  const counted = asked.length ? await sharedCountsOf(db, ctx.dialect, asked) : [];
  return inputs.map((input, i) => {
    const at = askedAt[i];
    return ranked(input, at === null || at === undefined ? null : counted[at]!);
  });
}

/** The rank of a tip from its own words and the counts read for it (null: nothing to count). */
function ranked(input: TriageInput, counted: Counted | null): Triage {
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

  if (counted) {
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
