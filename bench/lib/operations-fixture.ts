/**
 * The `operations` bench's server side (run in bench/lib/server-process.ts, on the generated data set):
 * the operations it records into and reads, and deconfliction timed in-process against a naive scan.
 */
import type { AppContext } from '../../server/context.ts';
import type { Queryable } from '../../server/db/database.ts';
import { blindIndex } from '../../server/lib/crypto.ts';
import { newId } from '../../server/lib/ids.ts';
import { distanceM, findConflicts, type FoundConflict } from '../../server/modules/operations/deconfliction.ts';
import { normalizeIdentifier } from '../../common/identifiers.ts';
import { DECONFLICTION_BUFFER_MS } from '../../common/operations.ts';
import type { DeconflictTimes, OperationsFixture, PlanSample } from './protocol.ts';

/**
 * Assigns the officer to up to `active` running operations their agency takes part in (the generator
 * makes eight of Oak Grove PD's, the demo officer's agency), and picks `closed` closed operations of the
 * coordinator's task forces, spread over the data set, for the outcome summary.
 */
export async function operationsFixture(ctx: AppContext, args: { officerUserId: string; coordinatorUserId: string; active: number; closed: number }): Promise<OperationsFixture> {
  const officer = await ctx.db.selectFrom('app_user').select(['id', 'agency_id']).where('id', '=', args.officerUserId).executeTakeFirstOrThrow();
  const coordinator = await ctx.db.selectFrom('app_user').select(['id', 'agency_id']).where('id', '=', args.coordinatorUserId).executeTakeFirstOrThrow();
  const running = await ctx.db
    .selectFrom('operation as o')
    .innerJoin('operation_agency as oa', 'oa.operation_id', 'o.id')
    .select('o.id')
    .where('o.status', '=', 'active')
    .where('oa.agency_id', '=', officer.agency_id)
    .orderBy('o.id')
    .limit(args.active)
    .execute();
  if (!running.length) throw new Error('the data set has no running operation of the officer’s agency');
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto('operation_assignment')
    .values(running.map((o) => ({ operation_id: o.id, user_id: officer.id, agency_id: officer.agency_id, assigned_at: now })))
    .execute();

  const taskForces = (await ctx.db.selectFrom('task_force_member').select('task_force_id').where('agency_id', '=', coordinator.agency_id).execute()).map((t) => t.task_force_id);
  const closedIds = (await ctx.db.selectFrom('operation').select('id').where('status', '=', 'closed').where('task_force_id', 'in', taskForces).orderBy('id').execute()).map((o) => o.id);
  const step = Math.max(1, Math.floor(closedIds.length / args.closed));
  const closed = closedIds.filter((_, i) => i % step === 0).slice(0, args.closed);

  const contactsOf = async (ids: string[]) => {
    const rows = await ctx.db
      .selectFrom('contact')
      .select(['operation_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('operation_id', 'in', ids)
      .groupBy('operation_id')
      .execute();
    const n = new Map(rows.map((r) => [r.operation_id, Number(r.n)]));
    return ids.map((id) => ({ id, contacts: n.get(id) ?? 0 }));
  };
  const count = async (table: 'operation' | 'contact' | 'operation_location' | 'operation_location_cell' | 'operation_subject' | 'contact_service') =>
    Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const live = await ctx.db.selectFrom('operation').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['draft', 'approved', 'active']).executeTakeFirstOrThrow();
  return {
    active: await contactsOf(running.map((o) => o.id)),
    closed: await contactsOf(closed),
    taskForceId: taskForces[0]!,
    data: {
      operations: await count('operation'),
      liveOperations: Number(live.n),
      contacts: await count('contact'),
      services: await count('contact_service'),
      locations: await count('operation_location'),
      cells: await count('operation_location_cell'),
      subjects: await count('operation_subject'),
    },
  };
}

const LIVE = new Set(['draft', 'approved', 'active']);

/**
 * The naive baseline: the same check as `findConflicts`, by reading every location of every operation
 * (and every subject) and testing each in turn: no index but the primary keys.
 */
export async function naiveConflicts(
  db: Queryable,
  op: { id: string; starts_at: string; ends_at: string },
  locations: { id: string; lat: number; lng: number; radius_m: number }[],
  subjects: { id: string; blind: string }[],
): Promise<FoundConflict[]> {
  const from = new Date(Date.parse(op.starts_at) - DECONFLICTION_BUFFER_MS).toISOString();
  const to = new Date(Date.parse(op.ends_at) + DECONFLICTION_BUFFER_MS).toISOString();
  const found: FoundConflict[] = [];
  const all = await db
    .selectFrom('operation_location as l')
    .innerJoin('operation as o', 'o.id', 'l.operation_id')
    .select(['l.id', 'l.operation_id', 'l.lat', 'l.lng', 'l.radius_m', 'o.status', 'o.starts_at', 'o.ends_at'])
    .execute();
  for (const loc of locations) {
    for (const other of all) {
      if (other.operation_id === op.id || !LIVE.has(other.status) || !(other.starts_at < to && other.ends_at > from)) continue;
      if (distanceM(loc, other) <= loc.radius_m + other.radius_m) found.push({ kind: 'place', item: loc.id, otherOperationId: other.operation_id, otherItem: other.id });
    }
  }
  if (subjects.length) {
    const byBlind = new Map(subjects.map((s) => [s.blind, s.id]));
    for (const m of await db.selectFrom('operation_subject').select(['id', 'operation_id', 'blind']).execute()) {
      const item = byBlind.get(m.blind);
      if (item && m.operation_id !== op.id) found.push({ kind: 'subject', item, otherOperationId: m.operation_id, otherItem: m.id });
    }
  }
  return found;
}

const keyOf = (found: FoundConflict[]) =>
  found
    .map((f) => `${f.kind}|${f.item}|${f.otherItem}`)
    .sort()
    .join(',');

/** Plans checked one way, then the other, between two full garbage collections. */
const BLOCK = 10;

/**
 * Deconfliction of new plans (not saved) against every operation in the data set: `findConflicts`
 * (the grid-cell index) and the naive scan on the same plans, each timed alone while the server is
 * otherwise idle, in blocks of {@link BLOCK} plans that alternate which of the two goes first. Each
 * block starts after a full garbage collection and a pause (the server process runs with --expose-gc):
 * the naive scan reads every location and subject, and on PostgreSQL the collection of its garbage,
 * landing in the index's timings when the two ran plan by plan, multiplied the index's p95 by four to
 * eight. Checks that both find the same conflicts.
 */
export async function deconflictTimes(ctx: AppContext, plans: PlanSample[]): Promise<DeconflictTimes> {
  const out: DeconflictTimes = { indexedMs: [], naiveMs: [], conflicts: [], mismatches: 0 };
  const gc = (globalThis as { gc?: () => void }).gc;
  const prepared = plans.map((plan) => ({
    op: { id: newId(), starts_at: plan.startsAt, ends_at: plan.endsAt },
    locations: plan.locations.map((l) => ({ id: newId(), lat: l.lat, lng: l.lng, radius_m: l.radiusM })),
    subjects: plan.subjects.map((s) => ({ id: newId(), blind: blindIndex(ctx.keyring, s.kind, normalizeIdentifier(s.kind, s.value)!) })),
  }));
  const run = async (check: typeof findConflicts, block: typeof prepared) => {
    gc?.();
    // Let the collector's concurrent sweeping finish before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, 25));
    const timed: { ms: number; found: FoundConflict[] }[] = [];
    for (const p of block) {
      const t0 = performance.now();
      const found = await check(ctx.db, p.op, p.locations, p.subjects);
      timed.push({ ms: performance.now() - t0, found });
    }
    return timed;
  };
  for (let i = 0; i < prepared.length; i += BLOCK) {
    const block = prepared.slice(i, i + BLOCK);
    let indexed: Awaited<ReturnType<typeof run>>;
    let naive: Awaited<ReturnType<typeof run>>;
    if ((i / BLOCK) % 2 === 0) {
      indexed = await run(findConflicts, block);
      naive = await run(naiveConflicts, block);
    } else {
      naive = await run(naiveConflicts, block);
      indexed = await run(findConflicts, block);
    }
    for (const [j, x] of indexed.entries()) {
      out.indexedMs.push(x.ms);
      out.naiveMs.push(naive[j]!.ms);
      out.conflicts.push(x.found.length);
      if (keyOf(x.found) !== keyOf(naive[j]!.found)) out.mismatches++;
    }
  }
  return out;
}
