import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import type { OperationRow } from '../../db/schema/index.ts';
import { conflict, notFound, type AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { OperationStatus } from '../../../common/operations.ts';
import type { OperationRecord } from './operations.policy.ts';
import * as q from './operations.queries.ts';

/**
 * The operation as a record the policy judges, how it is loaded, and the doors every change to it goes
 * through: its timeline, and the conditional writes that make each transition hold under concurrency.
 */

export const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

export function operationRecord(row: OperationRow, assigned: boolean): OperationRecord {
  return {
    id: row.id,
    agencyId: row.agency_id,
    taskForceId: row.task_force_id,
    status: row.status as OperationStatus,
    assigned,
    commanderUserId: row.commander_user_id,
  };
}

/**
 * Loads an operation the actor may see, or 404 — the single door other modules (contacts, referrals,
 * custody, disclosure) use to reach an operation.
 */
export async function loadOperation(ctx: AppContext, actor: Actor, id: string, db: Queryable = ctx.db) {
  const found = await q.findVisibleWithAssignment(db, actor, id);
  if (!found) throw notFound('operation');
  return { row: found.row, record: operationRecord(found.row, found.assigned) };
}

/** Appends to an operation's timeline (the after-action report's spine). Detail never names a person. */
export async function recordEvent(db: Queryable, ctx: AppContext, op: Pick<OperationRow, 'id' | 'agency_id'>, kind: string, actorUserId: string | null, detail: Record<string, string | number | boolean | null> = {}) {
  await q.insertEvent(db, { id: newId(), operation_id: op.id, agency_id: op.agency_id, at: ctx.clock.now().toISOString(), kind, actor_user_id: actorUserId, detail: JSON.stringify(detail) });
}

/**
 * The 409 for a state change that lost a race: what changed since the operation was loaded — the state
 * it moved to, or a newer version of its plan.
 */
async function staleOperation(db: Queryable, row: Pick<OperationRow, 'id' | 'status' | 'version'>): Promise<AppError> {
  const now = await q.statusOf(db, row.id);
  if (!now) return notFound('operation');
  if (now.status !== row.status) return conflict(`status: the operation is now ${now.status} (it was ${row.status} when you asked); reload`, 'status');
  return conflict(`version: someone changed this operation a moment ago (version ${row.version} is now ${now.version}); reload and try again`, 'version');
}

/**
 * Every change to the operation row goes through here (DESIGN.md §3: state changes re-check their
 * precondition where they write): the update applies only if the operation is still in the status and
 * at the version the caller's checks saw, bumps the version, and holds the row until the commit.
 */
export async function advanceOperation(tx: Tx, row: OperationRow, changes: Partial<OperationRow>) {
  if (!(await q.updateAt(tx.db, row, { ...changes, version: row.version + 1 }))) throw await staleOperation(tx.db, row);
}

/**
 * For changes beside the operation row (its conflicts, its waivers): locks the row until the commit and
 * refuses (409) if it is no longer in the status and at the version the caller's checks saw. A plan
 * changed in between may carry conflicts the caller never saw.
 */
export async function holdOperation(tx: Tx, ctx: AppContext, row: OperationRow) {
  const now = await q.holdStatus(tx.db, ctx.dialect, row.id, 'exclusive');
  if (!now || now.status !== row.status || Number(now.version) !== row.version) throw await staleOperation(tx.db, row);
}

/**
 * For the field log (contacts module), inside its transaction: locks the operation row until the commit
 * and refuses (409) unless the operation is still in the status the caller's checks saw — running, for
 * recording and field edits; closed, for corrections. Closing updates the same row, so a contact either
 * commits before the close (and the close's checks and counts see it) or is refused.
 */
export async function holdOperationStatus(db: Queryable, ctx: AppContext, operationId: string, expected: OperationStatus) {
  // Shared: contacts of one operation are written side by side; only a state change waits for them.
  const now = await q.holdStatus(db, ctx.dialect, operationId, 'shared');
  if (!now) throw notFound('operation');
  if (now.status !== expected) throw conflict(`status: the operation is now ${now.status} (it was ${expected} when you asked); reload`, 'status');
}
