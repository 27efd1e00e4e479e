import type { Expression, ExpressionBuilder } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import type { ConflictRow, DB, OperationWaiverTable } from '../../db/schema/index.ts';

/**
 * The one place that says which conflicts concern an operation: a conflict row stores its pair in a
 * fixed order (deconfliction.ts, `orderedPair`), so the operation is on either side.
 */
export function involving(operation: string | Expression<string>) {
  return (eb: ExpressionBuilder<DB, 'deconfliction_conflict'>) =>
    eb.or([eb('deconfliction_conflict.operation_a', '=', operation), eb('deconfliction_conflict.operation_b', '=', operation)]);
}

/** The statuses of an operation that can still collide with another: planned or running. */
export const LIVE_STATUSES = ['draft', 'approved', 'active'] as const;

/**
 * Whether a conflict still calls for action at `now` (issue #9, item 1): it is open, and both of its
 * operations are live — not closed, and their window not over. A conflict with a closed or past
 * operation only informs: it never blocks a start and never files a notice.
 */
export function blocking(now: string) {
  const live = (side: 'operation_a' | 'operation_b') => (eb: ExpressionBuilder<DB, 'deconfliction_conflict'>) =>
    eb.exists(
      eb
        .selectFrom('operation as live_op')
        .select('live_op.id')
        .whereRef('live_op.id', '=', `deconfliction_conflict.${side}`)
        .where('live_op.status', 'in', [...LIVE_STATUSES])
        .where('live_op.ends_at', '>', now),
    );
  return (eb: ExpressionBuilder<DB, 'deconfliction_conflict'>) => eb.and([eb('deconfliction_conflict.status', '=', 'open'), live('operation_a')(eb), live('operation_b')(eb)]);
}

/** The same rule on loaded rows: an operation that is closed or whose window is over only informs. */
export const isLive = (op: { status: string; ends_at: string }, now: string) => (LIVE_STATUSES as readonly string[]).includes(op.status) && op.ends_at > now;

/** The other side of a conflict, seen from `operationId`. */
export const otherSide = (c: Pick<ConflictRow, 'operation_a' | 'operation_b'>, operationId: string) => (c.operation_a === operationId ? c.operation_b : c.operation_a);

/** Every conflict the operation was ever in, cleared ones included (deconfliction reopens them). */
export function allOf(db: Queryable, operationId: string) {
  return db.selectFrom('deconfliction_conflict').selectAll().where(involving(operationId)).execute();
}

/**
 * The conflicts an operation shows, newest first: those that hold, and past ones that no longer hold
 * but were settled with a note (issue #9, item 5: the record of what was agreed stays on the operation).
 */
export function shownOf(db: Queryable, operationId: string) {
  return db
    .selectFrom('deconfliction_conflict')
    .selectAll()
    .where(involving(operationId))
    .where((eb) => eb.or([eb('status', '!=', 'cleared'), eb('resolution', 'is not', null)]))
    .orderBy('detected_at', 'desc')
    .execute();
}

/** The open conflicts that block the operation at `now` (see `blocking`). */
export function openOf(db: Queryable, operationId: string, now: string) {
  return db.selectFrom('deconfliction_conflict').selectAll().where(involving(operationId)).where(blocking(now)).execute();
}

/** Whether any open conflict is left between two operations, whichever side each is on. */
export async function anyOpenBetween(db: Queryable, one: string, other: string) {
  const row = await db
    .selectFrom('deconfliction_conflict')
    .select('id')
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb.and([eb('operation_a', '=', one), eb('operation_b', '=', other)]), eb.and([eb('operation_a', '=', other), eb('operation_b', '=', one)])]))
    .executeTakeFirst();
  return row !== undefined;
}

/** One conflict of this operation (absent if it concerns other operations only). */
export function findOf(db: Queryable, operationId: string, conflictId: string) {
  return db.selectFrom('deconfliction_conflict').selectAll().where('id', '=', conflictId).where(involving(operationId)).executeTakeFirst();
}

export function statusOf(db: Queryable, conflictId: string) {
  return db.selectFrom('deconfliction_conflict').select('status').where('id', '=', conflictId).executeTakeFirst();
}

/** Written resolutions (staff text the disclosure guards read). */
export async function resolutionsOf(db: Queryable, operationId: string) {
  const rows = await db.selectFrom('deconfliction_conflict').select('resolution').where(involving(operationId)).where('resolution', 'is not', null).execute();
  return rows.map((r) => r.resolution!);
}

export async function insert(db: Queryable, row: ConflictRow) {
  await db.insertInto('deconfliction_conflict').values(row).execute();
}

export async function reopen(db: Queryable, id: string, at: string) {
  await db.updateTable('deconfliction_conflict').set({ status: 'open', detected_at: at, resolved_by: null, resolved_at: null, resolution: null }).where('id', '=', id).execute();
}

export async function clear(db: Queryable, id: string, at: string) {
  await db.updateTable('deconfliction_conflict').set({ status: 'cleared', resolved_at: at }).where('id', '=', id).execute();
}

/**
 * Settles open conflicts (resolved or waived), only those still open: returns how many it settled, so
 * a caller that raced the other side can tell it lost.
 */
export async function settleOpen(db: Queryable, ids: string[], settled: { status: 'resolved' | 'waived'; by: string; at: string; resolution: string }) {
  const updated = await db
    .updateTable('deconfliction_conflict')
    .set({ status: settled.status, resolved_by: settled.by, resolved_at: settled.at, resolution: settled.resolution })
    .where('id', 'in', ids)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

export async function insertWaiver(db: Queryable, row: OperationWaiverTable) {
  await db.insertInto('operation_waiver').values(row).execute();
}

export async function waiverReasonsOf(db: Queryable, operationId: string) {
  const rows = await db.selectFrom('operation_waiver').select('reason').where('operation_id', '=', operationId).execute();
  return rows.map((r) => r.reason);
}

/**
 * Unscoped on purpose: the contact details of the operations on the other side of conflicts — their lead
 * agency and on-scene commander, never their plan (issue #3). One read for all of them.
 */
export function unsafeOtherSides(db: Queryable, operationIds: string[]) {
  if (operationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('operation as o')
    .innerJoin('agency as a', 'a.id', 'o.agency_id')
    .select(['o.id', 'o.agency_id', 'o.name', 'o.status', 'o.ends_at', 'o.commander_name', 'o.commander_phone', 'a.name as agency_name'])
    .where('o.id', 'in', operationIds)
    .execute();
}

/** The labels of this side's items named by conflicts: locations and (sealed) subjects, one read each. */
export async function itemsOf(db: Queryable, itemIds: string[]) {
  if (itemIds.length === 0) return { locations: [], subjects: [] };
  const [locations, subjects] = await Promise.all([
    db.selectFrom('operation_location').select(['id', 'label']).where('id', 'in', itemIds).execute(),
    db.selectFrom('operation_subject').select(['id', 'kind', 'value']).where('id', 'in', itemIds).execute(),
  ]);
  return { locations, subjects };
}
