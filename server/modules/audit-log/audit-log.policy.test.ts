import type { Action } from '../../../common/actions.ts';
import { ROLES, type Role } from '../../../common/roles.ts';
import { actor, AGENCY, CAST } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { auditLogPolicy } from './audit-log.policy.ts';

/** The log has no record to ask about: which rows an administrator sees is the query's scope (own agency). */
const both = (name: string, who: ReturnType<typeof actor>, allowed: boolean): Case<null>[] =>
  (['audit.read', 'audit.export'] as Action[]).map((a) => [`${a}: ${name}`, who, null, a, allowed]);

const table: Case<null>[] = [
  ...ROLES.flatMap((r) => both(`${r} of the lead agency`, actor([r]), r === 'admin')),
  ...both('partner admin (their own agency’s rows, by the query)', CAST.partnerAdmin, true),
  ...both('partner coordinator', CAST.partnerCoordinator, false),
  ...both('partner officer', CAST.partnerOfficer, false),
  ...both('partner analyst', CAST.partnerAnalyst, false),
  ...both('admin of an outsider agency (scope is their own agency, in the query)', actor(['admin'], { agencyId: AGENCY.outsider }), true),
  ...both('platform admin without the admin role', actor(['analyst'], { platformAdmin: true }), true),
  ...both('someone with no role at all', actor([] as Role[]), false),
  ['grants nothing else', actor(['admin'], { platformAdmin: true }), null, 'user.update', false],
];

describePolicyTable('auditLogPolicy', auditLogPolicy, table);
