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

/** The child-welfare and victim-services members of the shared task force, for pure tests. */
export const CHILD_WELFARE = 'agency-child-welfare';
export const ADVOCATES = 'agency-advocates';

/**
 * One named actor per seat at the shared task force's table — the lead agency, a partner agency of the
 * same task force (its coordinator, officer and analyst are the cross-agency cases every policy test
 * must refuse), the receiving child-welfare and victim-services agencies — and an outsider in another
 * task force. Stable user ids, so "the same person" can be expressed in a record.
 */
export const CAST = {
  platform: actor(['admin'], { platformAdmin: true, userId: 'u-platform' }),
  leadAdmin: actor(['admin'], { userId: 'u-lead-admin' }),
  leadCoordinator: actor(['coordinator'], { userId: 'u-lead-coordinator' }),
  leadOfficer: actor(['officer'], { userId: 'u-lead-officer' }),
  leadAnalyst: actor(['analyst'], { userId: 'u-lead-analyst' }),
  leadPio: actor(['pio'], { userId: 'u-lead-pio' }),
  partnerAdmin: actor(['admin'], { agencyId: AGENCY.partner, userId: 'u-partner-admin' }),
  partnerCoordinator: actor(['coordinator'], { agencyId: AGENCY.partner, userId: 'u-partner-coordinator' }),
  partnerOfficer: actor(['officer'], { agencyId: AGENCY.partner, userId: 'u-partner-officer' }),
  partnerAnalyst: actor(['analyst'], { agencyId: AGENCY.partner, userId: 'u-partner-analyst' }),
  partnerPio: actor(['pio'], { agencyId: AGENCY.partner, userId: 'u-partner-pio' }),
  caseworker: actor(['caseworker'], { agencyId: CHILD_WELFARE, agencyKind: 'child_welfare', userId: 'u-caseworker' }),
  advocate: actor(['advocate'], { agencyId: ADVOCATES, agencyKind: 'victim_services', userId: 'u-advocate' }),
  outsiderCoordinator: actor(['coordinator'], { agencyId: AGENCY.outsider, userId: 'u-outsider-coordinator' }),
  outsiderOfficer: actor(['officer'], { agencyId: AGENCY.outsider, userId: 'u-outsider-officer' }),
  outsiderPio: actor(['pio'], { agencyId: AGENCY.outsider, userId: 'u-outsider-pio' }),
} as const;
