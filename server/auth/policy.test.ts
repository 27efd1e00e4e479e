import { describe, expect, it } from 'vitest';
import { AppError } from '../lib/errors.ts';
import { actor } from '../test/actors.ts';
import { abilitiesFor, authorize, can, type Policy } from './policy.ts';

interface Doc {
  ownerAgencyId: string;
}

/** A policy with one rule, so every other action has none. */
const policy: Policy<Doc> = {
  'agency.read': (a, doc) => doc.ownerAgencyId === a.agencyId,
};
const own: Doc = { ownerAgencyId: 'agency-lead' };
const theirs: Doc = { ownerAgencyId: 'agency-outsider' };
const everyone = [actor(['officer']), actor(['admin']), actor(['admin'], { platformAdmin: true })];

describe('can', () => {
  it('follows the rule where there is one', () => {
    expect(can(actor(['officer']), policy, 'agency.read', own)).toBe(true);
    expect(can(actor(['officer']), policy, 'agency.read', theirs)).toBe(false);
  });

  it('denies an action that has no rule, even to the platform administrator', () => {
    for (const a of everyone) {
      expect(can(a, policy, 'agency.update', own)).toBe(false);
      expect(can(a, policy, 'audit.export', own)).toBe(false);
    }
  });

  it('denies everything under an empty policy', () => {
    expect(can(actor(['admin'], { platformAdmin: true }), {}, 'agency.read', own)).toBe(false);
  });
});

describe('authorize', () => {
  it('returns quietly when allowed', () => {
    expect(() => authorize(actor(['officer']), policy, 'agency.read', own)).not.toThrow();
  });

  it('throws a 403 AppError when the rule refuses, and when there is no rule', () => {
    for (const [action, doc] of [['agency.read', theirs], ['agency.update', own]] as const) {
      let thrown: unknown;
      try {
        authorize(actor(['admin'], { platformAdmin: true }), policy, action, doc);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ status: 403, code: 'forbidden' });
    }
  });
});

describe('abilitiesFor', () => {
  it('lists exactly the actions the policy declares, with the answer for this actor and record', () => {
    expect(abilitiesFor(actor(['officer']), policy, own)).toEqual({ 'agency.read': true });
    expect(abilitiesFor(actor(['officer']), policy, theirs)).toEqual({ 'agency.read': false });
  });

  it('offers nothing an empty policy does not grant', () => {
    expect(abilitiesFor(actor(['admin'], { platformAdmin: true }), {}, own)).toEqual({});
  });
});
