import type { Policy } from '../../auth/policy.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';

export interface UserRecord {
  id: string;
  agencyId: string;
  platformAdmin: boolean;
}

const agencyAdminOf = (actor: Actor, user: UserRecord) => hasRole(actor, 'admin') && user.agencyId === actor.agencyId;
/** An agency administrator manages their own agency's accounts, but not the platform administrator's. */
const manages = (actor: Actor, user: UserRecord) => actor.platformAdmin || (agencyAdminOf(actor, user) && !user.platformAdmin);
const notSelf = (actor: Actor, user: UserRecord) => user.id !== actor.userId;

export const userPolicy: Policy<UserRecord> = {
  /** Creating: the record is the account-to-be, in the agency named. */
  'user.create': (actor, user) => actor.platformAdmin || (hasRole(actor, 'admin') && user.agencyId === actor.agencyId && !user.platformAdmin),
  'user.read': (actor, user) => actor.platformAdmin || user.id === actor.userId || agencyAdminOf(actor, user) || hasRole(actor, 'coordinator'),
  /** Profile fields (name, phone): the person themself or their administrator. */
  'user.update': (actor, user) => user.id === actor.userId || manages(actor, user),
  'user.changeRoles': (actor, user) => manages(actor, user),
  'user.disable': (actor, user) => manages(actor, user) && notSelf(actor, user),
  'user.unlock': (actor, user) => manages(actor, user),
  'user.resetMfa': (actor, user) => manages(actor, user) && notSelf(actor, user),
  'user.resetPassword': (actor, user) => manages(actor, user) && notSelf(actor, user),
};
