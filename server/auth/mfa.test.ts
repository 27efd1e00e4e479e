import { describe, expect, it } from 'vitest';
import { encodeBase32NoPadding } from '@oslojs/encoding';
import { createHash, randomBytes } from 'node:crypto';
import type { Keyring } from '../lib/crypto.ts';
import { matchTotp, newRecoveryCodes, RECOVERY_CODE_BITS, recoveryCodeHash, recoveryCodeLookups, newTotpSecret, totpCode, totpUri } from './mfa.ts';

/** RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SECRET = encodeBase32NoPadding(new TextEncoder().encode('12345678901234567890'));
const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP', () => {
  // The RFC lists 8-digit codes; a 6-digit code is the same number modulo 10^6, i.e. its last six digits.
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC 6238 SHA-1 test vector at T=%i', (seconds, eightDigits) => {
    expect(totpCode(RFC_SECRET, at(seconds))).toBe(eightDigits.slice(-6));
  });

  it('accepts the current step and one step either side, not two', () => {
    const now = at(1_800_000_015);
    const step = Math.floor(1_800_000_015 / 30);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, now), now, null)).toBe(step);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(1_800_000_015 - 30)), now, null)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(1_800_000_015 + 30)), now, null)).toBe(step + 1);
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(1_800_000_015 - 60)), now, null)).toBeNull();
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(1_800_000_015 + 60)), now, null)).toBeNull();
  });

  it('refuses a code of the last accepted step or an earlier one (replay)', () => {
    const now = at(1_800_000_015);
    const step = Math.floor(1_800_000_015 / 30);
    const code = totpCode(RFC_SECRET, now);
    expect(matchTotp(RFC_SECRET, code, now, step)).toBeNull();
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(1_800_000_015 - 30)), now, step - 1)).toBeNull();
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(1_800_000_015 - 30)), now, step)).toBeNull();
    // A later code is still good after an earlier one was used.
    expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, at(1_800_000_015 + 30)), now, step)).toBe(step + 1);
  });

  it('refuses anything but six digits, and another secret\'s code', () => {
    const now = at(1_800_000_015);
    const code = totpCode(RFC_SECRET, now);
    for (const bad of ['', '12345', '1234567', 'abcdef', ` ${code.slice(1)}`]) expect(matchTotp(RFC_SECRET, bad, now, null)).toBeNull();
    const other = encodeBase32NoPadding(new TextEncoder().encode('abcdefghijabcdefghij'));
    expect(matchTotp(other, code, now, null)).toBeNull();
  });

  it('makes 160-bit base32 secrets and an otpauth URI authenticator apps read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'officer@example.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Lantern');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});

describe('recovery codes', () => {
  const testKeyring = (): Keyring => ({ activeKeyId: 'test1', keys: new Map([['test1', randomBytes(32)]]), source: 'test', indexKey: randomBytes(32) });
  const ring = testKeyring();
  const user = '01a241a2-9ea7-707d-bc2e-f5d637297d16';

  it('are ten distinct codes of at least 80 random bits, in groups of four base32 characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(RECOVERY_CODE_BITS).toBeGreaterThanOrEqual(80);
    for (const c of codes) {
      expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
      expect(c.replaceAll('-', '').length * 5).toBeGreaterThanOrEqual(RECOVERY_CODE_BITS);
    }
    // Every character position takes many values: the bits are random, not padding.
    const all = Array.from({ length: 20 }, () => newRecoveryCodes()).flat();
    for (let i = 0; i < 16; i++) expect(new Set(all.map((c) => c.replaceAll('-', '')[i])).size).toBeGreaterThan(8);
  });

  it('are stored keyed and bound to their user: not a plain hash, not the same under another key or user', () => {
    const c = newRecoveryCodes()[0]!;
    const stored = recoveryCodeHash(ring, user, c);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toBe(createHash('sha256').update(c.replaceAll('-', '')).digest('hex'));
    expect(stored).not.toBe(createHash('sha256').update(c).digest('hex'));
    expect(recoveryCodeHash(testKeyring(), user, c)).not.toBe(stored);
    expect(recoveryCodeHash(ring, 'another-user', c)).not.toBe(stored);
    expect(recoveryCodeHash(ring, user, c.toUpperCase())).toBe(stored);
    expect(recoveryCodeHash(ring, user, c.replaceAll('-', ' '))).toBe(stored);
    expect(recoveryCodeHash(ring, user, newRecoveryCodes()[1]!)).not.toBe(stored);
    expect(recoveryCodeLookups(ring, user, c)).toEqual([stored]);
  });

  it('still finds a code issued before keyed codes (10 characters, plain SHA-256) until it is used or replaced', () => {
    const legacy = 'abcde-fgh23';
    const old = createHash('sha256').update('abcdefgh23').digest('hex');
    expect(recoveryCodeLookups(ring, user, legacy)).toContain(old);
    expect(recoveryCodeLookups(ring, user, 'ABCDE FGH23')).toContain(old);
    expect(recoveryCodeLookups(ring, user, newRecoveryCodes()[0]!)).toHaveLength(1);
  });

  it('needs the blind-index key', () => {
    expect(() => recoveryCodeHash({ activeKeyId: ring.activeKeyId, keys: ring.keys, source: 'test' }, user, 'k3qa-7mzd-pw2x-feu4')).toThrow(/blind-index key/);
  });
});
