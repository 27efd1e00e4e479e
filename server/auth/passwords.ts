import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../common/limits.ts';
import { US_STATES } from '../../common/states.ts';

/** argon2id at OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane (DESIGN.md §7 measures it). */
const ARGON2 = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), ARGON2);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/** A hash of nothing in particular, checked when no account matches so both paths cost the same. */
let decoyHash: Promise<string> | null = null;
export function decoy(): Promise<string> {
  decoyHash ??= hashPassword('lantern-decoy-password-not-for-any-account');
  return decoyHash;
}

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  if (!common) {
    const file = new URL('./common-passwords.txt', import.meta.url);
    common = new Set(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')),
    );
  }
  return common;
}

// Every state's name, not only the configured one's: "Missouri2026!" is as weak in Kansas.
const CONTEXT_WORDS = ['lantern', 'trafficking', 'humantrafficking', 'taskforce', 'password', 'oakgrove', ...US_STATES.map((st) => st.name.en.toLowerCase().replace(/[^a-z]/g, ''))];

function isRepetition(s: string): boolean {
  for (let size = 1; size <= s.length / 2; size++) {
    if (s.length % size === 0 && s.slice(0, size).repeat(s.length / size) === s) return true;
  }
  return false;
}

function isSequence(s: string): boolean {
  if (s.length < 2) return false;
  let up = 0;
  let down = 0;
  for (let i = 1; i < s.length; i++) {
    const step = s.charCodeAt(i) - s.charCodeAt(i - 1);
    if (step === 1 || step === -9) up++;
    if (step === -1 || step === 9) down++;
  }
  return up >= s.length - 2 || down >= s.length - 2;
}

/**
 * NIST SP 800-63B §5.1.1.2 and CJIS 5.9.5: length only, no composition rules; refuse passwords that
 * are common, repetitive, sequential or built from the obvious words of this context.
 * Returns the problem in plain words, or null when the password is acceptable.
 */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const lower = password.normalize('NFKC').toLowerCase();
  const compact = lower.replace(/\s+/g, '');
  const list = commonPasswords();
  if (list.has(lower) || list.has(compact)) return 'is a commonly used password; choose another';
  const core = compact.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (core.length >= 4 && (list.has(core) || CONTEXT_WORDS.includes(core))) return 'is a common word with numbers or symbols added; choose another';
  if (new Set(compact).size < 5) return 'repeats too few different characters';
  if (isRepetition(compact) || isSequence(compact)) return 'is a repeated or sequential pattern';
  for (let size = 4; size <= compact.length / 2; size++) {
    const piece = compact.slice(0, size);
    if (list.has(piece) && isRepetition(compact.slice(0, size * Math.floor(compact.length / size)))) return 'repeats a common password';
  }
  // Compared on letters and digits only, so "jordan.rivers" is caught as well as "jordanrivers".
  const lettersOnly = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const letters = lettersOnly(password);
  const local = lettersOnly(context.email?.split('@')[0] ?? '');
  if (local.length >= 4 && letters.includes(local)) return 'must not contain your email address';
  const name = lettersOnly(context.name ?? '');
  if (name.length >= 4 && letters.includes(name)) return 'must not contain your name';
  return null;
}

/** A one-time password an administrator hands over; 100 random bits in five readable groups. */
export function newTemporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(25);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15, 20].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
