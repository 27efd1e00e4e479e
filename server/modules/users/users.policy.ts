import { can, type Policy } from '../../auth/policy.ts';
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
  /**
   * DESIGN.md §3: no one changes their own roles, administrators included. An administrator's account
   * therefore gains a case role (or a case-role holder becomes an administrator) only by the hand of a
   * second administrator, so one compromised or curious admin cannot read case content by granting it.
   */
  'user.changeRoles': (actor, user) => manages(actor, user) && notSelf(actor, user),
  'user.disable': (actor, user) => manages(actor, user) && notSelf(actor, user),
  'user.unlock': (actor, user) => manages(actor, user),
  'user.resetMfa': (actor, user) => manages(actor, user) && notSelf(actor, user),
  'user.resetPassword': (actor, user) => manages(actor, user) && notSelf(actor, user),
};

export const OWN_ROLES_REFUSAL = 'You cannot change your own roles: another administrator must do it.';

/** Why a role change is refused (the 403's message), or null when `user.changeRoles` allows it. */
export function roleChangeRefusal(actor: Actor, user: UserRecord): string | null {
  if (!notSelf(actor, user)) return OWN_ROLES_REFUSAL;
  return can(actor, userPolicy, 'user.changeRoles', user) ? null : 'You are not allowed to change this person\'s roles.';
}
