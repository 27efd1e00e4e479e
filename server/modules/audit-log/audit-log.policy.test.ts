import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../common/roles.ts';
import { can } from '../../auth/policy.ts';
import { actor, AGENCY } from '../../test/actors.ts';
import { auditLogPolicy } from './audit-log.policy.ts';

describe('auditLogPolicy', () => {
  const cases: [string, ReturnType<typeof actor>, boolean][] = [
    ...ROLES.map((r): [string, ReturnType<typeof actor>, boolean] => [`${r} of an agency`, actor([r]), r === 'admin']),
    ['admin of an outsider agency (scope is their own agency, in the query)', actor(['admin'], { agencyId: AGENCY.outsider }), true],
    ['platform admin without the admin role', actor(['analyst'], { platformAdmin: true }), true],
    ['someone with no role at all', actor([] as Role[]), false],
  ];
  it.each(cases)('audit.read and audit.export: %s', (_name, who, allowed) => {
    expect(can(who, auditLogPolicy, 'audit.read', null)).toBe(allowed);
    expect(can(who, auditLogPolicy, 'audit.export', null)).toBe(allowed);
  });

  it('grants nothing else', () => {
    expect(can(actor(['admin'], { platformAdmin: true }), auditLogPolicy, 'user.update', null)).toBe(false);
  });
});
