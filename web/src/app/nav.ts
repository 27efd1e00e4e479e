import type { MeDto } from '../api/types.ts';

export type NavKey = 'home' | 'agencies' | 'taskForces' | 'users' | 'audit' | 'account';

export interface NavItem {
  key: NavKey;
  to: '/' | '/admin/agencies' | '/admin/task-forces' | '/admin/users' | '/admin/audit' | '/account';
}

/**
 * The primary navigation for one user: Home and Account always; the rest only when `me.abilities`
 * (resource-level abilities from `GET /api/me`) allows it. Hiding is a courtesy, not a control: the
 * server answers 403 or 404 whatever the menu shows.
 */
export function navItems(me: Pick<MeDto, 'abilities' | 'taskForces'>): NavItem[] {
  const can = (action: string) => me.abilities[action] === true;
  const items: NavItem[] = [{ key: 'home', to: '/' }];
  if (can('agency.create')) items.push({ key: 'agencies', to: '/admin/agencies' });
  if (can('taskForce.create') || me.taskForces.length > 0) items.push({ key: 'taskForces', to: '/admin/task-forces' });
  if (can('user.read')) items.push({ key: 'users', to: '/admin/users' });
  if (can('audit.read')) items.push({ key: 'audit', to: '/admin/audit' });
  items.push({ key: 'account', to: '/account' });
  return items;
}
