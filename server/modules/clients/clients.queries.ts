import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type {
  ClientDocumentTable,
  ClientNoteTable,
  ClientReleaseRow,
  ClientReleaseTable,
  ClientRow,
  ClientServiceTable,
  ClientShareTable,
  ClientTable,
} from '../../db/schema/index.ts';
import { clientAccess, clientAssignmentFlag, releaseAccessAt } from './clients.access.ts';

/** Clients the actor may see: the SQL form of `client.read` (`clients.access.ts`). */
export const clientsVisibleTo = (actor: Actor) => clientAccess.grants['client.read'].where(actor);

function base(db: Queryable, actor: Actor) {
  return db.selectFrom('client as cl').selectAll('cl').select(clientAssignmentFlag(actor, 'cl.id').as('assigned')).where(clientsVisibleTo(actor));
}
export type VisibleClientRow = ClientRow & { assigned: number };

export function findVisible(db: Queryable, actor: Actor, id: string): Promise<VisibleClientRow | undefined> {
  return base(db, actor).where('cl.id', '=', id).executeTakeFirst() as Promise<VisibleClientRow | undefined>;
}

export function list(db: Queryable, actor: Actor, filter: { status?: string | undefined }): Promise<VisibleClientRow[]> {
  let query = base(db, actor);
  if (filter.status) query = query.where('cl.status', '=', filter.status);
  return query.orderBy('cl.opened_at', 'desc').orderBy('cl.id', 'desc').limit(500).execute() as Promise<VisibleClientRow[]>;
}

