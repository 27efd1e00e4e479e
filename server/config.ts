import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_STATE, JurisdictionError, jurisdictionOf } from './lib/jurisdiction.ts';

/** The U.S. Census Bureau's one-line address geocoder (used only with LANTERN_GEOCODER=census). */
export const CENSUS_GEOCODER_URL = 'https://geocoding.geo.census.gov/geocoder/locations/onelineaddress?benchmark=Public_AR_Current&format=json';

/**
 * Configuration comes only from the environment and is checked once at start; each bad value is
 * reported by name with what was expected, and the process stops before touching any data.
 */
const schema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be a port number from 1 to 65535' })
    .max(65535, { message: 'must be a port number from 1 to 65535' })
    .default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LANTERN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL (leave it unset for the embedded SQLite database)' })
    .optional(),
  LANTERN_KEYS: z.string().optional(),
  LANTERN_INDEX_KEY: z.string().optional(),
  LANTERN_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? false : v === 'true' ? true : v)),
  LANTERN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LANTERN_PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://lantern.example.gov' })
    .refine((v) => !/[?#]/.test(v), { message: 'must be an address without a query or fragment, such as https://lantern.example.gov' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  LANTERN_RATE_LIMIT: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  LANTERN_CHECK_RESPONSES: z.enum(['on', 'off'], { message: 'must be on or off' }).default('off'),
  LANTERN_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  LANTERN_AUDIT_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 random bytes in base64' })
    .optional(),
  LANTERN_AUDIT_ANCHORS: z.string().min(1).optional(),
  LANTERN_STATE: z.string().default(DEFAULT_STATE),
  LANTERN_TIME_ZONE: z.string().optional(),
  LANTERN_GEOCODER: z.enum(['offline', 'census'], { message: 'must be offline or census' }).default('offline'),
  LANTERN_GEOCODER_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default(CENSUS_GEOCODER_URL),
  LANTERN_GEOCODER_TIMEOUT_MS: z.coerce.number().int().min(100, { message: 'must be at least 100 ms' }).max(30_000, { message: 'must be at most 30000 ms' }).default(2500),
  LANTERN_MAP_TILES: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/\S*$/, { message: 'must be an http(s) URL template such as https://tiles.example.gov/{z}/{x}/{y}.png' })
    .refine((v) => ['{z}', '{x}', '{y}'].every((p) => v.includes(p)), { message: 'must contain {z}, {x} and {y}, e.g. https://tiles.example.gov/{z}/{x}/{y}.png' })
    .optional(),
  LANTERN_MAP_TILES_ATTRIBUTION: z.string().max(200).optional(),
  LANTERN_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/?#]+/, { message: 'must be an smtp:// or smtps:// URL such as smtps://user:password@mail.example.gov:465' })
    .optional(),
  LANTERN_MAIL_FROM: z.string().regex(/^[^\r\n]*<?[^@\s<>]+@[^@\s<>]+>?$/, { message: 'must be an address such as "Lantern <lantern@example.gov>"' }).optional(),
});


export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  keys: string | undefined;
  indexKey: string | undefined;
  trustProxy: boolean | string;
  logLevel: z.infer<typeof schema>['LANTERN_LOG_LEVEL'];
  publicUrl: string | undefined;
  rateLimit: boolean;
  /** Every reply also written by zod's serializer and compared (server/lib/response-serializer.ts): tests. */
  checkResponses: boolean;
  dbPoolSize: number;
  /** The audit key's secret (base64); unset: the audit key file in the data directory. */
  auditKey: string | undefined;
  /** The file each audit checkpoint is also appended to, outside the database. */
  auditAnchors: string;
  /** The task force's state, as a postal code ("MO"), and its IANA time zone. */
  state: string;
  timeZone: string;
  /**
   * Where addresses are looked up: `offline` (the gazetteer of ZIP and place centroids that ships with
   * Lantern; nothing leaves the server) or `census` (the Census Bureau's geocoder, falling back to the
   * gazetteer when it cannot be reached within the timeout).
   */
  geocoder: { provider: 'offline' | 'census'; url: string; timeoutMs: number };
  /** A raster tile server's URL template ({z}/{x}/{y}) for the maps; none: the offline county map. */
  mapTiles: { url: string; attribution: string } | null;
  /** Email notification (issue #9): the SMTP server's URL and the sender; off when unset. */
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Lantern cannot start: its configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = schema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        // The SMTP URL may carry the mail account's password: it is never echoed.
        const shown = name === 'LANTERN_SMTP_URL' ? '(hidden)' : JSON.stringify(env[name] ?? '');
        return `${name}=${shown}: ${i.message}`;
      }),
    );
  }
  const c = parsed.data;
  if (c.LANTERN_KEYS && !c.LANTERN_INDEX_KEY) {
    throw new ConfigError(['LANTERN_INDEX_KEY: is required with LANTERN_KEYS (32 random bytes in base64; the same on every process, never rotated)']);
  }
  if (c.LANTERN_SMTP_URL && !c.LANTERN_MAIL_FROM) {
    throw new ConfigError(['LANTERN_MAIL_FROM: is required with LANTERN_SMTP_URL (the sender of notice emails, e.g. "Lantern <lantern@example.gov>")']);
  }
  let jurisdiction;
  try {
    jurisdiction = jurisdictionOf(c.LANTERN_STATE, c.LANTERN_TIME_ZONE);
  } catch (e) {
    if (e instanceof JurisdictionError) throw new ConfigError([e.message]);
    throw e;
  }
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.LANTERN_DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    keys: c.LANTERN_KEYS,
    indexKey: c.LANTERN_INDEX_KEY,
    trustProxy: c.LANTERN_TRUST_PROXY,
    logLevel: c.LANTERN_LOG_LEVEL,
    publicUrl: c.LANTERN_PUBLIC_URL,
    rateLimit: c.LANTERN_RATE_LIMIT === 'on',
    checkResponses: c.LANTERN_CHECK_RESPONSES === 'on',
    dbPoolSize: c.LANTERN_DB_POOL,
    auditKey: c.LANTERN_AUDIT_KEY,
    auditAnchors: path.resolve(c.LANTERN_AUDIT_ANCHORS ?? path.join(c.LANTERN_DATA_DIR, 'audit-anchors.jsonl')),
    state: jurisdiction.state.postal,
    timeZone: jurisdiction.timeZone,
    geocoder: { provider: c.LANTERN_GEOCODER, url: c.LANTERN_GEOCODER_URL, timeoutMs: c.LANTERN_GEOCODER_TIMEOUT_MS },
    mapTiles: c.LANTERN_MAP_TILES ? { url: c.LANTERN_MAP_TILES, attribution: c.LANTERN_MAP_TILES_ATTRIBUTION ?? '' } : null,
    smtpUrl: c.LANTERN_SMTP_URL,
    mailFrom: c.LANTERN_MAIL_FROM,
  };
}

/**
 * What `lantern start` needs beyond `loadConfig`: the public address. Links in the public feeds are
 * built from it, never from the request's Host or X-Forwarded-Host header, which anyone can set and a
 * cache in front would keep (issue #7, finding 8). scripts/demo.sh sets it to http://localhost:$PORT.
 */
export function requirePublicUrl(config: Config): void {
  if (!config.publicUrl) {
    throw new ConfigError([
      'LANTERN_PUBLIC_URL: is required to start the server: the address people use, e.g. https://lantern.example.gov (public links are built from it; scripts/demo.sh sets http://localhost:3000)',
    ]);
  }
}
