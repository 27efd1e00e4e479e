import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import QRCode from 'qrcode';
import { RECOVERY_CODE_COUNT } from '../../common/limits.ts';

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

/** Recovery codes: 10 random codes of 10 base32 characters, shown once, stored as hashes. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = encodeBase32NoPadding(randomBytes(7)).slice(0, 10).toLowerCase();
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

/** Recovery codes carry 50 bits of randomness, so a plain hash is enough to store them. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[^a-z0-9]/g, '')).digest('hex');
}
