import type { MeDto } from '../api/types.ts';

export type NavKey = 'home' | 'operations' | 'referrals' | 'custody' | 'inbox' | 'agencies' | 'taskForces' | 'users' | 'audit' | 'account';

export interface NavItem {
  key: NavKey;
  to:
    | '/'
    | '/operations'
    | '/referrals'
    | '/custody'
    | '/inbox'
    | '/admin/agencies'
    | '/admin/task-forces'
    | '/admin/users'
    | '/admin/audit'
    | '/account';
}

type Who = Pick<MeDto, 'abilities' | 'taskForces'> & { user: Pick<MeDto['user'], 'roles'> };

/** Roles that see operations: the task force's coordinators, analysts and PIOs, and officers (those assigned). */
const OPERATION_ROLES = ['coordinator', 'officer', 'analyst', 'pio'] as const;

export const seesOperations = (me: Who) => me.abilities['operation.read'] === true || me.user.roles.some((r) => (OPERATION_ROLES as readonly string[]).includes(r));
/** Referrals are received by victim advocates; police see their own referrals' status on the operation. */
export const receivesReferrals = (me: Who) => me.user.roles.includes('advocate');
/** Custody hand-offs are received by child-welfare caseworkers. */
export const receivesHandOffs = (me: Who) => me.user.roles.includes('caseworker');

/**
 * The primary navigation for one user: Home, Inbox and Account always; the work sections by role
 * (operations, referrals, hand-offs); the administration sections only when `me.abilities`
 * (resource-level abilities from `GET /api/me`) allows it. Hiding is a courtesy, not a control: the
 * server answers 403 or 404 whatever the menu shows.
 */
export function navItems(me: Who): NavItem[] {
  const can = (action: string) => me.abilities[action] === true;
  const items: NavItem[] = [{ key: 'home', to: '/' }];
  if (seesOperations(me)) items.push({ key: 'operations', to: '/operations' });
  if (receivesReferrals(me)) items.push({ key: 'referrals', to: '/referrals' });
  if (receivesHandOffs(me)) items.push({ key: 'custody', to: '/custody' });
  items.push({ key: 'inbox', to: '/inbox' });
  if (can('agency.create')) items.push({ key: 'agencies', to: '/admin/agencies' });
  if (can('taskForce.create') || me.taskForces.length > 0) items.push({ key: 'taskForces', to: '/admin/task-forces' });
  if (can('user.read')) items.push({ key: 'users', to: '/admin/users' });
  if (can('audit.read')) items.push({ key: 'audit', to: '/admin/audit' });
  items.push({ key: 'account', to: '/account' });
  return items;
}
