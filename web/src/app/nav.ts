import type { MeDto } from '../api/types.ts';

export type NavKey =
  | 'home'
  | 'operations'
  | 'pressReleases'
  | 'statistics'
  | 'referrals'
  | 'custody'
  | 'inbox'
  | 'agencies'
  | 'taskForces'
  | 'users'
  | 'audit'
  | 'settings'
  | 'account';

export interface NavItem {
  key: NavKey;
  to:
    | '/'
    | '/operations'
    | '/press-releases'
    | '/statistics/releases'
    | '/referrals'
    | '/custody'
    | '/inbox'
    | '/admin/agencies'
    | '/admin/task-forces'
    | '/admin/users'
    | '/admin/audit'
    | '/admin/settings'
    | '/account';
}

type Who = Pick<MeDto, 'abilities' | 'taskForces'> & { user: Pick<MeDto['user'], 'roles'> & Partial<Pick<MeDto['user'], 'platformAdmin'>> };

/** Roles that see operations: the task force's coordinators, analysts and PIOs, and officers (those assigned). */
const OPERATION_ROLES = ['coordinator', 'officer', 'analyst', 'pio'] as const;

export const seesOperations = (me: Who) => me.abilities['operation.read'] === true || me.user.roles.some((r) => (OPERATION_ROLES as readonly string[]).includes(r));
/** Referrals are received by victim advocates; police see their own referrals' status on the operation. */
export const receivesReferrals = (me: Who) => me.user.roles.includes('advocate');
/** Custody hand-offs are received by child-welfare caseworkers. */
export const receivesHandOffs = (me: Who) => me.user.roles.includes('caseworker');
/** Press releases are written by public-information officers and approved with the lead agency's coordinator. */
export const writesPressReleases = (me: Who) => me.user.roles.includes('pio') || me.user.roles.includes('coordinator');
/** Public statistics are published by public-information officers only (statistics.policy.ts). */
export const publishesStatistics = (me: Who) => me.user.roles.includes('pio');

/**
 * The primary navigation for one user: Home, Inbox and Account always; the work sections by role
 * (operations, press releases, statistics, referrals, hand-offs); the administration sections only
 * when `me.abilities` (resource-level abilities from `GET /api/me`) allows it, and Settings for
 * platform administrators. Hiding is a courtesy, not a control: the
 * server answers 403 or 404 whatever the menu shows.
 */
export function navItems(me: Who): NavItem[] {
  const can = (action: string) => me.abilities[action] === true;
  const items: NavItem[] = [{ key: 'home', to: '/' }];
  if (seesOperations(me)) items.push({ key: 'operations', to: '/operations' });
  if (writesPressReleases(me)) items.push({ key: 'pressReleases', to: '/press-releases' });
  if (publishesStatistics(me)) items.push({ key: 'statistics', to: '/statistics/releases' });
  if (receivesReferrals(me)) items.push({ key: 'referrals', to: '/referrals' });
  if (receivesHandOffs(me)) items.push({ key: 'custody', to: '/custody' });
  items.push({ key: 'inbox', to: '/inbox' });
  if (can('agency.create')) items.push({ key: 'agencies', to: '/admin/agencies' });
  if (can('taskForce.create') || me.taskForces.length > 0) items.push({ key: 'taskForces', to: '/admin/task-forces' });
  if (can('user.read')) items.push({ key: 'users', to: '/admin/users' });
  if (can('audit.read')) items.push({ key: 'audit', to: '/admin/audit' });
  if (me.user.platformAdmin === true) items.push({ key: 'settings', to: '/admin/settings' });
  items.push({ key: 'account', to: '/account' });
  return items;
}
