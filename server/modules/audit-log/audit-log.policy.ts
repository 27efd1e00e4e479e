import type { Policy } from '../../auth/policy.ts';
import { hasRole } from '../../auth/actor.ts';

/** Administrators review the log: their agency's people and their agency's records (CJIS 5.4 AU). */
export const auditLogPolicy: Policy<null> = {
  'audit.read': (actor) => actor.platformAdmin || hasRole(actor, 'admin'),
  'audit.export': (actor) => actor.platformAdmin || hasRole(actor, 'admin'),
};
