import type { Policy } from '../../auth/policy.ts';
import { hasRole } from '../../auth/actor.ts';
import type { AgencyRow } from '../../db/schema/index.ts';

/** Agencies are created by the platform administrator; an agency's own administrator keeps its details. */
export const agencyPolicy: Policy<AgencyRow | null> = {
  'agency.create': (actor) => actor.platformAdmin,
  'agency.read': () => true,
  'agency.update': (actor, agency) => actor.platformAdmin || (agency !== null && hasRole(actor, 'admin') && agency.id === actor.agencyId),
};
