import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { OperationRow } from '../../db/schema/index.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { notify, settleNotices } from '../inbox/inbox.service.ts';
import { findConflicts, orderedPair } from './deconfliction.ts';
import { operationPolicy } from './operations.policy.ts';
import * as cq from './conflicts.queries.ts';
import * as q from './operations.queries.ts';
import { getFresh } from './operation-dto.ts';
import { holdOperation, loadOperation, recordEvent, who } from './operation-state.ts';

/** "1 conflict", "3 conflicts": notices are stored English text. */
export const conflictCount = (n: number) => `${n} deconfliction conflict${n === 1 ? '' : 's'}`;

/** One conflict notice per agency and pair of operations, kept current (issue #9, item 1). */
const pairKey = (agencyId: string, one: string, other: string) => `deconfliction.conflict|${agencyId}|${[one, other].sort().join('|')}`;

type Side = Pick<OperationRow, 'id' | 'agency_id' | 'name' | 'commander_name'> & { agency_name: string };

/**
 * Tells the coordinators of each lead agency about new conflicts between two live operations, by who
 * they are: one agency with both operations reads "your agency's operation X (lead, commander)" and gets
 * one notice; two agencies each get one naming the other agency, never its plan. The notice of a pair is
 * refreshed rather than repeated, and reads as read for the person whose save found it.
 */
async function noticeConflict(db: Tx['db'], ctx: AppContext, op: Side, other: Side, kinds: Set<string>, by: string) {
  const what = [kinds.has('place') ? 'overlaps in place and time with' : null, kinds.has('subject') ? 'shares a subject with' : null].filter(Boolean).join(', and ');
  const common = { audience: { role: 'coordinator' }, kind: 'deconfliction.conflict', recordType: 'operation', refresh: true } as const;
  if (op.agency_id === other.agency_id) {
    await notify(db, ctx, {
      ...common,
      agencyId: op.agency_id,
      title: `Deconfliction: your agency's operations “${op.name}” and “${other.name}” may conflict`,
      body: `“${op.name}” ${what} your agency's operation “${other.name}” (lead: ${other.agency_name}; on-scene commander ${other.commander_name}). Agree how both go ahead, then mark the conflict resolved on either operation.`,
      recordId: op.id,
      operationId: op.id,
      dedupeKey: pairKey(op.agency_id, op.id, other.id),
      readBy: [by],
    });
    return;
  }
  for (const [mine, theirs] of [
    [op, other],
    [other, op],
  ] as const) {
    await notify(db, ctx, {
      ...common,
      agencyId: mine.agency_id,
      title: `Deconfliction: “${mine.name}” may conflict with an operation of ${theirs.agency_name}`,
      body: `Your operation “${mine.name}” ${what} an operation of ${theirs.agency_name}. Open it to see whom to call; resolve the conflict, or record an emergency waiver, before it starts.`,
      recordId: mine.id,
      operationId: mine.id,
      dedupeKey: pairKey(mine.agency_id, mine.id, theirs.id),
      readBy: mine === op ? [by] : [],
    });
  }
}

/**
 * Settles the conflict notices of an operation's pairs once nothing is left to do about them: no open
 * conflict remains between the two operations, or (`all`) the operation is closed and its conflicts
 * only inform from now on (issue #9, item 7).
 */
export async function settleConflictNotices(db: Tx['db'], ctx: AppContext, op: Pick<OperationRow, 'id' | 'agency_id'>, opts: { all?: boolean } = {}) {
  const conflicts = await cq.allOf(db, op.id);
  const others = await cq.unsafeOtherSides(db, [...new Set(conflicts.map((c) => cq.otherSide(c, op.id)))]);
  const keys: string[] = [];
  for (const other of others) {
    if (opts.all || !(await cq.anyOpenBetween(db, op.id, other.id))) keys.push(pairKey(op.agency_id, op.id, other.id), pairKey(other.agency_id, op.id, other.id));
  }
  await settleNotices(db, ctx, { dedupeKeys: [...new Set(keys)] });
}

