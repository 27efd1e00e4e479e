/**
 * How `npm run demo` (`lantern demo --start`) runs Lantern, apart from `lantern start` in production:
 * the demo's passwords are published in its accounts file, so it listens on this machine only unless
 * HOST says otherwise, and its console shows a short banner and nothing below a warning.
 */

/** Loopback: the demo is for the person at this machine. */
export const DEMO_HOST = '127.0.0.1';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The host part of a URL for `host` (IPv6 in brackets; every interface shown as loopback). */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return DEMO_HOST;
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The environment the demo's server starts with: what the operator set wins; otherwise HOST=127.0.0.1,
 * LANTERN_LOG_LEVEL=warn (no line per request) and LANTERN_PUBLIC_URL on that host and PORT.
 */
export function demoEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const set = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const host = set('HOST') ?? DEMO_HOST;
  const port = set('PORT') ?? '3000';
  return {
    ...env,
    HOST: host,
    LANTERN_LOG_LEVEL: set('LANTERN_LOG_LEVEL') ?? 'warn',
    LANTERN_PUBLIC_URL: set('LANTERN_PUBLIC_URL') ?? `http://${urlHost(host)}:${port}`,
  };
}

export const isLoopback = (host: string) => LOOPBACK.has(host) || host.startsWith('127.');

/** The demo's start banner: where it is, where the accounts are, who can reach it, how to stop it. */
export function demoBanner(o: { url: string; host: string; accountsFile: string }): string {
  const reach = isLoopback(o.host)
    ? `Only this machine can reach it (${o.host}); set HOST to listen elsewhere.`
    : `It listens on ${o.host}: anyone who can reach this machine can sign in with the published demo passwords.`;
  return [
    '',
    `Lantern demo: ${o.url}`,
    `Demo accounts (passwords and authenticator secrets): ${o.accountsFile}`,
    reach,
    'Stop it with Ctrl+C.',
    '',
  ].join('\n');
}
