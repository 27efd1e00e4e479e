import type { Actor } from '../../auth/actor.ts';
import { everything, inPartnerAgencies } from '../../auth/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { AgencyUpdate, NewAgencyRow } from '../../db/schema/index.ts';
import type { Role } from '../../../common/roles.ts';

/** An agency is visible to its own staff and to the staff of agencies it shares a task force with. */
export function agenciesVisibleTo(actor: Actor) {
  return actor.platformAdmin ? everything() : inPartnerAgencies('agency.id', actor);
}

export function list(db: Queryable, actor: Actor) {
  return db.selectFrom('agency').selectAll().where(agenciesVisibleTo(actor)).orderBy('name').execute();
}

export function findVisible(db: Queryable, actor: Actor, id: string) {
  return db.selectFrom('agency').selectAll().where('id', '=', id).where(agenciesVisibleTo(actor)).executeTakeFirst();
}

/** Unscoped: used where the caller has already been authorized for something that names the agency. */
export function unsafeFindById(db: Queryable, id: string) {
  return db.selectFrom('agency').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByName(db: Queryable, name: string) {
  return db.selectFrom('agency').select('id').where('name', '=', name).executeTakeFirst();
}

export function findByOri(db: Queryable, ori: string) {
  return db.selectFrom('agency').select('id').where('ori', '=', ori).executeTakeFirst();
}

export async function insert(db: Queryable, row: NewAgencyRow) {
  await db.insertInto('agency').values(row).execute();
}

export async function update(db: Queryable, id: string, changes: AgencyUpdate) {
  await db.updateTable('agency').set(changes).where('id', '=', id).execute();
}

/** The roles anyone in the agency holds. */
export async function rolesHeldIn(db: Queryable, agencyId: string): Promise<Role[]> {
  const rows = await db.selectFrom('membership').select('role').distinct().where('agency_id', '=', agencyId).execute();
  return rows.map((r) => r.role as Role);
}