/** The advocates assigned to these clients, by name. */
export function assigneesOf(db: Queryable, clientIds: readonly string[]) {
  if (clientIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('client_assignment as ca')
    .innerJoin('app_user as u', 'u.id', 'ca.user_id')
    .innerJoin('app_user as by', 'by.id', 'ca.assigned_by')
    .select(['ca.client_id', 'ca.user_id', 'u.display_name', 'ca.assigned_at', 'by.display_name as assigned_by_name'])
    .where('ca.client_id', 'in', [...clientIds])
    .orderBy('u.display_name')
    .execute();
}

/** How many releases of each client are in effect at `now`: active (not revoked), started and unexpired. */
export function activeReleaseCounts(db: Queryable, clientIds: readonly string[], now: string) {
  if (clientIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('client_release')
    .select(['client_id', sql<number>`count(*)`.as('n')])
    .where('client_id', 'in', [...clientIds])
    .where('status', '=', 'active')
    .where('starts_at', '<=', now)
    .where('expires_at', '>', now)
    .groupBy('client_id')
    .execute();
}

export function servicesOf(db: Queryable, clientId: string) {
  return db
    .selectFrom('client_service as s')
    .innerJoin('app_user as u', 'u.id', 's.created_by')
    .selectAll('s')
    .select('u.display_name as author')
    .where('s.client_id', '=', clientId)
    .orderBy('s.provided_on', 'desc')
    .orderBy('s.created_at', 'desc')
    .execute();
}

export function notesOf(db: Queryable, clientId: string) {
  return db
    .selectFrom('client_note as n')
    .innerJoin('app_user as u', 'u.id', 'n.created_by')
    .selectAll('n')
    .select('u.display_name as author')
    .where('n.client_id', '=', clientId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .execute();
}

export function documentsOf(db: Queryable, clientId: string) {
  return db
    .selectFrom('client_document as d')
    .innerJoin('app_user as u', 'u.id', 'd.created_by')
    .select(['d.id', 'd.name', 'd.mime', 'd.size', 'd.created_at', 'u.display_name as author'])
    .where('d.client_id', '=', clientId)
    .orderBy('d.created_at', 'desc')
    .execute();
}

/** Whether a document is this client's (never another client's, whatever the id). */
export async function isDocumentOf(db: Queryable, clientId: string, documentId: string) {
  return Boolean(await db.selectFrom('client_document').select('id').where('client_id', '=', clientId).where('id', '=', documentId).executeTakeFirst());
}

/** A document of this client (never another client's, whatever the id), content included. */
export function findDocument(db: Queryable, clientId: string, documentId: string) {
  return db.selectFrom('client_document').selectAll().where('client_id', '=', clientId).where('id', '=', documentId).executeTakeFirst();
}

function releases(db: Queryable) {
  return db
    .selectFrom('client_release as rel')
    .innerJoin('agency as ra', 'ra.id', 'rel.recipient_agency_id')
    .leftJoin('app_user as ru', 'ru.id', 'rel.recipient_user_id')
    .innerJoin('app_user as cu', 'cu.id', 'rel.created_by')
    .leftJoin('client_document as sd', 'sd.id', 'rel.scan_document_id')
    .selectAll('rel')
    .select(['ra.name as recipient_agency_name', 'ru.display_name as recipient_user_name', 'cu.display_name as created_by_name', 'sd.name as scan_document_name']);
}
export type ReleaseListRow = ClientReleaseRow & { recipient_agency_name: string; recipient_user_name: string | null; created_by_name: string; scan_document_name: string | null };

export function releasesOf(db: Queryable, clientId: string): Promise<ReleaseListRow[]> {
  return releases(db).where('rel.client_id', '=', clientId).orderBy('rel.created_at', 'desc').orderBy('rel.id').execute();
}

/** A release with its client, only where the actor may see the client (the advocates' side). */
export function findReleaseForStaff(db: Queryable, actor: Actor, releaseId: string) {
  return releases(db)
    .innerJoin('client as cl', 'cl.id', 'rel.client_id')
    .select(clientAssignmentFlag(actor, 'cl.id').as('assigned'))
    .where('rel.id', '=', releaseId)
    .where(clientsVisibleTo(actor))
    .executeTakeFirst() as Promise<(ReleaseListRow & { assigned: number }) | undefined>;
}

export function sharesOf(db: Queryable, releaseIds: readonly string[]) {
  if (releaseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('client_share as s')
    .innerJoin('app_user as u', 'u.id', 's.shared_by')
    .select(['s.id', 's.release_id', 's.scopes', 's.shared_at', 'u.display_name as by'])
    .where('s.release_id', 'in', [...releaseIds])
    .orderBy('s.shared_at', 'desc')
    .execute();
}

/**
 * The newest extract shared under a release, only if the release is, at `now`, in effect for the actor
 * (`release.readShared`): one statement, so a revocation committed before it began is always seen.
 */
export function findSharedForRecipient(db: Queryable, actor: Actor, releaseId: string, now: string) {
  return db
    .selectFrom('client_release as rel')
    .innerJoin('client_share as s', 's.release_id', 'rel.id')
    .innerJoin('agency as fa', 'fa.id', 'rel.agency_id')
    .select([
      'rel.id',
      'rel.agency_id',
      'rel.client_id',
      'rel.scopes as release_scopes',
      'rel.purpose',
      'rel.starts_at',
      'rel.expires_at',
      'rel.subject_name',
      'fa.name as from_agency_name',
      's.id as share_id',
      's.extract',
      's.shared_at',
    ])
    .where('rel.id', '=', releaseId)
    .where(releaseAccessAt(now).grants['release.readShared'].where(actor))
    .orderBy('s.shared_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Releases in effect for the actor at `now`, with when each was last shared under. */
export function receivedReleases(db: Queryable, actor: Actor, now: string) {
  return db
    .selectFrom('client_release as rel')
    .innerJoin('agency as fa', 'fa.id', 'rel.agency_id')
    .select([
      'rel.id',
      'rel.agency_id',
      'fa.name as from_agency_name',
      'rel.subject_name',
      'rel.scopes',
      'rel.expires_at',
      (eb) => eb.selectFrom('client_share as s').select((e) => e.fn.max('s.shared_at').as('m')).whereRef('s.release_id', '=', 'rel.id').as('last_shared_at'),
    ])
    .where(releaseAccessAt(now).grants['release.readShared'].where(actor))
    .orderBy('rel.expires_at')
    .limit(500)
    .execute();
}

export async function insertClient(db: Queryable, row: ClientTable) {
  await db.insertInto('client').values(row).execute();
}
/** Assigns a user to a client; false when they already were (the primary key decides, so two at once assign once). */
export async function assign(db: Queryable, row: { client_id: string; user_id: string; assigned_by: string; assigned_at: string }) {
  const res = await db
    .insertInto('client_assignment')
    .values(row)
    .onConflict((oc) => oc.columns(['client_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}
/** Ends a user's assignment to a client; false when they were not assigned. */
export async function unassign(db: Queryable, clientId: string, userId: string) {
  const res = await db.deleteFrom('client_assignment').where('client_id', '=', clientId).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}
/** The agency's advocates who may be assigned to its clients: enabled users with the advocate role there. */
export function advocatesOf(db: Queryable, agencyId: string) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('membership as m', (join) => join.onRef('m.user_id', '=', 'u.id').onRef('m.agency_id', '=', 'u.agency_id'))
    .select(['u.id', 'u.display_name'])
    .where('u.agency_id', '=', agencyId)
    .where('m.role', '=', 'advocate')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute();
}
/** Changes a client still at `version`; false when someone changed it first. */
export async function updateAtVersion(db: Queryable, id: string, version: number, changes: Partial<ClientTable>) {
  const res = await db
    .updateTable('client')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
export async function touch(db: Queryable, id: string, at: string) {
  await db
    .updateTable('client')
    .set((eb) => ({ updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}
export async function insertService(db: Queryable, row: ClientServiceTable) {
  await db.insertInto('client_service').values(row).execute();
}
export async function insertNote(db: Queryable, row: ClientNoteTable) {
  await db.insertInto('client_note').values(row).execute();
}
export async function insertDocument(db: Queryable, row: ClientDocumentTable) {
  await db.insertInto('client_document').values(row).execute();
}
export async function insertRelease(db: Queryable, row: ClientReleaseTable) {
  await db.insertInto('client_release').values(row).execute();
}
export async function insertShare(db: Queryable, row: ClientShareTable) {
  await db.insertInto('client_share').values(row).execute();
}

/**
 * Claims an active, unexpired release for a share at `now`, in the sharing transaction: the conditional
 * update takes the row's lock on PostgreSQL, so a revocation either commits first (and this finds
 * nothing) or waits for the share to commit. The same holds for the expiry sweep: a share whose `now`
 * fell just before the expiry must not land after the sweep took the release's phone out of the index.
 */
export async function claimForShare(db: Queryable, releaseId: string, now: string) {
  const res = await db
    .updateTable('client_release')
    .set((eb) => ({ updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', releaseId)
    .where('status', '=', 'active')
    .where('starts_at', '<=', now)
    .where('expires_at', '>', now)
    .where('expiry_recorded_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Revokes a release still active; false when it was revoked first. */
export async function revoke(db: Queryable, releaseId: string, changes: Partial<ClientReleaseTable>) {
  const res = await db
    .updateTable('client_release')
    .set((eb) => ({ ...changes, status: 'revoked', version: eb('version', '+', 1) }))
    .where('id', '=', releaseId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** An agency and, if named, one of its users: the recipient a release names. */
export function findRecipient(db: Queryable, agencyId: string, userId: string | null) {
  return db
    .selectFrom('agency as a')
    .leftJoin('app_user as u', (join) => join.onRef('u.agency_id', '=', 'a.id').on('u.id', '=', userId ?? ''))
    .select(['a.id', 'a.name', 'a.kind', 'u.id as user_id', 'u.display_name as user_name'])
    .where('a.id', '=', agencyId)
    .executeTakeFirst();
}
