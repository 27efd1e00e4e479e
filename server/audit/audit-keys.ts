import { createHash, createHmac, createPrivateKey, createPublicKey, createSecretKey, hkdfSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeyError } from '../lib/crypto.ts';

/**
 * The audit log's keys (DESIGN.md §5: "hash-chained under a key that is not in the database, with
 * signed checkpoints"). One 32-byte secret, kept outside the database, yields both:
 * - an HMAC-SHA-256 key that links every row and checkpoint: without it, a rewritten row cannot be
 *   given a hash that verifies;
 * - an Ed25519 key pair that signs each checkpoint, so the anchors written outside the database can be
 *   checked with the public key alone, and lines added to an anchors file by someone without the secret
 *   are refused.
 * Every Lantern process writes and checkpoints, so every process holds the secret; the signing key is
 * derived from it rather than stored apart, as keeping it apart would protect nothing more.
 */
export interface AuditKeys {
  /** Names the key without revealing it: the first 16 hex digits of the public key's SHA-256. */
  keyId: string;
  /** Where the secret came from, for messages: `LANTERN_AUDIT_KEY` or the key file's path. */
  source: string;
  /** HMAC-SHA-256 of `data` under the audit key, in hex. */
  mac(data: string): string;
  /** Ed25519 signature of `data`, base64url. */
  sign(data: string): string;
  /** Checks a signature with the public key. */
  verifySignature(data: string, signature: string): boolean;
  /** The public key, SPKI DER in base64, which is all a third party needs to check the anchors' signatures. */
  publicKey: string;
}

/** PKCS #8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): a fixed header, then the seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Derives the audit keys from the 32-byte secret. */
export function deriveAuditKeys(secret: Buffer, source: string): AuditKeys {
  if (secret.length !== 32) throw new KeyError(`${source}: the audit key must be 32 bytes in base64 (got ${secret.length})`);
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `lantern-audit:${purpose}`, 32));
  const macKey: KeyObject = createSecretKey(derive('hmac-sha256'));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, derive('ed25519')]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    keyId: createHash('sha256').update(spki).digest('hex').slice(0, 16),
    source,
    mac: (data) => createHmac('sha256', macKey).update(data).digest('hex'),
    sign: (data) => sign(null, Buffer.from(data, 'utf8'), privateKey).toString('base64url'),
    verifySignature: (data, signature) => {
      const bytes = Buffer.from(signature, 'base64url');
      return bytes.length === 64 && verify(null, Buffer.from(data, 'utf8'), publicKey, bytes);
    },
    publicKey: spki.toString('base64'),
  };
}

export function parseAuditKeyEnv(value: string): AuditKeys {
  return deriveAuditKeys(Buffer.from(value, 'base64'), 'LANTERN_AUDIT_KEY');
}

export function auditKeyFilePath(dataDir: string) {
  return path.join(dataDir, 'audit-key.json');
}

/**
 * Reads the audit key file, creating it (mode 0600) with a new secret on first start, as the field
 * key file is. A file of its own, so it can be kept, backed up and handed to an auditor apart from
 * the field keys, and created without racing another process that rewrites keys.json.
 */
export function loadOrCreateAuditKeyFile(file: string): AuditKeys {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx': a process starting at the same moment keeps the key the first one wrote.
      fs.writeFileSync(file, JSON.stringify({ key: randomBytes(32).toString('base64') }, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new KeyError(`audit key file ${file} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
  let parsed: { key?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: unknown };
  } catch {
    throw new KeyError(`audit key file ${file} is not valid JSON`);
  }
  if (typeof parsed.key !== 'string') throw new KeyError(`audit key file ${file} holds no "key"`);
  return deriveAuditKeys(Buffer.from(parsed.key, 'base64'), file);
}

/** `LANTERN_AUDIT_KEY` when set, otherwise the key file in the data directory. */
export function loadAuditKeys(config: { auditKey: string | undefined; dataDir: string }): AuditKeys {
  return config.auditKey ? parseAuditKeyEnv(config.auditKey) : loadOrCreateAuditKeyFile(auditKeyFilePath(config.dataDir));
}
