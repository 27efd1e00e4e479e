import type { ReferralStatus } from '../../../common/operations.ts';
import { actor, AGENCY } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { referralPolicy, type ReferralRecord } from './referrals.policy.ts';

const ADVOCATES = 'agency-advocates';
const OTHER_ADVOCATES = 'agency-other-advocates';

const advocate = actor(['advocate'], { agencyId: ADVOCATES, agencyKind: 'victim_services', userId: 'u-advocate' });
const otherAdvocate = actor(['advocate'], { agencyId: OTHER_ADVOCATES, agencyKind: 'victim_services', userId: 'u-other-advocate' });
const advocatesAdmin = actor(['admin'], { agencyId: ADVOCATES, agencyKind: 'victim_services', userId: 'u-advocates-admin' });
const advocatesAnalyst = actor(['analyst'], { agencyId: ADVOCATES, agencyKind: 'victim_services', userId: 'u-advocates-analyst' });
const officer = actor(['officer'], { userId: 'u-officer' });
const coordinator = actor(['coordinator'], { userId: 'u-coordinator' });
const partnerOfficer = actor(['officer'], { agencyId: AGENCY.partner, userId: 'u-partner-officer' });
const partnerCoordinator = actor(['coordinator'], { agencyId: AGENCY.partner, userId: 'u-partner-coordinator' });
const partnerAnalyst = actor(['analyst'], { agencyId: AGENCY.partner, userId: 'u-partner-analyst' });

/** A referral of the lead agency as one actor sees it: `assigned` is that actor's assignment to the referring operation. */
const referral = (opts: { status?: ReferralStatus; assigned?: boolean } = {}): ReferralRecord => ({
  id: 'referral-1',
  agencyId: AGENCY.lead,
  toAgencyId: ADVOCATES,
  status: opts.status ?? 'sent',
  assigned: opts.assigned ?? false,
});

const table: Case<ReferralRecord>[] = [
  ['receiving advocate reads', advocate, referral(), 'referral.read', true],
  ['receiving advocate answers a sent referral', advocate, referral(), 'referral.respond', true],
  ['receiving advocate does not answer twice', advocate, referral({ status: 'accepted' }), 'referral.respond', false],
  ['receiving advocate keeps notes', advocate, referral({ status: 'declined' }), 'referral.annotate', true],
  ['another agency’s advocate reads nothing', otherAdvocate, referral(), 'referral.read', false],
  ['another agency’s advocate answers nothing', otherAdvocate, referral(), 'referral.respond', false],
  ['the receiving agency’s administrator reads nothing', advocatesAdmin, referral(), 'referral.read', false],
  ['the receiving agency’s analyst reads nothing', advocatesAnalyst, referral(), 'referral.read', false],
  ['referring officer reads the status', officer, referral({ assigned: true }), 'referral.read', true],
  ['referring officer does not answer', officer, referral({ assigned: true }), 'referral.respond', false],
  ['referring officer does not touch the notes', officer, referral({ assigned: true }), 'referral.annotate', false],
  ['referring coordinator does not touch the notes', coordinator, referral({ assigned: true }), 'referral.annotate', false],
  ['an officer who does not read the contact reads nothing', officer, referral(), 'referral.read', false],
  ['receiving advocate answers nothing already declined', advocate, referral({ status: 'declined' }), 'referral.respond', false],
  ['receiving advocate answers nothing closed', advocate, referral({ status: 'closed' }), 'referral.respond', false],
  // a partner agency of the same task force
  ['assigned partner officer reads the status', partnerOfficer, referral({ assigned: true }), 'referral.read', true],
  ['partner coordinator who does not read the contact reads nothing', partnerCoordinator, referral(), 'referral.read', false],
  ['partner analyst who does not read the contact reads nothing', partnerAnalyst, referral(), 'referral.read', false],
  ['partner coordinator does not answer', partnerCoordinator, referral({ assigned: true }), 'referral.respond', false],
  ['partner officer does not touch the notes', partnerOfficer, referral({ assigned: true }), 'referral.annotate', false],
];

describePolicyTable('referralPolicy', referralPolicy, table);
