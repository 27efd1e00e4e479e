import { describe, expect, it } from 'vitest';
import type { ContactRole, OperationStatus } from '../../../common/operations.ts';
import { actor, AGENCY, TASK_FORCE } from '../../test/actors.ts';
import { describePolicyTable, type Case } from '../../test/policy-table.ts';
import { contactPolicy, isSealed, type ContactRecord } from './contacts.policy.ts';

const CHILD_WELFARE = 'agency-child-welfare';
const OTHER_CHILD_WELFARE = 'agency-other-child-welfare';

const leadOfficer = actor(['officer'], { userId: 'u-lead-officer' });
const leadCoordinator = actor(['coordinator'], { userId: 'u-lead-coordinator' });
const leadAnalyst = actor(['analyst'], { userId: 'u-lead-analyst' });
const leadPio = actor(['pio'], { userId: 'u-lead-pio' });
const partnerOfficer = actor(['officer'], { agencyId: AGENCY.partner, userId: 'u-partner-officer' });
const partnerCoordinator = actor(['coordinator'], { agencyId: AGENCY.partner, userId: 'u-partner-coordinator' });
const partnerAnalyst = actor(['analyst'], { agencyId: AGENCY.partner, userId: 'u-partner-analyst' });
const caseworker = actor(['caseworker'], { agencyId: CHILD_WELFARE, agencyKind: 'child_welfare', userId: 'u-caseworker' });
const otherCaseworker = actor(['caseworker'], { agencyId: OTHER_CHILD_WELFARE, agencyKind: 'child_welfare', userId: 'u-other-caseworker' });
const childWelfareAnalyst = actor(['analyst'], { agencyId: CHILD_WELFARE, agencyKind: 'child_welfare', userId: 'u-cw-analyst' });

/** A contact as one actor sees it: `assigned` is that actor's assignment to the operation. */
function contact(role: ContactRole, opts: { assigned?: boolean; status?: OperationStatus; ageBand?: string; receivedBy?: string[] } = {}): ContactRecord {
  return {
    id: 'contact-1',
    agencyId: AGENCY.lead,
    role,
    ageBand: opts.ageBand ?? (role === 'minor' ? 'under_5' : '25_to_34'),
    operation: { id: 'op-1', agencyId: AGENCY.lead, taskForceId: TASK_FORCE.shared, status: opts.status ?? 'active', assigned: opts.assigned ?? false, commanderUserId: null },
    receivingAgencyIds: opts.receivedBy ?? [],
  };
}

const adult = (opts: Parameters<typeof contact>[1] = {}) => contact('adult_victim', opts);
const child = (opts: Parameters<typeof contact>[1] = {}) => contact('minor', opts);