/**
 * Checks a saved plan against every other operation in Lantern and files what changed: new conflicts
 * (open, noticed to both leads while both operations are live), conflicts that no longer hold
 * (cleared, their notices settled). Resolved and waived conflicts that still hold keep their state.
 * `by` is the user whose action ran the check (their own notice reads as read).
 */
export async function deconflict(tx: Tx, ctx: AppContext, op: OperationRow, by: string): Promise<number> {
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
  const newByOther = new Map<string, Set<string>>();
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
    const kinds = newByOther.get(f.otherOperationId) ?? new Set<string>();
    kinds.add(f.kind);
    newByOther.set(f.otherOperationId, kinds);
    tx.audit({ action: 'operation.conflictDetected', recordType: 'operation', recordId: op.id, recordAgencyId: op.agency_id, detail: { kind: f.kind, otherOperationId: f.otherOperationId } });
  }
  for (const c of existing) {
    if (c.status !== 'cleared' && !stillHolding.has(key(c.kind, c.item_a, c.item_b))) await cq.clear(db, c.id, now);
  }
  if (newByOther.size) {
    const sides = await cq.unsafeOtherSides(db, [op.id, ...newByOther.keys()]);
    const self = sides.find((s) => s.id === op.id)!;
    const mine = { ...self, ...op };
    for (const other of sides) {
      const kinds = newByOther.get(other.id);
      // A closed or past operation only informs: no notice to anyone (issue #9, item 1).
      if (!kinds || !cq.isLive(mine, now) || !cq.isLive(other, now)) continue;
      await noticeConflict(db, ctx, mine, other, kinds, by);
    }
  }
  await settleConflictNotices(db, ctx, op);
  return added;
}

/** How many of the operation's conflicts block it now (activation refuses any). */
export async function openConflictCount(tx: Tx, ctx: AppContext, operationId: string) {
  return (await cq.openOf(tx.db, operationId, ctx.clock.now().toISOString())).length;
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
    const other = await q.unsafeFindById(tx.db, cq.otherSide(c, id));
    await recordEvent(tx.db, ctx, row, 'conflict_resolved', actor.userId, { kind: c.kind, sameAgency: other?.agency_id === row.agency_id });
    // The other lead is told, unless it is the actor's own agency (it did this itself) or the other
    // operation is closed or over (it only informs).
    if (other && other.agency_id !== row.agency_id && cq.isLive(other, now)) {
      await notify(tx.db, ctx, {
        agencyId: other.agency_id,
        audience: { role: 'coordinator' },
        kind: 'deconfliction.resolved',
        title: `Deconfliction: a conflict with “${other.name}” was marked resolved`,
        body: `${actor.agencyName} marked a ${c.kind} conflict with your operation “${other.name}” as resolved: “${note}”`,
        recordType: 'operation',
        recordId: other.id,
        operationId: other.id,
        // One such notice per pair, kept current: resolving a place and a subject conflict is one piece of news.
        dedupeKey: `deconfliction.resolved|${other.agency_id}|${[id, other.id].sort().join('|')}`,
        refresh: true,
      });
    }
    await settleConflictNotices(tx.db, ctx, row);
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
    const open = await cq.openOf(tx.db, id, now);
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
      body: `${actor.displayName} waived ${conflictCount(open.length)} of “${row.name}”: ${reason}`,
      recordType: 'operation',
      recordId: id,
      operationId: id,
      readBy: [actor.userId],
    });
    const others = await cq.unsafeOtherSides(tx.db, [...new Set(open.map((c) => cq.otherSide(c, id)))]);
    for (const other of others) {
      if (other.agency_id === row.agency_id) continue;
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
    await settleConflictNotices(tx.db, ctx, row);
    tx.audit({ action: 'operation.waive', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: ['conflicts'], detail: { conflicts: open.length } });
  });
  return getFresh(ctx, actor, id);
}
