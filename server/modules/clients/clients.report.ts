import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { notFound } from '../../lib/errors.ts';
import { csvRow } from '../../lib/csv.ts';
import { NATIONALITIES, SERVICE_CATEGORIES, SERVICE_CATEGORY_LABELS, TRAFFICKING_TYPES, type Nationality, type TraffickingType } from '../../../common/clients.ts';
import type { TimsReportDto } from '../../../common/schemas/clients.ts';
import { startOfDay } from '../tips/tips.service.ts';
import { clientAccess, isCompartmentStaff } from './clients.access.ts';

/** The clients the report may count: the SQL form of `client.report` (the actor's agency's, alias `cl`). */
const reportable = (actor: Actor) => clientAccess.grants['client.report'].where(actor);

/** A quarter's calendar days (inclusive) and, for instants, its start and the next quarter's start in the jurisdiction's zone. */
export function quarterBounds(year: number, quarter: number, timeZone: string) {
  const month = (quarter - 1) * 3;
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
  const from = day(year, month, 1);
  const next = day(year, month + 3, 1);
  return { from, to: day(year, month + 3, 0), start: startOfDay(from, timeZone), end: startOfDay(next, timeZone) };
}
type Bounds = ReturnType<typeof quarterBounds>;

/**
 * Clients served in the quarter, counted by trafficking type, nationality and whether they are new: open
 * at some moment of the quarter (opened before its end and not closed before its start), or given a
 * service dated in it.
 */
function servedClients(db: Queryable, actor: Actor, b: Bounds) {
  const served = db
    .selectFrom('client as cl')
    .select(['cl.trafficking_type', 'cl.nationality', sql<number>`case when cl.opened_at >= ${b.start} then 1 else 0 end`.as('is_new')])
    .where(reportable(actor))
    .where('cl.opened_at', '<', b.end)
    .where((eb) =>
      eb.or([
        eb('cl.closed_at', 'is', null),
        eb('cl.closed_at', '>=', b.start),
        eb.exists(eb.selectFrom('client_service as s').select(sql`1`.as('one')).whereRef('s.client_id', '=', 'cl.id').where('s.provided_on', '>=', b.from).where('s.provided_on', '<=', b.to)),
      ]),
    );
  // Grouped outside, so PostgreSQL groups by the column and not by a second copy of the parameterised expression.
  return db
    .selectFrom(served.as('t'))
    .select(['t.trafficking_type', 't.nationality', 't.is_new', sql<number>`count(*)`.as('n')])
    .groupBy(['t.trafficking_type', 't.nationality', 't.is_new'])
    .execute();
}

/** Services dated in the quarter, by category: distinct clients and number of times. */
function servicesProvided(db: Queryable, actor: Actor, b: Bounds) {
  return db
    .selectFrom('client_service as s')
    .innerJoin('client as cl', 'cl.id', 's.client_id')
    .select(['s.category', sql<number>`count(distinct s.client_id)`.as('clients'), sql<number>`count(*)`.as('times')])
    .where(reportable(actor))
    .where('s.provided_on', '>=', b.from)
    .where('s.provided_on', '<=', b.to)
    .groupBy('s.category')
    .execute();
}

/**
 * The OVC TIMS-style performance measures of the actor's agency for one quarter (issue #12, item 6):
 * aggregates only, no client is named or counted twice in a measure. Compartment staff only; anyone else
 * gets the same 404 as every client route. Audited with the quarter asked for.
 */
export async function timsReport(ctx: AppContext, actor: Actor, year: number, quarter: number, meta: RequestMeta): Promise<TimsReportDto> {
  if (!isCompartmentStaff(actor)) throw notFound('client');
  const b = quarterBounds(year, quarter, ctx.jurisdiction.timeZone);
  return ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    const [served, services, agency] = await Promise.all([
      servedClients(tx.db, actor, b),
      servicesProvided(tx.db, actor, b),
      tx.db.selectFrom('agency').select(['id', 'name']).where('id', '=', actor.agencyId).executeTakeFirstOrThrow(),
    ]);
    const sum = (rows: typeof served) => rows.reduce((n, r) => n + Number(r.n), 0);
    tx.audit({ action: 'client.report', recordType: 'client', recordAgencyId: actor.agencyId, detail: { year, quarter } });
    return {
      agency,
      year,
      quarter,
      from: b.from,
      to: b.to,
      clients: {
        new: sum(served.filter((r) => Number(r.is_new) === 1)),
        continuing: sum(served.filter((r) => Number(r.is_new) !== 1)),
        byType: TRAFFICKING_TYPES.map((t: TraffickingType) => ({ traffickingType: t, count: sum(served.filter((r) => r.trafficking_type === t)) })),
        byNationality: NATIONALITIES.map((n: Nationality) => ({ nationality: n, count: sum(served.filter((r) => r.nationality === n)) })),
      },
      services: SERVICE_CATEGORIES.map((category) => {
        const row = services.find((s) => s.category === category);
        return { category, clients: Number(row?.clients ?? 0), times: Number(row?.times ?? 0) };
      }),
    };
  });
}

const TYPE_LABELS: Record<TraffickingType, string> = { sex: 'Sex trafficking', labor: 'Labor trafficking', sex_and_labor: 'Sex and labor trafficking', unknown: 'Type unknown' };
const NATIONALITY_LABELS: Record<Nationality, string> = { us_citizen_lpr: 'U.S. citizen or permanent resident', foreign_national: 'Foreign national', unknown: 'Nationality unknown' };

/** The report as CSV: a header row, then one row per measure (services carry clients and times). */
export function timsCsv(r: TimsReportDto): string {
  const rows = [
    csvRow(['measure', 'category', 'label', 'clients', 'times']),
    csvRow(['clients_served', 'new', 'New clients', r.clients.new, '']),
    csvRow(['clients_served', 'continuing', 'Continuing clients', r.clients.continuing, '']),
    ...r.clients.byType.map((t) => csvRow(['clients_by_type', t.traffickingType, TYPE_LABELS[t.traffickingType], t.count, ''])),
    ...r.clients.byNationality.map((n) => csvRow(['clients_by_nationality', n.nationality, NATIONALITY_LABELS[n.nationality], n.count, ''])),
    ...r.services.map((s) => csvRow(['services_provided', s.category, SERVICE_CATEGORY_LABELS[s.category].en, s.clients, s.times])),
  ];
  return rows.join('');
}
