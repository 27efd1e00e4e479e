import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import QRCode from 'qrcode';
import { RECOVERY_CODE_COUNT } from '../../common/limits.ts';
import { blindIndex, type Keyring } from '../lib/crypto.ts';

/** RFC 6238 TOTP: 30-second steps, 6 digits, SHA-1 (what every authenticator app speaks). */
const STEP_SECONDS = 30;
const DIGITS = 6;

export function newTotpSecret(): string {
  return encodeBase32NoPadding(randomBytes(20));
}

export function totpUri(secret: string, accountName: string): string {
  return createTOTPKeyURI('Lantern', accountName, decodeBase32IgnorePadding(secret), STEP_SECONDS, DIGITS);
}

export async function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export function totpCode(secret: string, at: Date): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(at.getTime() / 1000 / STEP_SECONDS)), DIGITS);
}

/**
 * Checks a code against the current step and one step either side (clock drift), refusing any step
 * at or before the last one accepted, so an overheard code cannot be used again (ASVS 2.8.4).
 * Returns the matched step, or null.
 */
export function matchTotp(secret: string, code: string, at: Date, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = decodeBase32IgnorePadding(secret);
  const now = Math.floor(at.getTime() / 1000 / STEP_SECONDS);
  for (const step of [now, now - 1, now + 1]) {
    if (lastStep !== null && step <= lastStep) continue;
    const expected = generateHOTP(key, BigInt(step), DIGITS);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(code))) return step;
  }
  return null;
}

/**
 * Random bits in each recovery code. ASVS 2.6.2 asks 112 bits, or fewer salted and hashed: these are 80
 * (readable), bound to their user (the salt) and keyed; guesses go through the sign-in lockout.
 */
export const RECOVERY_CODE_BITS = 80;
const RECOVERY_GROUP = 4;

/**
 * Recovery codes: ten codes of 80 random bits, written as 16 base32 letters and digits (no 0, 1, 8 or 9
 * to misread) in groups of four, e.g. `k3qa-7mzd-pw2x-feu4`. Shown once.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = encodeBase32NoPadding(randomBytes(RECOVERY_CODE_BITS / 8)).toLowerCase();
    return raw.match(new RegExp(`.{1,${RECOVERY_GROUP}}`, 'g'))!.join('-');
  });
}

/** However the code is typed: case, spaces and dashes do not matter. */
const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * What is stored for a recovery code: HMAC-SHA-256 of the user's id and the code under the blind-index
 * key, which lives in the key file or LANTERN_INDEX_KEY and never in the database, so a copy of the
 * database alone gives no way to test guesses offline, and equal codes of two people never match.
 */
export function recoveryCodeHash(ring: Keyring, userId: string, code: string): string {
  return blindIndex(ring, 'recovery_code', `${userId}\u0000${normalizeRecoveryCode(code)}`);
}

/**
 * The stored values that match a typed code. Codes issued before 80-bit keyed codes (10 characters, 50
 * bits, stored as a plain SHA-256) keep working until used or replaced; docs/security.md asks everyone
 * to replace them, since a copy of the database can be searched for them offline.
 */
export function recoveryCodeLookups(ring: Keyring, userId: string, code: string): string[] {
  const normalized = normalizeRecoveryCode(code);
  const keyed = recoveryCodeHash(ring, userId, normalized);
  return normalized.length === LEGACY_RECOVERY_CODE_LENGTH ? [keyed, createHash('sha256').update(normalized).digest('hex')] : [keyed];
}
const LEGACY_RECOVERY_CODE_LENGTH = 10;
