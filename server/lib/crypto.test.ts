import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addKeyToFile, decryptField, encryptField, fieldContext, KeyError, keyIdOf, loadOrCreateKeyFile, parseKeysEnv, type Keyring } from './crypto.ts';

const ring = (active: string, ...ids: string[]): Keyring => ({
  activeKeyId: active,
  keys: new Map([active, ...ids].map((id) => [id, randomBytes(32)])),
  source: 'test',
});
const context = fieldContext('app_user', 'phone', 'row-1');

describe('field encryption', () => {
  const keys = ring('k1');

  it('round-trips text, unicode included, and never stores it in clear', () => {
    for (const value of ['+1 816 555 0142', 'Ana María Núñez 🌻', '']) {
      const sealed = encryptField(keys, value, context);
      expect(sealed).not.toContain(value || '\u0000');
      expect(decryptField(keys, sealed, context)).toBe(value);
    }
  });

  it('uses a fresh IV each time: the same value seals differently', () => {
    expect(encryptField(keys, 'same', context)).not.toBe(encryptField(keys, 'same', context));
  });

  it('records the key id in the stored form', () => {
    const sealed = encryptField(keys, 'x', context);
    expect(sealed.startsWith('enc1.k1.')).toBe(true);
    expect(sealed.split('.')).toHaveLength(4);
    expect(keyIdOf(sealed)).toBe('k1');
    expect(keyIdOf('plain text')).toBeNull();
  });

  it('refuses a value moved to another row, column or table', () => {
    const sealed = encryptField(keys, 'secret', context);
    for (const other of [fieldContext('app_user', 'phone', 'row-2'), fieldContext('app_user', 'totp_secret', 'row-1'), fieldContext('contact', 'phone', 'row-1')]) {
      expect(() => decryptField(keys, sealed, other)).toThrow();
    }
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const sealed = encryptField(keys, 'a value worth protecting', context);
    const [prefix, id, iv, body] = sealed.split('.') as [string, string, string, string];
    const flip = (b64: string, at: number) => {
      const buf = Buffer.from(b64, 'base64url');
      buf[at] = buf[at]! ^ 0x01;
      return buf.toString('base64url');
    };
    const bodyLength = Buffer.from(body, 'base64url').length;
    for (const forged of [
      [prefix, id, iv, flip(body, 0)],
      [prefix, id, iv, flip(body, bodyLength - 1)],
      [prefix, id, flip(iv, 3), body],
      [prefix, id, iv, Buffer.from(body, 'base64url').subarray(0, bodyLength - 1).toString('base64url')],
    ]) {
      expect(() => decryptField(keys, forged.join('.'), context)).toThrow();
    }
  });

  it('refuses a truncated authentication tag (GCM accepts short tags unless the length is pinned)', () => {
    // An empty value seals to the 16-byte tag alone; its first 4 bytes are the 32-bit tag GCM would
    // compute for it, so a decipher that accepts short tags takes a forgery found in 2^32 tries.
    const [prefix, id, iv, body] = encryptField(keys, '', context).split('.') as [string, string, string, string];
    const tag = Buffer.from(body, 'base64url');
    expect(tag).toHaveLength(16);
    for (const length of [4, 8, 12, 15]) {
      const forged = [prefix, id, iv, tag.subarray(0, length).toString('base64url')].join('.');
      expect(() => decryptField(keys, forged, context)).toThrow(KeyError);
    }
    expect(decryptField(keys, [prefix, id, iv, body].join('.'), context)).toBe('');
  });

  it('names a key that is not in the keyring, and refuses a value that is not sealed', () => {
    const sealed = encryptField(ring('old'), 'x', context);
    expect(() => decryptField(keys, sealed, context)).toThrow(KeyError);
    expect(() => decryptField(keys, sealed, context)).toThrow(/key old is not in the keyring/);
    expect(() => decryptField(keys, 'just text', context)).toThrow(/not an encrypted field/);
  });

  it('decrypts values under any key of the ring but encrypts under the active one', () => {
    const old = ring('old');
    const sealedOld = encryptField(old, 'kept', context);
    const rotated: Keyring = { activeKeyId: 'new', keys: new Map([['new', randomBytes(32)], ['old', old.keys.get('old')!]]), source: 'test' };
    expect(decryptField(rotated, sealedOld, context)).toBe('kept');
    expect(keyIdOf(encryptField(rotated, 'kept', context))).toBe('new');
  });
});

