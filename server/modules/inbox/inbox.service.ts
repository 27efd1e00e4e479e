import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { anyOf, columnIn, columnIs } from '../../auth/scope.ts';
import type { Queryable } from '../../db/database.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { InboxItemDto } from '../../../common/schemas/operations.ts';

export interface Notice {
  /** Recipient agency. */
  agencyId: string;
  /** A role of that agency (e.g. coordinator), or one user. */
  audience: { role: string } | { userId: string };
  kind: string;
  title: string;
  body: string;
  recordType?: string;
  recordId?: string;
  operationId?: string;
  /** Set when the same notice may be filed again (a periodic check, several processes): it is filed once. */
  dedupeKey?: string;
  /**
   * With `dedupeKey`: a notice filed again replaces the one filed before — its title, body and time are
   * the new ones, it is unsettled and unread again — instead of being dropped (one notice per subject,
   * kept current, never a pile of repeats).
   */
  refresh?: boolean;
  /** Users who already know (the one whose action filed it): it reads as read for them. */
  readBy?: string[];
}

/**
 * Files a notice in an agency's inbox, in the caller's transaction. Notices say what happened and
 * where to look; they never carry a person's details or another agency's plan.
 */
export async function notify(db: Queryable, ctx: AppContext, notice: Notice) {
  const now = ctx.clock.now().toISOString();
  const values = {
    id: newId(),
    agency_id: notice.agencyId,
    audience: 'role' in notice.audience ? notice.audience.role : 'user',
    user_id: 'userId' in notice.audience ? notice.audience.userId : null,
    kind: notice.kind,
    record_type: notice.recordType ?? null,
    record_id: notice.recordId ?? null,
    operation_id: notice.operationId ?? null,
    title: notice.title,
    body: notice.body,
    dedupe_key: notice.dedupeKey ?? null,
    created_at: now,
    settled_at: null,
  };
  const refresh = notice.refresh === true && notice.dedupeKey !== undefined;
  await db
    .insertInto('inbox_item')
    .values(values)
    .onConflict((oc) =>
      refresh ? oc.column('dedupe_key').doUpdateSet({ title: values.title, body: values.body, created_at: now, settled_at: null }) : oc.column('dedupe_key').doNothing(),
    )
    .execute();
  if (!refresh && !notice.readBy?.length) return;
  // The row now standing under the key (this one, or the one it refreshed).
  const item = notice.dedupeKey
    ? await db.selectFrom('inbox_item').select('id').where('dedupe_key', '=', notice.dedupeKey).executeTakeFirstOrThrow()
    : { id: values.id };
  if (refresh) await db.deleteFrom('inbox_read').where('item_id', '=', item.id).execute();
  for (const userId of new Set(notice.readBy ?? [])) {
    await db
      .insertInto('inbox_read')
      .values({ item_id: item.id, user_id: userId, read_at: now })
      .onConflict((oc) => oc.columns(['item_id', 'user_id']).doNothing())
      .execute();
  }
}

/** Which notices a settlement closes: those about one record (optionally of one kind), or those filed under given keys. */
export type SettleFilter = { recordType: string; recordId: string; kind?: string } | { dedupeKeys: string[] };

/**
 * Marks notices done once the work they ask for is done (issue #9, item 7: a conflict notice when the
 * conflict is resolved or waived, an approval request once approved). Settled notices read as read for
 * everyone they were addressed to. Call it in the transaction that does the work; returns how many it settled.
 */
export async function settleNotices(db: Queryable, ctx: Pick<AppContext, 'clock'>, filter: SettleFilter): Promise<number> {
  let query = db.updateTable('inbox_item').set({ settled_at: ctx.clock.now().toISOString() }).where('settled_at', 'is', null);
  if ('dedupeKeys' in filter) {
    if (filter.dedupeKeys.length === 0) return 0;
    query = query.where('dedupe_key', 'in', filter.dedupeKeys);
  } else {
    query = query.where('record_type', '=', filter.recordType).where('record_id', '=', filter.recordId);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
  }
  const updated = await query.executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

/** Notices for the actor: their own, and those addressed to one of their roles in their agency. */
function inboxVisibleTo(actor: Actor) {
  return sql`${columnIs('i.agency_id', actor.agencyId)} and ${anyOf([columnIs('i.user_id', actor.userId), columnIn('i.audience', [...actor.roles])])}`;
}

/**
 * The actor's notices, newest first, and how many are unread — counted in SQL over all of them, not
 * over the page shown, so the header's badge and the inbox's "Unread" tab always say the same number.
 */
export async function listInbox(ctx: AppContext, actor: Actor, opts: { unreadOnly?: boolean } = {}): Promise<{ items: InboxItemDto[]; unread: number }> {
  const base = () =>
    ctx.db
      .selectFrom('inbox_item as i')
      .leftJoin('inbox_read as r', (j) => j.onRef('r.item_id', '=', 'i.id').on('r.user_id', '=', actor.userId))
      .where(inboxVisibleTo(actor) as never);
  const unreadOnly = <Q extends ReturnType<typeof base>>(q: Q) => q.where('r.read_at', 'is', null).where('i.settled_at', 'is', null) as Q;
  let query = base().select(['i.id', 'i.kind', 'i.title', 'i.body', 'i.record_type', 'i.record_id', 'i.operation_id', 'i.created_at', 'i.settled_at', 'r.read_at']);
  if (opts.unreadOnly) query = unreadOnly(query);
  const [rows, count] = await Promise.all([
    query.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(200).execute(),
    unreadOnly(base()).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    recordType: r.record_type,
    recordId: r.record_id,
    operationId: r.operation_id,
    createdAt: r.created_at,
    read: r.read_at !== null || r.settled_at !== null,
  }));
  return { items, unread: Number(count.n) };
}

export async function markRead(ctx: AppContext, actor: Actor, itemId: string) {
  const item = await ctx.db
    .selectFrom('inbox_item as i')
    .select('i.id')
    .where('i.id', '=', itemId)
    .where(inboxVisibleTo(actor) as never)
    .executeTakeFirst();
  if (!item) throw notFound('notice');
  await ctx.db
    .insertInto('inbox_read')
    .values({ item_id: itemId, user_id: actor.userId, read_at: ctx.clock.now().toISOString() })
    .onConflict((oc) => oc.columns(['item_id', 'user_id']).doNothing())
    .execute();
  return { ok: true as const };
}
