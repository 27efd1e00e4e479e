import type { Role } from '../../../common/roles.ts';
import { actor, CAST } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { LEDGER, statisticsPolicy, type StatisticsLedger } from './statistics.policy.ts';

const publishing = (name: string, roles: Role[], allowed: boolean, platformAdmin = false): Case<StatisticsLedger> => [
  `statistics.publish by ${name}`,
  actor(roles, { platformAdmin }),
  LEDGER,
  'statistics.publish',
  allowed,
];

const table: Case<StatisticsLedger>[] = [
  publishing('a PIO', ['pio'], true),
  publishing('a PIO who is also an analyst', ['analyst', 'pio'], true),
  publishing('a coordinator', ['coordinator'], false),
  publishing('an agency administrator', ['admin'], false),
  publishing('a platform administrator', ['admin'], false, true),
  publishing('an officer', ['officer'], false),
  publishing('an analyst', ['analyst'], false),
  publishing('an advocate', ['advocate'], false),
  publishing('a caseworker', ['caseworker'], false),
  ['statistics.publish by a partner agency’s PIO (the ledger is the whole Lantern’s)', CAST.partnerPio, LEDGER, 'statistics.publish', true],
  ['statistics.publish by a partner coordinator', CAST.partnerCoordinator, LEDGER, 'statistics.publish', false],
  ['statistics.publish by a partner officer', CAST.partnerOfficer, LEDGER, 'statistics.publish', false],
  ['statistics.publish by a partner analyst', CAST.partnerAnalyst, LEDGER, 'statistics.publish', false],
  ['no other action', CAST.leadPio, LEDGER, 'pressRelease.publish', false],
];

describePolicyTable('statisticsPolicy', statisticsPolicy, table);
