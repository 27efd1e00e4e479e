import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { OperationRow } from '../../db/schema/index.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { notify } from '../inbox/inbox.service.ts';
import { findConflicts, orderedPair } from './deconfliction.ts';
import { operationPolicy } from './operations.policy.ts';
import * as cq from './conflicts.queries.ts';
import * as q from './operations.queries.ts';
import { getFresh } from './operation-dto.ts';
import { holdOperation, loadOperation, recordEvent, who } from './operation-state.ts';

/**
 * Checks a saved plan against every other operation in Lantern and files what changed: new conflicts
 * (open, noticed to both leads), conflicts that no longer hold (cleared). Resolved and waived conflicts
 * that still hold keep their state.
 */
export async function deconflict(tx: Tx, ctx: AppContext, op: OperationRow): Promise<number> {
  const db = tx.db;
  const locations = await q.locationsOf(db, op.id);
  const subjects = await q.subjectsOf(db, op.id);
  const found = await findConflicts(db, op, locations, subjects);
  const existing = await cq.allOf(db, op.id);
  const key = (kind: string, a: string, b: string) => `${kind}|${a}|${b}`;
  const existingByKey = new Map(existing.map((c) => [key(c.kind, c.item_a, c.item_b), c]));
  const stillHolding = new Set<string>();
  const now = ctx.clock.now().toISOString();
  let added = 0;
  const noticed = new Set<string>();
  for (const f of found) {
    const { a, b } = orderedPair(f, op.id);
    const k = key(f.kind, a.item, b.item);
    stillHolding.add(k);
    const prior = existingByKey.get(k);
    if (prior && prior.status !== 'cleared') continue;
    if (prior) await cq.reopen(db, prior.id, now);
    else {
      await cq.insert(db, { id: newId(), kind: f.kind, operation_a: a.operation, item_a: a.item, operation_b: b.operation, item_b: b.item, status: 'open', detected_at: now, resolved_by: null, resolved_at: null, resolution: null });
    }
    added++;
    const other = await q.unsafeFindById(db, f.otherOperationId);
    if (!other) continue;
    // One notice per pair of operations and kind, to each lead agency's coordinators.
    const pairKey = `${f.kind}|${[op.id, other.id].sort().join('|')}|${now}`;
    if (noticed.has(pairKey)) continue;
    noticed.add(pairKey);
    const kindText = f.kind === 'place' ? 'overlaps in place and time with' : 'shares a subject with';
    for (const mine of [op, other]) {
      await notify(db, ctx, {
        agencyId: mine.agency_id,
        audience: { role: 'coordinator' },
        kind: 'deconfliction.conflict',
        title: `Deconfliction: “${mine.name}” may conflict with another operation`,
        body: `Your operation “${mine.name}” ${kindText} an operation of another agency. Open it to see whom to call; resolve the conflict or record an emergency waiver before it goes active.`,
        recordType: 'operation',
        recordId: mine.id,
        operationId: mine.id,
      });
    }
    tx.audit({ action: 'operation.conflictDetected', recordType: 'operation', recordId: op.id, recordAgencyId: op.agency_id, detail: { kind: f.kind, otherOperationId: other.id } });
  }
  for (const c of existing) {
    if (c.status !== 'cleared' && !stillHolding.has(key(c.kind, c.item_a, c.item_b))) await cq.clear(db, c.id, now);
  }
  return added;
}

/** How many of the operation's conflicts are open (activation refuses any). */
export async function openConflictCount(tx: Tx, operationId: string) {
  return (await cq.openOf(tx.db, operationId)).length;
}

