import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { KeyError } from '../lib/crypto.ts';
import { auditKeyFilePath, deriveAuditKeys, loadAuditKeys, loadOrCreateAuditKeyFile } from './audit-keys.ts';
import { fileAnchorSink, readAnchors, type Anchor } from './audit-anchors.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-audit-keys-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('audit keys', () => {
  it('derive the same MAC and signing key from the same secret, and different ones from another', () => {
    const secret = randomBytes(32);
    const a = deriveAuditKeys(secret, 'a');
    const b = deriveAuditKeys(Buffer.from(secret), 'b');
    const other = deriveAuditKeys(randomBytes(32), 'other');
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(a.keyId).toBe(b.keyId);
    expect(a.mac('x')).toBe(b.mac('x'));
    expect(a.mac('x')).toMatch(/^[0-9a-f]{64}$/);
    expect(other.mac('x')).not.toBe(a.mac('x'));
    expect(other.keyId).not.toBe(a.keyId);
    const sig = a.sign('checkpoint');
    expect(b.verifySignature('checkpoint', sig)).toBe(true);
    expect(b.verifySignature('checkpoint!', sig)).toBe(false);
    expect(other.verifySignature('checkpoint', sig)).toBe(false);
    expect(a.verifySignature('checkpoint', 'short')).toBe(false);
    // The MAC key is not the secret itself, and the public key is an Ed25519 SPKI.
    expect(a.mac('x')).not.toBe(deriveAuditKeys(randomBytes(32), 'c').mac('x'));
    expect(Buffer.from(a.publicKey, 'base64')).toHaveLength(44);
  });

  it('refuse a secret that is not 32 bytes', () => {
    expect(() => deriveAuditKeys(randomBytes(16), 'LANTERN_AUDIT_KEY')).toThrow(KeyError);
    expect(problemOf({ LANTERN_AUDIT_KEY: randomBytes(16).toString('base64') })).toMatch(/LANTERN_AUDIT_KEY=.*: must be 32 random bytes in base64/);
  });

  it('come from LANTERN_AUDIT_KEY when set, and from a 0600 key file made once otherwise', () => {
    const secret = randomBytes(32).toString('base64');
    const dataDir = path.join(root, 'env');
    const fromEnv = loadAuditKeys(loadConfig({ LANTERN_DATA_DIR: dataDir, LANTERN_AUDIT_KEY: secret }));
    expect(fromEnv).toMatchObject({ source: 'LANTERN_AUDIT_KEY', keyId: deriveAuditKeys(Buffer.from(secret, 'base64'), 'x').keyId });
    expect(fs.existsSync(auditKeyFilePath(dataDir))).toBe(false);

    const fileDir = path.join(root, 'file');
    const first = loadAuditKeys(loadConfig({ LANTERN_DATA_DIR: fileDir }));
    const file = auditKeyFilePath(fileDir);
    expect(first.source).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateAuditKeyFile(file).keyId).toBe(first.keyId);
    fs.chmodSync(file, 0o644);
    expect(() => loadOrCreateAuditKeyFile(file)).toThrow(/readable by others/);
  });

  it('anchors default to the data directory, or the file LANTERN_AUDIT_ANCHORS names', () => {
    expect(loadConfig({ LANTERN_DATA_DIR: '/var/lib/lantern' }).auditAnchors).toBe('/var/lib/lantern/audit-anchors.jsonl');
    expect(loadConfig({ LANTERN_AUDIT_ANCHORS: '/mnt/worm/lantern.jsonl' }).auditAnchors).toBe('/mnt/worm/lantern.jsonl');
  });
});

describe('the anchors file', () => {
  const anchor = (seq: number): Anchor => ({ seq, id: `id${seq}`, at: '2026-12-04T00:00:00.000Z', prev_hash: 'p', hash: 'h', key_id: 'k', signature: 's' });

  it('is created 0600, appended a line at a time, and a line cut short by a crash stays on its own', () => {
    const file = path.join(root, 'anchors', 'a.jsonl');
    const sink = fileAnchorSink(file);
    sink.append(anchor(1));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.appendFileSync(file, '{"seq":2,"id":"id2"');
    sink.append(anchor(3));
    const read = readAnchors([file]);
    expect(read.anchors.map((a) => [a.seq, a.line])).toEqual([
      [1, 1],
      [3, 3],
    ]);
    expect(read.malformed).toEqual([{ file, line: 2 }]);
  });
});

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
