import { describe, expect, it } from 'vitest';
import { can } from '../../auth/policy.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Role } from '../../../common/roles.ts';
import { LEDGER, statisticsPolicy } from './statistics.policy.ts';

const actor = (roles: Role[], platformAdmin = false): Actor => ({
  userId: 'u',
  email: 'u@example.test',
  displayName: 'U',
  agencyId: 'a',
  agencyName: 'A',
  agencyKind: 'law_enforcement',
  roles: new Set(roles),
  platformAdmin,
  taskForceIds: ['tf'],
  sessionId: 's',
  mustChangePassword: false,
});

describe('statistics policy', () => {
  const cases: [string, Actor, boolean][] = [
    ['a PIO', actor(['pio']), true],
    ['a PIO who is also an analyst', actor(['analyst', 'pio']), true],
    ['a coordinator', actor(['coordinator']), false],
    ['an agency administrator', actor(['admin']), false],
    ['a platform administrator', actor(['admin'], true), false],
    ['an officer', actor(['officer']), false],
    ['an analyst', actor(['analyst']), false],
    ['an advocate', actor(['advocate']), false],
    ['a caseworker', actor(['caseworker']), false],
  ];
  it.each(cases)('statistics.publish by %s → %s', (_who, a, allowed) => {
    expect(can(a, statisticsPolicy, 'statistics.publish', LEDGER)).toBe(allowed);
  });
});
