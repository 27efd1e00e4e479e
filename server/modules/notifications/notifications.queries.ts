import { sql } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import type { NotificationPreferenceRow } from '../../db/schema/index.ts';
import { CUSTODY_DEADLINE_PREFIX, EMAILED_KINDS } from './notifications.kinds.ts';

export function findPreference(db: Queryable, userId: string): Promise<NotificationPreferenceRow | undefined> {
  return db.selectFrom('notification_preference').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export function preferencesOf(db: Queryable, userIds: string[]): Promise<NotificationPreferenceRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('notification_preference').selectAll().where('user_id', 'in', userIds).execute();
}

export async function upsertPreference(db: Queryable, row: NotificationPreferenceRow) {
  const { user_id: _id, ...rest } = row;
  await db.insertInto('notification_preference').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(rest)).execute();
}

/** Emailed notices filed since `since` whose recipients no process has worked out yet, oldest first. */
export function unscannedItems(db: Queryable, since: string, limit: number) {
  return db
    .selectFrom('inbox_item as i')
    .select(['i.id', 'i.agency_id', 'i.audience', 'i.user_id', 'i.kind', 'i.created_at'])
    .where('i.created_at', '>=', since)
    .where((eb) => eb.or([eb('i.kind', 'in', EMAILED_KINDS), eb('i.kind', 'like', `${CUSTODY_DEADLINE_PREFIX}%`)]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('email_item_scan as s').select('s.item_id').whereRef('s.item_id', '=', 'i.id'))))
    .orderBy('i.created_at')
    .orderBy('i.id')
    .limit(limit)
    .execute();
}

/** The claim on a notice's recipients: true for the one process whose insert landed. */
export async function claimItem(db: Queryable, itemId: string, at: string): Promise<boolean> {
  const r = await db.insertInto('email_item_scan').values({ item_id: itemId, scanned_at: at }).onConflict((oc) => oc.column('item_id').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Who sees the notice in their inbox (inbox.service.ts: the agency's users holding the role, or the one
 * user), with email: the same rule, so an email never reaches someone the inbox would not show it to.
 * Disabled accounts get none.
 */
export function recipientsOf(db: Queryable, item: { agency_id: string; audience: string; user_id: string | null }) {
  let q = db.selectFrom('app_user as u').select(['u.id', 'u.email']).where('u.agency_id', '=', item.agency_id).where('u.disabled_at', 'is', null);
  if (item.user_id !== null) q = q.where('u.id', '=', item.user_id);
  else q = q.where((eb) => eb.exists(eb.selectFrom('membership as m').select('m.user_id').whereRef('m.user_id', '=', 'u.id').where('m.role', '=', item.audience)));
  return q.orderBy('u.id').execute();
}

export async function insertDeliveries(db: Queryable, rows: { item_id: string; user_id: string; status: string; queued_at: string }[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('email_delivery')
    .values(rows.map((r) => ({ ...r, claim: null, attempts: 0, sent_at: null, error: null })))
    .onConflict((oc) => oc.columns(['item_id', 'user_id']).doNothing())
    .execute();
}

export function pendingDeliveries(db: Queryable, maxAttempts: number, limit: number) {
  return db
    .selectFrom('email_delivery as d')
    .innerJoin('inbox_item as i', 'i.id', 'd.item_id')
    .innerJoin('app_user as u', 'u.id', 'd.user_id')
    .leftJoin('inbox_read as r', (j) => j.onRef('r.item_id', '=', 'd.item_id').onRef('r.user_id', '=', 'd.user_id'))
    .select(['d.item_id', 'd.user_id', 'd.attempts', 'i.kind', 'i.user_id as addressed_to', 'u.email', 'u.disabled_at', 'r.read_at'])
    .where('d.status', '=', 'pending')
    .where('d.attempts', '<', maxAttempts)
    .orderBy('d.queued_at')
    .limit(limit)
    .execute();
}

/** Takes one pending delivery for this process: a conditional update only one process can make. */
export async function claimDelivery(db: Queryable, itemId: string, userId: string, claim: string): Promise<boolean> {
  const r = await db
    .updateTable('email_delivery')
    .set({ status: 'sending', claim })
    .where('item_id', '=', itemId)
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function finishDelivery(db: Queryable, itemId: string, userId: string, claim: string, set: { status: string; sent_at?: string | null; error?: string | null; attempts?: number }) {
  await db
    .updateTable('email_delivery')
    .set({ ...set, claim: null })
    .where('item_id', '=', itemId)
    .where('user_id', '=', userId)
    .where('claim', '=', claim)
    .execute();
}

/** The people with digest notices queued before `moment`. */
export async function digestRecipients(db: Queryable, moment: string): Promise<string[]> {
  const rows = await db.selectFrom('email_delivery').select('user_id').distinct().where('status', '=', 'digest').where('queued_at', '<=', moment).execute();
  return rows.map((r) => r.user_id);
}

/** Takes a person's queued digest notices for this process; returns how many it took. */
export async function claimDigest(db: Queryable, userId: string, moment: string, claim: string): Promise<number> {
  const r = await db
    .updateTable('email_delivery')
    .set({ status: 'sending', claim })
    .where('user_id', '=', userId)
    .where('status', '=', 'digest')
    .where('queued_at', '<=', moment)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The claimed digest notices, and whether each is still unread. */
export function claimedDigest(db: Queryable, claim: string) {
  return db
    .selectFrom('email_delivery as d')
    .innerJoin('app_user as u', 'u.id', 'd.user_id')
    .leftJoin('inbox_read as r', (j) => j.onRef('r.item_id', '=', 'd.item_id').onRef('r.user_id', '=', 'd.user_id'))
    .select(['d.item_id', 'd.user_id', 'u.email', 'u.disabled_at', 'r.read_at'])
    .where('d.claim', '=', claim)
    .execute();
}

export async function finishClaim(db: Queryable, claim: string, set: { status: string; sent_at?: string | null; error?: string | null }) {
  await db.updateTable('email_delivery').set({ ...set, claim: null }).where('claim', '=', claim).execute();
}

/** Puts a claim that failed to send back in the digest queue. */
export async function releaseDigestClaim(db: Queryable, claim: string, error: string) {
  await db
    .updateTable('email_delivery')
    .set((eb) => ({ status: 'digest', claim: null, error, attempts: sql<number>`${eb.ref('attempts')} + 1` }))
    .where('claim', '=', claim)
    .execute();
}
