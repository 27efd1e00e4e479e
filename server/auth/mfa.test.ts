import { describe, expect, it } from 'vitest';
import { encodeBase32NoPadding } from '@oslojs/encoding';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpCode, totpUri } from './mfa.ts';

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
  it('are ten distinct codes, hashed the same however they are typed', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const c = codes[0]!;
    expect(hashRecoveryCode(c.toUpperCase())).toBe(hashRecoveryCode(c));
    expect(hashRecoveryCode(c.replace('-', ' '))).toBe(hashRecoveryCode(c));
    expect(hashRecoveryCode(codes[1]!)).not.toBe(hashRecoveryCode(c));
  });
});