/** Marks a conflict settled between the two leads (e.g. "spoke with KCPD; their warrant is at a different unit"). */
export async function resolveConflict(ctx: AppContext, actor: Actor, id: string, conflictId: string, note: string, meta: RequestMeta) {
  const { row, record } = await loadOperation(ctx, actor, id);
  authorize(actor, operationPolicy, 'operation.resolveConflict', record);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await holdOperation(tx, ctx, row);
    const c = await cq.findOf(tx.db, id, conflictId);
    if (!c) throw notFound('conflict');
    if (c.status !== 'open') throw conflict(`status: this conflict is already ${c.status}`, 'status');
    // The other side may settle the same conflict through its own operation: only one of them wins.
    if ((await cq.settleOpen(tx.db, [c.id], { status: 'resolved', by: actor.userId, at: now, resolution: note })) !== 1) {
      const after = await cq.statusOf(tx.db, c.id);
      throw conflict(`status: this conflict was ${after?.status ?? 'removed'} a moment ago; reload`, 'status');
    }
    await recordEvent(tx.db, ctx, row, 'conflict_resolved', actor.userId, { kind: c.kind });
    const other = await q.unsafeFindById(tx.db, cq.otherSide(c, id));
    if (other) {
      await notify(tx.db, ctx, {
        agencyId: other.agency_id,
        audience: { role: 'coordinator' },
        kind: 'deconfliction.resolved',
        title: `Deconfliction: a conflict with “${other.name}” was marked resolved`,
        body: `${actor.agencyName} marked a ${c.kind} conflict with your operation “${other.name}” as resolved.`,
        recordType: 'operation',
        recordId: other.id,
        operationId: other.id,
      });
    }
    tx.audit({ action: 'operation.resolveConflict', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: ['conflicts'], detail: { conflictId: c.id } });
  });
  return getFresh(ctx, actor, id);
}

/**
 * The emergency waiver: lets an approved operation go active despite open conflicts; both leads are told.
 * It covers exactly the conflicts open when it commits, of the plan version the coordinator saw.
 */
export async function waiveConflicts(ctx: AppContext, actor: Actor, id: string, reason: string, meta: RequestMeta) {
  const { row, record } = await loadOperation(ctx, actor, id);
  authorize(actor, operationPolicy, 'operation.waive', record);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await holdOperation(tx, ctx, row);
    const open = await cq.openOf(tx.db, id);
    if (open.length === 0) throw conflict('There is no open conflict to waive.');
    const ids = open.map((c) => c.id);
    // The other side settled one of them meanwhile: the waiver would record a conflict it did not waive.
    if ((await cq.settleOpen(tx.db, ids, { status: 'waived', by: actor.userId, at: now, resolution: `Emergency waiver: ${reason}` })) !== open.length) {
      throw conflict('status: a conflict was settled a moment ago; reload and check what is still open', 'status');
    }
    await cq.insertWaiver(tx.db, { id: newId(), operation_id: id, agency_id: row.agency_id, reason, conflict_ids: JSON.stringify(ids), waived_by: actor.userId, waived_at: now });
    await recordEvent(tx.db, ctx, row, 'waiver', actor.userId, { conflicts: open.length });
    await notify(tx.db, ctx, {
      agencyId: row.agency_id,
      audience: { role: 'coordinator' },
      kind: 'deconfliction.waiver',
      title: `Emergency waiver recorded for “${row.name}”`,
      body: `${actor.displayName} waived ${open.length} deconfliction conflict(s) of “${row.name}”: ${reason}`,
      recordType: 'operation',
      recordId: id,
      operationId: id,
    });
    const others = await cq.unsafeOtherSides(tx.db, [...new Set(open.map((c) => cq.otherSide(c, id)))]);
    for (const other of others) {
      await notify(tx.db, ctx, {
        agencyId: other.agency_id,
        audience: { role: 'coordinator' },
        kind: 'deconfliction.waiver',
        title: `Emergency waiver: an operation conflicting with “${other.name}” is going ahead`,
        body: `${actor.agencyName} recorded an emergency waiver over a conflict with your operation “${other.name}”. Call their on-scene commander (shown on your operation).`,
        recordType: 'operation',
        recordId: other.id,
        operationId: other.id,
      });
    }
    tx.audit({ action: 'operation.waive', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: ['conflicts'], detail: { conflicts: open.length } });
  });
  return getFresh(ctx, actor, id);
}
