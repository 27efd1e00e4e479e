import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytesFromPool } from './ids.ts';

/**
 * Field encryption at rest (DESIGN.md §5): AES-256-GCM, a fresh 96-bit IV per value, the key id stored
 * beside each value so keys can rotate without a flag day. The associated data binds a ciphertext to
 * its table, column and row, so a value copied into another row or column fails to decrypt.
 *
 * Stored form: `enc1.<keyId>.<iv b64url>.<ciphertext+tag b64url>`.
 */
const PREFIX = 'enc1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const TAG_BYTES = 16;

export interface Keyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
  /** Where the keys came from, for messages: `env` (LANTERN_KEYS) or the key file's path. */
  source: string;
  /**
   * Key of the blind indexes (keyed hashes of normalised identifiers such as phones and plates), which
   * let records be matched without storing the identifier in clear. Not rotated with the field keys.
   */
  indexKey?: Buffer;
  /**
   * Reads the keys again (key-file rings only): a running server meets a value sealed under a key that
   * `lantern keys rotate` added after it started, and picks the new key up instead of failing.
   */
  reload?: () => Keyring;
}

/** Brings a key-file ring up to date with the file, in place, when it lacks `keyId`. */
function refresh(ring: Keyring, keyId: string): Buffer | undefined {
  if (!ring.reload) return undefined;
  const fresh = ring.reload();
  const keys = ring.keys as Map<string, Buffer>;
  for (const [id, key] of fresh.keys) keys.set(id, key);
  ring.activeKeyId = fresh.activeKeyId;
  return keys.get(keyId);
}

export class KeyError extends Error {}

export function encryptField(ring: Keyring, plaintext: string, context: string): string {
  const key = ring.keys.get(ring.activeKeyId);
  if (!key) throw new KeyError(`active key ${ring.activeKeyId} is missing`);
  // From the pool: each byte is handed out once, so IVs are as unique as randomBytes makes them.
  const iv = randomBytesFromPool(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}.${ring.activeKeyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

export function keyIdOf(stored: string): string | null {
  const parts = stored.split('.');
  return parts.length === 4 && parts[0] === PREFIX ? parts[1]! : null;
}

export function decryptField(ring: Keyring, stored: string, context: string): string {
  const parts = stored.split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) throw new KeyError('value is not an encrypted field');
  const [, keyId, ivText, bodyText] = parts as [string, string, string, string];
  const key = ring.keys.get(keyId) ?? refresh(ring, keyId);
  if (!key) throw new KeyError(`key ${keyId} is not in the keyring (${ring.source})`);
  const body = Buffer.from(bodyText, 'base64url');
  // GCM accepts tags as short as 4 bytes unless told the length: a short tag is a forgery in 2^32 tries.
  if (body.length < TAG_BYTES) throw new KeyError('value is too short to carry its authentication tag');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** The context string that binds an encrypted value to where it lives. */
export const fieldContext = (table: string, column: string, rowId: string) => `${table}.${column}:${rowId}`;

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * `LANTERN_KEYS` is a comma-separated list of `id:base64key` (32-byte keys); the first one encrypts,
 * all of them decrypt.
 */
export function parseKeysEnv(value: string): Keyring {
  const keys = new Map<string, Buffer>();
  let active: string | undefined;
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    const keyId = colon > 0 ? entry.slice(0, colon) : '';
    const material = colon > 0 ? Buffer.from(entry.slice(colon + 1), 'base64') : Buffer.alloc(0);
    if (!KEY_ID.test(keyId)) throw new KeyError(`LANTERN_KEYS: "${keyId || entry.slice(0, 12)}" is not a key id (letters, digits, - and _, up to 32)`);
    if (material.length !== 32) throw new KeyError(`LANTERN_KEYS: key ${keyId} must be 32 bytes in base64 (got ${material.length})`);
    if (keys.has(keyId)) throw new KeyError(`LANTERN_KEYS: key ${keyId} appears twice`);
    keys.set(keyId, material);
    active ??= keyId;
  }
  if (!active) throw new KeyError('LANTERN_KEYS is set but holds no keys');
  return { activeKeyId: active, keys, source: 'LANTERN_KEYS' };
}

interface KeyFile {
  active: string;
  keys: Record<string, string>;
  index?: string;
}

/** A keyed hash of a normalised identifier: equal inputs match, the value itself is not recoverable. */
export function blindIndex(ring: Keyring, kind: string, normalized: string): string {
  if (!ring.indexKey) throw new KeyError('no blind-index key: set LANTERN_INDEX_KEY (or use the key file)');
  return createHmac('sha256', ring.indexKey).update(`${kind}\u0000${normalized}`).digest('hex');
}

export function parseIndexKey(value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new KeyError(`LANTERN_INDEX_KEY must be 32 bytes in base64 (got ${key.length})`);
  return key;
}

/** Reads the key file, creating it (mode 0600) with one new key on first start. */
export function loadOrCreateKeyFile(file: string): Keyring {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const keyId = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}a`;
    const content: KeyFile = { active: keyId, keys: { [keyId]: randomBytes(32).toString('base64') }, index: randomBytes(32).toString('base64') };
    // 'wx' refuses to overwrite a key file another process created a moment ago.
    try {
      fs.writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new KeyError(`key file ${file} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  } catch {
    throw new KeyError(`key file ${file} is not valid JSON`);
  }
  const keys = new Map<string, Buffer>();
  for (const [keyId, b64] of Object.entries(parsed.keys ?? {})) {
    const material = Buffer.from(b64, 'base64');
    if (!KEY_ID.test(keyId) || material.length !== 32) throw new KeyError(`key file ${file}: key ${keyId} is malformed`);
    keys.set(keyId, material);
  }
  if (!keys.has(parsed.active)) throw new KeyError(`key file ${file}: active key ${parsed.active} is missing`);
  if (!parsed.index) {
    // Key files from before blind indexes get their index key on the next start.
    parsed.index = randomBytes(32).toString('base64');
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(parsed, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  const indexKey = Buffer.from(parsed.index, 'base64');
  if (indexKey.length !== 32) throw new KeyError(`key file ${file}: the index key is malformed`);
  return { activeKeyId: parsed.active, keys, source: file, indexKey, reload: () => loadOrCreateKeyFile(file) };
}

/** Adds a new key to the key file and makes it the active one; returns the new ring. */
export function addKeyToFile(file: string, now = new Date()): Keyring {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  const base = `k${now.toISOString().slice(0, 10).replaceAll('-', '')}`;
  let suffix = 'a'.charCodeAt(0);
  while (parsed.keys[`${base}${String.fromCharCode(suffix)}`]) suffix++;
  const keyId = `${base}${String.fromCharCode(suffix)}`;
  parsed.keys[keyId] = randomBytes(32).toString('base64');
  parsed.active = keyId;
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(parsed, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return loadOrCreateKeyFile(file);
}
