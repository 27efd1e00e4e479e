import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import { createDatabase, type Database, type Dialect } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { DB } from './db/schema/index.ts';
import { AuditLog } from './audit/audit.ts';
import { fileAnchorSink } from './audit/audit-anchors.ts';
import { loadAuditKeys, type AuditKeys } from './audit/audit-keys.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { jurisdictionOf, type Jurisdiction } from './lib/jurisdiction.ts';
import { loadOrCreateKeyFile, parseIndexKey, parseKeysEnv, type Keyring } from './lib/crypto.ts';

/** Everything a service needs, wired once; passed first to every service function. No DI container. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  keyring: Keyring;
  audit: AuditLog;
  log: Logger;
  /** The task force's state, time zone, counties and map (LANTERN_STATE, LANTERN_TIME_ZONE). */
  jurisdiction: Jurisdiction;
}

export function keyFilePath(config: Config) {
  return path.join(config.dataDir, 'keys.json');
}

export function loadKeyring(config: Config): Keyring {
  if (!config.keys) return loadOrCreateKeyFile(keyFilePath(config));
  return { ...parseKeysEnv(config.keys), ...(config.indexKey ? { indexKey: parseIndexKey(config.indexKey) } : {}) };
}

/** Logs name what happened, never a record's field values: request bodies and secrets are redacted. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.body', 'body'],
      censor: '[redacted]',
    },
    serializers: {
      // Query strings can carry search terms (a name typed into a search box): log the path only.
      req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, path: req.url?.split('?')[0] }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

export async function createContext(
  config: Config,
  opts: { clock?: Clock; keyring?: Keyring; auditKeys?: AuditKeys; log?: Logger; migrate?: boolean } = {},
): Promise<AppContext> {
  const keyring = opts.keyring ?? loadKeyring(config);
  const auditKeys = opts.auditKeys ?? loadAuditKeys(config);
  const database = createDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: config.dbPoolSize });
  if (opts.migrate !== false) await migrateToLatest(database.db);
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config);
  // One audit chain per connection that can hold a transaction (SQLite has exactly one writer).
  const chains = database.dialect === 'sqlite' ? 1 : config.dbPoolSize;
  const audit = new AuditLog(database.db, database.dialect, clock, chains, auditKeys, fileAnchorSink(config.auditAnchors));
  const jurisdiction = jurisdictionOf(config.state, config.timeZone);
  return { config, database, db: database.db, dialect: database.dialect, clock, keyring, audit, log, jurisdiction };
}
