import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../common/limits.ts';
import { hashPassword, newTemporaryPassword, passwordProblem, verifyPassword } from './passwords.ts';

/** Builds a passphrase of exactly `n` characters from varied words, so only its length is in question. */
function phraseOfLength(n: number): string {
  const words = 'amber quill drifts over seven lanterns while harbor gulls argue about mackerel prices near dusk'.split(' ');
  let out = '';
  for (let i = 0; out.length < n; i++) out += (out ? ' ' : '') + words[i % words.length] + (i >= words.length ? String(i) : '');
  return out.slice(0, n).replace(/ $/, 'x');
}

describe('passwordProblem', () => {
  it(`accepts ${PASSWORD_MIN} characters and refuses ${PASSWORD_MIN - 1}`, () => {
    expect(PASSWORD_MIN).toBe(15);
    expect(passwordProblem('violet-harbor-7')).toBeNull();
    expect(passwordProblem('violet-harbor7')).toBe('must be at least 15 characters');
    expect(passwordProblem(phraseOfLength(15))).toBeNull();
    expect(passwordProblem(phraseOfLength(14))).toMatch(/at least 15/);
  });

  it(`accepts ${PASSWORD_MAX} characters and refuses ${PASSWORD_MAX + 1}`, () => {
    expect(PASSWORD_MAX).toBe(128);
    expect(phraseOfLength(128)).toHaveLength(128);
    expect(passwordProblem(phraseOfLength(128))).toBeNull();
    expect(passwordProblem(phraseOfLength(129))).toBe('must be at most 128 characters');
  });

  it('counts characters, not UTF-16 units: 15 emoji are enough, 14 are not', () => {
    const emoji = [...'🌲🌊🔥🌙🍀🌵🐝🦉🌻🍄🌈🐚🦋🐢🍋'];
    expect(emoji).toHaveLength(15);
    expect(emoji.join('').length).toBeGreaterThan(15);
    expect(passwordProblem(emoji.join(''))).toBeNull();
    // 14 emoji are 28 UTF-16 units: long by .length, short by what a person typed.
    expect(emoji.slice(0, 14).join('').length).toBe(28);
    expect(passwordProblem(emoji.slice(0, 14).join(''))).toMatch(/at least 15/);
    expect(passwordProblem('mañana-café-niño')).toBeNull();
  });

  it.each([
    ['a common password', 'correcthorsebatterystaple'],
    ['a common password with spaces', 'correct horse battery staple'],
    ['a common password in capitals', 'CorrectHorseBatteryStaple'],
    ['a common word dressed up with digits', '1234password!!!!!'],
    ['a context word dressed up', '2024-lantern-2024!'],
  ])('refuses %s', (_name, password) => {
    expect(passwordProblem(password)).toMatch(/common/);
  });

  it.each([
    ['one character repeated', 'aaaaaaaaaaaaaaaaaaaa', /few different characters/],
    ['a short run repeated', 'abcdefabcdefabcdef', /repeated or sequential/],
    ['an ascending run', 'abcdefghijklmnopq', /repeated or sequential/],
    ['a descending run of digits', '9876543210987654', /repeated or sequential/],
    ['a common password repeated', 'monkeymonkeymonkey', /common|repeat/],
  ])('refuses %s', (_name, password, message) => {
    expect(passwordProblem(password)).toMatch(message);
  });

  it('refuses a password containing the email address or the name', () => {
    expect(passwordProblem('jordan.rivers-summer-trail', { email: 'jordan.rivers@agency.example' })).toMatch(/email/);
    expect(passwordProblem('JordanRivers-summer-trail', { email: 'jordan.rivers@agency.example' })).toMatch(/email/);
    expect(passwordProblem('my-JordanRivers-summer-trail', { email: 'j.r@agency.example', name: 'Jordan Rivers' })).toMatch(/name/);
    expect(passwordProblem('my-jordan-rivers-summer-trail', { email: 'j.r@agency.example', name: 'Jordan Rivers' })).toMatch(/name/);
    expect(passwordProblem('jordan.rivers-summer-trail')).toBeNull();
  });

  it('accepts a good passphrase', () => {
    expect(passwordProblem('a walk along the quiet canal', { email: 'pat@agency.example', name: 'Pat Lee' })).toBeNull();
    expect(passwordProblem('Tinned sardines & 4 loud trumpets')).toBeNull();
  });
});

describe('hashing', () => {
  it('stores argon2id, verifies the right password (NFKC-normalised) and nothing else', async () => {
    const stored = await hashPassword('ﬁve ﬁne ﬁsh in the creek');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'five fine fish in the creek')).toBe(true);
    expect(await verifyPassword(stored, 'five fine fish in the creeks')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });

  it('issues temporary passwords that pass the rules and differ every time', () => {
    const a = newTemporaryPassword();
    expect(a).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    expect(passwordProblem(a)).toBeNull();
    expect(newTemporaryPassword()).not.toBe(a);
  });
});
