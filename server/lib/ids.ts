import { randomBytes } from 'node:crypto';

/**
 * UUID version 7: time-ordered, so new rows land at the end of indexes on both back ends
 * instead of scattering like random v4 ids.
 */
export function newId(now = Date.now()): string {
  const bytes = randomBytes(16);
  const ms = BigInt(now);
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A random, URL-safe secret (session tokens, request ids). */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
