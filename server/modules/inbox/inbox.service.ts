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
}

/**
 * Files a notice in an agency's inbox, in the caller's transaction. Notices say what happened and
 * where to look; they never carry a person's details or another agency's plan.
 */
export async function notify(db: Queryable, ctx: AppContext, notice: Notice) {
  await db
    .insertInto('inbox_item')
    .values({
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
      created_at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** Notices for the actor: their own, and those addressed to one of their roles in their agency. */
function inboxVisibleTo(actor: Actor) {
  return sql`${columnIs('i.agency_id', actor.agencyId)} and ${anyOf([columnIs('i.user_id', actor.userId), columnIn('i.audience', [...actor.roles])])}`;
}

export async function listInbox(ctx: AppContext, actor: Actor, opts: { unreadOnly?: boolean } = {}): Promise<{ items: InboxItemDto[]; unread: number }> {
  let query = ctx.db
    .selectFrom('inbox_item as i')
    .leftJoin('inbox_read as r', (j) => j.onRef('r.item_id', '=', 'i.id').on('r.user_id', '=', actor.userId))
    .select(['i.id', 'i.kind', 'i.title', 'i.body', 'i.record_type', 'i.record_id', 'i.operation_id', 'i.created_at', 'r.read_at'])
    .where(inboxVisibleTo(actor) as never);
  if (opts.unreadOnly) query = query.where('r.read_at', 'is', null);
  const rows = await query.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(200).execute();
  const items = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    recordType: r.record_type,
    recordId: r.record_id,
    operationId: r.operation_id,
    createdAt: r.created_at,
    read: r.read_at !== null,
  }));
  return { items, unread: items.filter((i) => !i.read).length };
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