describe('LANTERN_KEYS', () => {
  const b64 = (n = 32) => randomBytes(n).toString('base64');

  it('takes the first key as active and keeps the rest for decryption', () => {
    const r = parseKeysEnv(` k2:${b64()} , k1:${b64()} `);
    expect(r.activeKeyId).toBe('k2');
    expect([...r.keys.keys()]).toEqual(['k2', 'k1']);
    expect(r.source).toBe('LANTERN_KEYS');
  });

  it.each([
    ['a key of the wrong length', `k1:${b64(16)}`, /key k1 must be 32 bytes in base64 \(got 16\)/],
    ['a key without an id', b64(), /is not a key id/],
    ['an id with bad characters', `bad.id:${b64()}`, /"bad\.id" is not a key id/],
    ['the same id twice', `k1:${b64()},k1:${b64()}`, /key k1 appears twice/],
    ['nothing but commas', ' , ,', /holds no keys/],
  ])('refuses %s, naming LANTERN_KEYS and the problem', (_name, value, message) => {
    expect(() => parseKeysEnv(value)).toThrow(KeyError);
    expect(() => parseKeysEnv(value)).toThrow(/LANTERN_KEYS/);
    expect(() => parseKeysEnv(value)).toThrow(message);
  });
});

describe('key file', () => {
  const dirs: string[] = [];
  const tempFile = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-keys-'));
    dirs.push(dir);
    return path.join(dir, 'nested', 'keys.json');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('is created on first use with mode 0600 and one 32-byte key, then read back the same', () => {
    const file = tempFile();
    const first = loadOrCreateKeyFile(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.keys.get(first.activeKeyId)).toHaveLength(32);
    expect(first.source).toBe(file);
    const again = loadOrCreateKeyFile(file);
    expect(again.activeKeyId).toBe(first.activeKeyId);
    expect(again.keys.get(again.activeKeyId)!.equals(first.keys.get(first.activeKeyId)!)).toBe(true);
  });

  it.each([0o640, 0o604, 0o644])('is refused when its mode is %o, with advice to chmod', (mode) => {
    const file = tempFile();
    loadOrCreateKeyFile(file);
    fs.chmodSync(file, mode);
    expect(() => loadOrCreateKeyFile(file)).toThrow(KeyError);
    expect(() => loadOrCreateKeyFile(file)).toThrow(/readable by others.*chmod 600/);
  });

  it('names the file and the problem when it is malformed', () => {
    const file = tempFile();
    loadOrCreateKeyFile(file);
    fs.writeFileSync(file, '{ not json');
    expect(() => loadOrCreateKeyFile(file)).toThrow(/not valid JSON/);
    fs.writeFileSync(file, JSON.stringify({ active: 'k9', keys: { k1: b64short() } }));
    expect(() => loadOrCreateKeyFile(file)).toThrow(/key k1 is malformed/);
    fs.writeFileSync(file, JSON.stringify({ active: 'k9', keys: { k1: randomBytes(32).toString('base64') } }));
    expect(() => loadOrCreateKeyFile(file)).toThrow(/active key k9 is missing/);
  });

  it('adds a new active key, keeps the old one, and stays 0600', () => {
    const file = tempFile();
    const first = loadOrCreateKeyFile(file);
    const sealed = encryptField(first, 'still readable', context);
    const second = addKeyToFile(file, new Date('2030-05-06T00:00:00Z'));
    const third = addKeyToFile(file, new Date('2030-05-06T00:00:00Z'));
    expect(second.activeKeyId).toBe('k20300506a');
    expect(third.activeKeyId).toBe('k20300506b');
    expect(third.keys.size).toBe(3);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(decryptField(third, sealed, context)).toBe('still readable');
  });
});

function b64short() {
  return randomBytes(8).toString('base64');
}
