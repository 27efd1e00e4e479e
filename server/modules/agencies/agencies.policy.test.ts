import type { AgencyRow } from '../../db/schema/index.ts';
import { actor, AGENCY } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { agencyPolicy } from './agencies.policy.ts';

const agency = (id: string): AgencyRow => ({
  id,
  name: id,
  short_name: null,
  kind: 'law_enforcement',
  ori: null,
  counties: '[]',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});

const platform = actor(['admin'], { platformAdmin: true });
const leadAdmin = actor(['admin']);
const leadOfficer = actor(['officer']);
const leadCoordinator = actor(['coordinator']);
const partnerAdmin = actor(['admin'], { agencyId: AGENCY.partner });
const partnerCoordinator = actor(['coordinator'], { agencyId: AGENCY.partner });
const outsiderAdmin = actor(['admin'], { agencyId: AGENCY.outsider });

// Rules are asked only about agencies the actor can already see (the query scopes visibility).
const table: Case<AgencyRow | null>[] = [
  ['platform admin creates an agency', platform, null, 'agency.create', true],
  ['agency admin cannot create one', leadAdmin, null, 'agency.create', false],
  ['coordinator cannot create one', leadCoordinator, null, 'agency.create', false],
  ['officer cannot create one', leadOfficer, null, 'agency.create', false],
  ['anyone may read a visible agency', leadOfficer, agency(AGENCY.partner), 'agency.read', true],
  ['admin reads a partner agency', partnerAdmin, agency(AGENCY.lead), 'agency.read', true],
  ['admin updates their own agency', leadAdmin, agency(AGENCY.lead), 'agency.update', true],
  ['partner admin cannot update the lead agency', partnerAdmin, agency(AGENCY.lead), 'agency.update', false],
  ['outsider admin cannot update the lead agency', outsiderAdmin, agency(AGENCY.lead), 'agency.update', false],
  ['officer cannot update their own agency', leadOfficer, agency(AGENCY.lead), 'agency.update', false],
  ['coordinator cannot update their own agency', leadCoordinator, agency(AGENCY.lead), 'agency.update', false],
  ['platform admin updates any agency', platform, agency(AGENCY.outsider), 'agency.update', true],
  ['update needs a record', leadAdmin, null, 'agency.update', false],
  ['partner admin cannot create one', partnerAdmin, null, 'agency.create', false],
  ['partner coordinator cannot update the lead agency', partnerCoordinator, agency(AGENCY.lead), 'agency.update', false],
  ['partner admin updates their own agency', partnerAdmin, agency(AGENCY.partner), 'agency.update', true],
  ['no rule for task-force actions here', platform, agency(AGENCY.lead), 'taskForce.create', false],
];

describePolicyTable('agencyPolicy', agencyPolicy, table, {
  noCrossAgencyDeny: { 'agency.read': 'an agency’s name and kind are directory facts, open to every signed-in user' },
});
