import type { AgencyKind, Role } from '../../common/roles.ts';
import type { Actor } from '../auth/actor.ts';

/** Fixed ids for pure policy tests: no database, so any stable strings will do. */
export const AGENCY = { lead: 'agency-lead', partner: 'agency-partner', outsider: 'agency-outsider' } as const;
export const TASK_FORCE = { shared: 'tf-shared', other: 'tf-other' } as const;

/** An Actor built by hand, as `lookupSession` would resolve it; by default a lead-agency officer. */
export function actor(
  roles: Role[],
  opts: { agencyId?: string; agencyKind?: AgencyKind; platformAdmin?: boolean; taskForceIds?: string[]; userId?: string } = {},
): Actor {
  const agencyId = opts.agencyId ?? AGENCY.lead;
  return {
    userId: opts.userId ?? `user-${roles.join('-') || 'none'}-${agencyId}`,
    email: 'someone@example.test',
    displayName: 'Someone',
    agencyId,
    agencyName: agencyId,
    agencyKind: opts.agencyKind ?? 'law_enforcement',
    roles: new Set(roles),
    platformAdmin: opts.platformAdmin ?? false,
    taskForceIds: opts.taskForceIds ?? (agencyId === AGENCY.outsider ? [TASK_FORCE.other] : [TASK_FORCE.shared]),
    sessionId: 'session',
    mustChangePassword: false,
  };
}
