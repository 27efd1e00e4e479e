/**
 * Where the staff web app lives (issue #9, item 12). The public site owns `/` and every other page
 * path; these sections (and everything under them) are the web app's, which the server answers with
 * the app shell so its own router can draw them. A path outside both is a public 404 in the reader's
 * language. web/src/app/router.tsx declares no page outside these (server/modules/public-pages.test.ts).
 */
export const STAFF_SECTIONS = [
  'home',
  'sign-in',
  'account',
  'admin',
  'operations',
  'contacts',
  'referrals',
  'custody',
  'inbox',
  'press-releases',
  'statistics/releases',
  'tip-queue',
  'businesses',
  'landlords',
  'clients',
  'releases',
  'search',
] as const;

/** Where a signed-in user lands (sign-in's default destination, the app's "Home"). */
export const STAFF_HOME = '/home';

/** True for a path the staff web app draws. */
export function isStaffPath(pathname: string): boolean {
  const p = pathname.replace(/^\/+/, '').replace(/\/+$/, '');
  return STAFF_SECTIONS.some((s) => p === s || p.startsWith(`${s}/`));
}
