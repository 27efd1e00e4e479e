import type { AgencyKind, Role } from '../../common/roles.ts';
import type { AuditActor } from '../audit/audit.ts';
import type { Queryable } from '../db/database.ts';

/** Who is asking: resolved once per request from the session, then handed to every service call. */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  agencyId: string;
  agencyName: string;
  agencyKind: AgencyKind;
  roles: ReadonlySet<Role>;
  platformAdmin: boolean;
  /** Task forces the actor's agency belongs to. */
  taskForceIds: readonly string[];
  sessionId: string;
  mustChangePassword: boolean;
}

export const hasRole = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.has(r));

export const auditActor = (actor: Actor | null | undefined): AuditActor | null =>
  actor ? { userId: actor.userId, agencyId: actor.agencyId } : null;

/**
 * The actor of a user without a web session: the demo loader and the command line act as a named
 * person, through the same services and policies as a request would.
 */
export async function loadActor(db: Queryable, userId: string, sessionId = 'system'): Promise<Actor> {
  const user = await db
    .selectFrom('app_user as u')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.email', 'u.display_name', 'u.agency_id', 'u.is_platform_admin', 'u.must_change_password', 'a.name', 'a.kind'])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  const roles = await db.selectFrom('membership').select('role').where('user_id', '=', userId).execute();
  const taskForces = await db.selectFrom('task_force_member').select('task_force_id').where('agency_id', '=', user.agency_id).execute();
  return {
    userId: user.id,
    email: user.email,
    displayName: user.display_name,
    agencyId: user.agency_id,
    agencyName: user.name,
    agencyKind: user.kind as AgencyKind,
    roles: new Set(roles.map((r) => r.role as Role)),
    platformAdmin: user.is_platform_admin === 1,
    taskForceIds: taskForces.map((t) => t.task_force_id),
    sessionId,
    mustChangePassword: user.must_change_password === 1,
  };
}
