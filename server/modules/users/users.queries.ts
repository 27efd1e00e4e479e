import { hasRole, type Actor } from '../../auth/actor.ts';
import { anyOf, columnIs, everything, inPartnerAgencies } from '../../auth/scope.ts';
import { containsText, joinedText, type Dialect, type Queryable } from '../../db/database.ts';

/**
 * Accounts visible to the actor: their own; their agency's, for its administrator; those of
 * task-force partner agencies, for a coordinator (to staff operations).
 */
export function usersVisibleTo(actor: Actor) {
  if (actor.platformAdmin) return everything();
  const grants = [columnIs('u.id', actor.userId)];
  if (hasRole(actor, 'admin')) grants.push(columnIs('u.agency_id', actor.agencyId));
  if (hasRole(actor, 'coordinator')) grants.push(inPartnerAgencies('u.agency_id', actor));
  return anyOf(grants);
}

function baseQuery(db: Queryable, dialect: Dialect) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select((eb) => [
      'u.id',
      'u.email',
      'u.display_name',
      'u.agency_id',
      'u.phone',
      'u.is_platform_admin',
      'u.totp_secret',
      'u.must_change_password',
      'u.disabled_at',
      'u.last_login_at',
      'u.created_at',
      'a.name as agency_name',
      'a.kind as agency_kind',
      eb.selectFrom('membership as m').select((sub) => joinedText(dialect, sub.ref('m.role')).as('r')).whereRef('m.user_id', '=', 'u.id').as('roles'),
      eb.exists(eb.selectFrom('login_lock as l').select('l.email').whereRef('l.email', '=', 'u.email')).as('locked'),
    ]);
}
export type UserListRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

export function list(db: Queryable, dialect: Dialect, actor: Actor, filter: { agencyId?: string | undefined; q?: string | undefined }) {
  let query = baseQuery(db, dialect).where(usersVisibleTo(actor));
  if (filter.agencyId) query = query.where('u.agency_id', '=', filter.agencyId);
  if (filter.q) {
    const q = filter.q;
    query = query.where((eb) => eb.or([containsText(eb.ref('u.display_name'), q), containsText(eb.ref('u.email'), q)]));
  }
  return query.orderBy('a.name').orderBy('u.display_name').limit(1000).execute();
}

export function findVisible(db: Queryable, dialect: Dialect, actor: Actor, id: string) {
  return baseQuery(db, dialect).where('u.id', '=', id).where(usersVisibleTo(actor)).executeTakeFirst();
}

export function findByEmail(db: Queryable, email: string) {
  return db.selectFrom('app_user').select(['id', 'agency_id']).where('email', '=', email).executeTakeFirst();
}

export function countAdmins(db: Queryable, agencyId: string) {
  return db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.agency_id', '=', agencyId)
    .where('m.role', '=', 'admin')
    .where('u.disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
}

export async function replaceRoles(db: Queryable, userId: string, agencyId: string, roles: readonly string[], at: string) {
  await db.deleteFrom('membership').where('user_id', '=', userId).execute();
  if (roles.length) {
    await db
      .insertInto('membership')
      .values(roles.map((role) => ({ user_id: userId, agency_id: agencyId, role, created_at: at })))
      .execute();
  }
}
