/**
 * The path a request is about, as the router sees it or more: percent-decoded (an encoded `/` counts as
 * one), dot segments resolved, repeated slashes collapsed and lower-cased. Rules that depend on the path
 * (is this an API call?) decide on this form, never on the raw URL, so `/%61pi/me`, `//api/me` or
 * `/static/../api/me` cannot step around them. Lower-casing and treating `%2F` as a separator only ever
 * put more requests under a rule, never fewer. Null when the percent-encoding is broken.
 */
export function normalizedPath(url: string): string | null {
  const raw = url.split(/[?#]/, 1)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const segments: string[] = [];
  for (const segment of decoded.replaceAll('\\', '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && /[/\\]\.{0,2}$/.test(decoded) ? '/' : '';
  return `/${segments.join('/')}${trailing}`.toLowerCase();
}

/** Whether the API's rules (cross-site check, session, MFA gate, no-store) apply: undecodable paths included. */
export function isApiPath(url: string, routeUrl: string | undefined): boolean {
  if (routeUrl?.startsWith('/api/')) return true;
  // As sent, too: dot-segments (and encoded slashes) can resolve an /api/ URL to a path outside it, and
  // a caller of the API still gets the API's answer (a JSON 404), never a page.
  const sent = url.split(/[?#]/, 1)[0]!.toLowerCase();
  if (sent === '/api' || sent.startsWith('/api/')) return true;
  const path = normalizedPath(url);
  return path === null || path === '/api' || path.startsWith('/api/');
}
