import type { MeDto } from '../api/types.ts';

export type NavKey =
  | 'home'
  | 'operations'
  | 'tipQueue'
  | 'businesses'
  | 'search'
  | 'pressReleases'
  | 'statistics'
  | 'referrals'
  | 'custody'
  | 'clients'
  | 'sharedWithUs'
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
    | '/home'
    | '/operations'
    | '/tip-queue'
    | '/businesses'
    | '/search'
    | '/press-releases'
    | '/statistics/releases'
    | '/referrals'
    | '/custody'
    | '/clients'
    | '/releases'
    | '/inbox'
    | '/admin/agencies'
    | '/admin/task-forces'
    | '/admin/users'
    | '/admin/audit'
    | '/admin/settings'
    | '/account';
}

type Who = Pick<MeDto, 'abilities' | 'taskForces'>;

/**
 * What the navigation offers comes from `me.abilities` (GET /api/me: the actor's side of the server's
 * grants), never from roles: the server keeps the rules, the web app only follows them.
 */
const can = (me: Who, action: string) => me.abilities[action] === true;

/** Operations: the task force's coordinators, analysts and PIOs, and officers (those assigned). */
export const seesOperations = (me: Who) => can(me, 'operation.read');
/** Works tips: the tip queue of their agency and tips shared with it (coordinators, analysts, officers). */
export const worksTips = (me: Who) => can(me, 'tip.read');
/** Works the business campaign (issue #11): its staff in a task force's police, prosecutors and federal partners. */
export const worksCampaign = (me: Who) => can(me, 'business.read');
/** Looks identifiers up (`/search`): whoever works the index's records — operations, tips, the campaign's businesses. */
export const searchesIdentifiers = (me: Who) => can(me, 'identifier.search');
/** Plans operations (a coordinator of a task-force member). */
export const plansOperations = (me: Who) => can(me, 'operation.create');
/** Records contacts in the field (an assigned officer or coordinator; the operation's abilities decide each). */
export const recordsContacts = (me: Who) => can(me, 'operation.recordContact');
/** Referrals are received by victim advocates; police see their own referrals' status on the operation. */
export const receivesReferrals = (me: Who) => can(me, 'referral.respond');
/** Custody hand-offs are received by child-welfare caseworkers. */
export const receivesHandOffs = (me: Who) => can(me, 'custody.receive');
/** Keeps hand-offs' statements (the owning agency's officers and coordinators). */
export const keepsHandOffs = (me: Who) => can(me, 'custody.update');
/** The advocates' compartment (issue #12): its agency's advocates and supervisors. */
export const worksClients = (me: Who) => can(me, 'client.read');
/**
 * Records shared under a client's release: any agency may be named by one; compartment staff share
 * rather than receive, so they are not offered the list.
 */
export const readsSharedReleases = (me: Who) => can(me, 'release.readShared') && !worksClients(me);
/** Press releases are written by public-information officers and approved with the lead agency's coordinator. */
export const writesPressReleases = (me: Who) => can(me, 'pressRelease.create');
/** Public statistics are published by public-information officers only (statistics.policy.ts). */
export const publishesStatistics = (me: Who) => can(me, 'statistics.publish');

/**
 * The primary navigation for one user: Home, Inbox and Account always; the work sections
 * (operations, press releases, statistics, referrals, hand-offs) and the administration sections only
 * when `me.abilities` (resource-level abilities from `GET /api/me`) allows it. Hiding is a courtesy,
 * not a control: the server answers 403 or 404 whatever the menu shows.
 */
export function navItems(me: Who): NavItem[] {
  const items: NavItem[] = [{ key: 'home', to: '/home' }];
  if (seesOperations(me)) items.push({ key: 'operations', to: '/operations' });
  if (worksTips(me)) items.push({ key: 'tipQueue', to: '/tip-queue' });
  if (worksCampaign(me)) items.push({ key: 'businesses', to: '/businesses' });
  if (searchesIdentifiers(me)) items.push({ key: 'search', to: '/search' });
  if (writesPressReleases(me)) items.push({ key: 'pressReleases', to: '/press-releases' });
  if (publishesStatistics(me)) items.push({ key: 'statistics', to: '/statistics/releases' });
  if (receivesReferrals(me)) items.push({ key: 'referrals', to: '/referrals' });
  if (receivesHandOffs(me)) items.push({ key: 'custody', to: '/custody' });
  if (worksClients(me)) items.push({ key: 'clients', to: '/clients' });
  if (readsSharedReleases(me)) items.push({ key: 'sharedWithUs', to: '/releases' });
  items.push({ key: 'inbox', to: '/inbox' });
  if (can(me, 'agency.create')) items.push({ key: 'agencies', to: '/admin/agencies' });
  if (can(me, 'taskForce.create') || me.taskForces.length > 0) items.push({ key: 'taskForces', to: '/admin/task-forces' });
  if (can(me, 'user.read')) items.push({ key: 'users', to: '/admin/users' });
  if (can(me, 'audit.read')) items.push({ key: 'audit', to: '/admin/audit' });
  if (can(me, 'settings.update')) items.push({ key: 'settings', to: '/admin/settings' });
  items.push({ key: 'account', to: '/account' });
  return items;
}
