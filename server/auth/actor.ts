import type { AgencyKind, Role } from '../../common/roles.ts';
import type { AuditActor } from '../audit/audit.ts';

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
