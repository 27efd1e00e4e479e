import { actor, AGENCY } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { custodyPolicy, type CustodyRecord } from './custody.policy.ts';

const CHILD_WELFARE = 'agency-child-welfare';
const OTHER_CHILD_WELFARE = 'agency-other-child-welfare';

const officer = actor(['officer'], { userId: 'u-officer' });
const coordinator = actor(['coordinator'], { userId: 'u-coordinator' });
const analyst = actor(['analyst'], { userId: 'u-analyst' });
const pio = actor(['pio'], { userId: 'u-pio' });
const caseworker = actor(['caseworker'], { agencyId: CHILD_WELFARE, agencyKind: 'child_welfare', userId: 'u-caseworker' });
const otherCaseworker = actor(['caseworker'], { agencyId: OTHER_CHILD_WELFARE, agencyKind: 'child_welfare', userId: 'u-other-caseworker' });
const partnerOfficer = actor(['officer'], { agencyId: AGENCY.partner, userId: 'u-partner-officer' });
const partnerCoordinator = actor(['coordinator'], { agencyId: AGENCY.partner, userId: 'u-partner-coordinator' });
const partnerAnalyst = actor(['analyst'], { agencyId: AGENCY.partner, userId: 'u-partner-analyst' });
const childWelfareAdmin = actor(['admin'], { agencyId: CHILD_WELFARE, agencyKind: 'child_welfare', userId: 'u-cw-admin' });

/** A hand-off of the lead agency as one actor sees it: `assigned` is whether that actor is assigned to the operation. */
const handoff = (opts: { assigned?: boolean; received?: boolean } = {}): CustodyRecord => ({
  id: 'handoff-1',
  agencyId: AGENCY.lead,
  toAgencyId: CHILD_WELFARE,
  assigned: opts.assigned ?? false,
  received: opts.received ?? false,
});

const table: Case<CustodyRecord>[] = [
  ['assigned lead officer reads', officer, handoff({ assigned: true }), 'custody.read', true],
  ['assigned lead officer updates', officer, handoff({ assigned: true }), 'custody.update', true],
  ['assigned lead coordinator updates', coordinator, handoff({ assigned: true }), 'custody.update', true],
  ['assigned lead analyst reads but does not update', analyst, handoff({ assigned: true }), 'custody.update', false],
  ['assigned lead officer does not sign the receipt', officer, handoff({ assigned: true }), 'custody.receive', false],
  ['unassigned coordinator reads nothing', coordinator, handoff(), 'custody.read', false],
  ['unassigned analyst reads nothing', analyst, handoff(), 'custody.read', false],
  ['PIO reads nothing', pio, handoff(), 'custody.read', false],
  ['receiving caseworker reads', caseworker, handoff(), 'custody.read', true],
  ['receiving caseworker signs the receipt', caseworker, handoff(), 'custody.receive', true],
  ['receiving caseworker signs once', caseworker, handoff({ received: true }), 'custody.receive', false],
  ['receiving caseworker does not change the police record', caseworker, handoff(), 'custody.update', false],
  ['another agency’s caseworker reads nothing', otherCaseworker, handoff(), 'custody.read', false],
  ['another agency’s caseworker signs nothing', otherCaseworker, handoff(), 'custody.receive', false],
  ['the receiving agency’s administrator reads nothing', childWelfareAdmin, handoff(), 'custody.read', false],
  // a partner agency of the same task force, even assigned to the operation: the record is sealed
  ['assigned partner officer reads nothing', partnerOfficer, handoff({ assigned: true }), 'custody.read', false],
  ['partner coordinator reads nothing', partnerCoordinator, handoff(), 'custody.read', false],
  ['partner analyst reads nothing', partnerAnalyst, handoff(), 'custody.read', false],
  ['assigned partner officer does not update', partnerOfficer, handoff({ assigned: true }), 'custody.update', false],
  ['assigned partner coordinator does not update', partnerCoordinator, handoff({ assigned: true }), 'custody.update', false],
  ['partner coordinator does not sign the receipt', partnerCoordinator, handoff(), 'custody.receive', false],
  ['the receipt is filed after the operation closed too (its 12 hours run on)', officer, handoff({ assigned: true, received: true }), 'custody.update', true],
];

describePolicyTable('custodyPolicy', custodyPolicy, table);
