import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { OperationRow } from '../../db/schema/index.ts';
import { AppError } from '../../lib/errors.ts';
import type { OperationStatus } from '../../../common/operations.ts';
import { countOperation } from '../statistics/statistics.counting.ts';
import { operationPolicy } from './operations.policy.ts';
import * as q from './operations.queries.ts';
import { conflictCount, deconflict, openConflictCount, settleConflictNotices } from './conflicts.service.ts';
import { getFresh } from './operation-dto.ts';
import { advanceOperation, loadOperation, recordEvent, who } from './operation-state.ts';

/** The lifecycle: draft → approved → active → closed, each step by its rule and its checks. */

async function transition(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta: RequestMeta,
  action: 'operation.approve' | 'operation.activate' | 'operation.close',
  check: (tx: Tx, row: OperationRow) => Promise<void>,
  to: OperationStatus,
) {
  const { row, record } = await loadOperation(ctx, actor, id);
  authorize(actor, operationPolicy, action, record);
  const now = ctx.clock.now().toISOString();
  const stamp =
    to === 'approved' ? { approved_by: actor.userId, approved_at: now } : to === 'active' ? { activated_at: now } : { closed_by: actor.userId, closed_at: now };
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    // Claim the row first: a concurrent edit, transition or contact then either committed before (and
    // the checks below see it) or waits for this commit and finds the new state.
    await advanceOperation(tx, row, { status: to, ...stamp, updated_at: now });
    await check(tx, row);
    await recordEvent(tx.db, ctx, row, to, actor.userId);
    tx.audit({ action, recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: ['status'], detail: { from: row.status, to } });
  });
  return getFresh(ctx, actor, id);
}

export function approveOperation(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return transition(ctx, actor, id, meta, 'operation.approve', async (tx, row) => {
    await deconflict(tx, ctx, row, actor.userId);
  }, 'approved');
}

/** An operation cannot go active with an unresolved conflict, unless a coordinator recorded an emergency waiver. */
export function activateOperation(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return transition(ctx, actor, id, meta, 'operation.activate', async (tx, row) => {
    await deconflict(tx, ctx, row, actor.userId);
    const open = await openConflictCount(tx, ctx, row.id);
    if (open) {
      throw new AppError('unresolved_conflicts', 409, `It cannot start with ${conflictCount(open)} unresolved. Resolve ${open === 1 ? 'it' : 'them'} with the other operation's lead, or record an emergency waiver.`);
    }
  }, 'active');
}

/**
 * Closes a running operation once its record is whole: every minor's custody or release decided and
 * every child in protective custody handed off (issue #3, bad input).
 */
export function closeOperation(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return transition(ctx, actor, id, meta, 'operation.close', async (tx, row) => {
    const minors = await q.minorsOf(tx.db, row.id);
    const undecided = minors.filter((m) => m.disposition !== 'protective_custody' && m.disposition !== 'released');
    if (undecided.length) {
      throw new AppError('minor_undecided', 409, `Record a custody or release decision for every minor before closing: Person ${undecided.map((m) => m.person_number).join(', Person ')}.`, 'contacts');
    }
    const noHandoff = minors.filter((m) => m.disposition === 'protective_custody' && !m.handoff_id);
    if (noHandoff.length) {
      throw new AppError('handoff_missing', 409, `Record the custody hand-off of Person ${noHandoff.map((m) => m.person_number).join(', Person ')} before closing.`, 'contacts');
    }
    // The public statistics' summary counts, in this transaction (issue #4, item 4).
    await countOperation(tx.db, ctx, row.id);
    // A closed operation's conflicts only inform from now on: nothing is left to do about their notices.
    await settleConflictNotices(tx.db, ctx, row, { all: true });
  }, 'closed');
}