const table: Case<ContactRecord>[] = [
  // an adult's record: whoever may read the operation's contacts
  ['assigned lead officer reads an adult', leadOfficer, adult({ assigned: true }), 'contact.read', true],
  ['assigned partner officer reads an adult', partnerOfficer, adult({ assigned: true }), 'contact.read', true],
  ['unassigned lead officer does not read', leadOfficer, adult(), 'contact.read', false],
  ['unassigned lead coordinator reads (lead agency)', leadCoordinator, adult(), 'contact.read', true],
  ['unassigned lead analyst reads (lead agency)', leadAnalyst, adult(), 'contact.read', true],
  ['unassigned partner coordinator does not read', partnerCoordinator, adult(), 'contact.read', false],
  ['unassigned partner analyst does not read', partnerAnalyst, adult({ status: 'closed' }), 'contact.read', false],
  ['assigned partner analyst reads an adult', partnerAnalyst, adult({ assigned: true }), 'contact.read', true],
  ['PIO does not read persons', leadPio, adult(), 'contact.read', false],
  ['caseworker does not read an adult', caseworker, adult({ receivedBy: [CHILD_WELFARE] }), 'contact.read', false],
  // a minor's record: sealed
  ['assigned lead officer reads a child', leadOfficer, child({ assigned: true }), 'contact.read', true],
  ['assigned partner officer does not read a child', partnerOfficer, child({ assigned: true }), 'contact.read', false],
  ['unassigned lead coordinator does not read a child', leadCoordinator, child(), 'contact.read', false],
  ['unassigned lead analyst does not read a child', leadAnalyst, child(), 'contact.read', false],
  ['receiving caseworker reads the child', caseworker, child({ receivedBy: [CHILD_WELFARE] }), 'contact.read', true],
  ['caseworker before any hand-off does not read', caseworker, child(), 'contact.read', false],
  ['another agency’s caseworker does not read', otherCaseworker, child({ receivedBy: [CHILD_WELFARE] }), 'contact.read', false],
  ['receiving agency’s analyst does not read', childWelfareAnalyst, child({ receivedBy: [CHILD_WELFARE] }), 'contact.read', false],
  ['a juvenile suspect is sealed too', partnerOfficer, contact('suspect', { assigned: true, ageBand: '15_to_17' }), 'contact.read', false],
  // changing
  ['assigned officer updates while active', partnerOfficer, adult({ assigned: true }), 'contact.update', true],
  ['assigned analyst does not update', leadAnalyst, adult({ assigned: true }), 'contact.update', false],
  ['unassigned lead coordinator does not update while active', leadCoordinator, adult(), 'contact.update', false],
  ['assigned officer does not update a closed operation', leadOfficer, adult({ assigned: true, status: 'closed' }), 'contact.update', false],
  ['lead coordinator corrects a closed operation', leadCoordinator, adult({ status: 'closed' }), 'contact.update', true],
  ['partner coordinator does not correct the lead’s closed operation', partnerCoordinator, adult({ status: 'closed' }), 'contact.update', false],
  ['assigned partner coordinator does not correct it either', partnerCoordinator, adult({ status: 'closed', assigned: true }), 'contact.update', false],
  ['assigned partner coordinator updates while active', partnerCoordinator, adult({ assigned: true }), 'contact.update', true],
  ['assigned partner analyst does not update', partnerAnalyst, adult({ assigned: true }), 'contact.update', false],
  ['lead coordinator corrects a closed child’s record only if assigned', leadCoordinator, child({ status: 'closed' }), 'contact.update', false],
  ['assigned lead coordinator corrects a closed child’s record', leadCoordinator, child({ status: 'closed', assigned: true }), 'contact.update', true],
  ['receiving caseworker does not update the child', caseworker, child({ receivedBy: [CHILD_WELFARE] }), 'contact.update', false],
  ['nobody updates an approved operation’s contact', leadOfficer, adult({ assigned: true, status: 'approved' }), 'contact.update', false],
  // referring
  ['assigned officer refers an adult victim', partnerOfficer, adult({ assigned: true }), 'contact.refer', true],
  ['a suspect is not referred', leadOfficer, contact('suspect', { assigned: true }), 'contact.refer', false],
  ['unassigned coordinator does not refer', leadCoordinator, adult(), 'contact.refer', false],
  ['unassigned partner coordinator does not refer', partnerCoordinator, adult(), 'contact.refer', false],
  ['assigned partner analyst does not refer', partnerAnalyst, adult({ assigned: true }), 'contact.refer', false],
  ['no referral from a closed operation', leadOfficer, adult({ assigned: true, status: 'closed' }), 'contact.refer', false],
  // handing off
  ['assigned lead officer hands off a child', leadOfficer, child({ assigned: true }), 'contact.handOff', true],
  ['assigned lead coordinator hands off a child', leadCoordinator, child({ assigned: true }), 'contact.handOff', true],
  ['assigned lead analyst does not hand off', leadAnalyst, child({ assigned: true }), 'contact.handOff', false],
  ['assigned partner officer does not hand off (sealed)', partnerOfficer, child({ assigned: true }), 'contact.handOff', false],
  ['assigned partner coordinator does not hand off (sealed)', partnerCoordinator, child({ assigned: true }), 'contact.handOff', false],
  ['no hand-off once the operation closed', leadOfficer, child({ assigned: true, status: 'closed' }), 'contact.handOff', false],
  ['an adult is not handed off', leadOfficer, adult({ assigned: true }), 'contact.handOff', false],
  ['caseworker does not hand off', caseworker, child({ receivedBy: [CHILD_WELFARE] }), 'contact.handOff', false],
  ['no rule for other actions', leadCoordinator, adult({ assigned: true }), 'operation.close', false],
];

describePolicyTable('contactPolicy', contactPolicy, table);

describe('isSealed', () => {
  it('seals minors and anyone in a minor’s age band', () => {
    expect(isSealed({ role: 'minor', ageBand: 'unknown' })).toBe(true);
    expect(isSealed({ role: 'witness', ageBand: '12_to_14' })).toBe(true);
    expect(isSealed({ role: 'suspect', ageBand: '18_to_24' })).toBe(false);
    expect(isSealed({ role: 'adult_victim', ageBand: 'unknown' })).toBe(false);
  });
});
