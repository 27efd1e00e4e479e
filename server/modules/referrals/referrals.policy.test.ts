import { describe, expect, it } from 'vitest';
import type { Action } from '../../../common/actions.ts';
import type { ReferralStatus } from '../../../common/operations.ts';
import { can } from '../../auth/policy.ts';
import { actor, AGENCY } from '../../test/actors.ts';
import { referralPolicy, type ReferralRecord } from './referrals.policy.ts';

const ADVOCATES = 'agency-advocates';
const OTHER_ADVOCATES = 'agency-other-advocates';

const advocate = actor(['advocate'], { agencyId: ADVOCATES, agencyKind: 'victim_services', userId: 'u-advocate' });
const otherAdvocate = actor(['advocate'], { agencyId: OTHER_ADVOCATES, agencyKind: 'victim_services', userId: 'u-other-advocate' });
const advocatesAdmin = actor(['admin'], { agencyId: ADVOCATES, agencyKind: 'victim_services', userId: 'u-advocates-admin' });
const advocatesAnalyst = actor(['analyst'], { agencyId: ADVOCATES, agencyKind: 'victim_services', userId: 'u-advocates-analyst' });
const officer = actor(['officer'], { userId: 'u-officer' });
const coordinator = actor(['coordinator'], { userId: 'u-coordinator' });

/** A referral as one actor sees it: `readsContact` is whether that actor reads the referred person's contact. */
const referral = (opts: { status?: ReferralStatus; readsContact?: boolean } = {}): ReferralRecord => ({
  id: 'referral-1',
  agencyId: AGENCY.lead,
  toAgencyId: ADVOCATES,
  status: opts.status ?? 'sent',
  readsContact: opts.readsContact ?? false,
});

type Row = [string, ReturnType<typeof actor>, ReferralRecord, Action, boolean];
const table: Row[] = [
  ['receiving advocate reads', advocate, referral(), 'referral.read', true],
  ['receiving advocate answers a sent referral', advocate, referral(), 'referral.respond', true],
  ['receiving advocate does not answer twice', advocate, referral({ status: 'accepted' }), 'referral.respond', false],
  ['receiving advocate keeps notes', advocate, referral({ status: 'declined' }), 'referral.annotate', true],
  ['another agency’s advocate reads nothing', otherAdvocate, referral(), 'referral.read', false],
  ['another agency’s advocate answers nothing', otherAdvocate, referral(), 'referral.respond', false],
  ['the receiving agency’s administrator reads nothing', advocatesAdmin, referral(), 'referral.read', false],
  ['the receiving agency’s analyst reads nothing', advocatesAnalyst, referral(), 'referral.read', false],
  ['referring officer reads the status', officer, referral({ readsContact: true }), 'referral.read', true],
  ['referring officer does not answer', officer, referral({ readsContact: true }), 'referral.respond', false],
  ['referring officer does not touch the notes', officer, referral({ readsContact: true }), 'referral.annotate', false],
  ['referring coordinator does not touch the notes', coordinator, referral({ readsContact: true }), 'referral.annotate', false],
  ['an officer who does not read the contact reads nothing', officer, referral(), 'referral.read', false],
];

describe('referralPolicy', () => {
  it.each(table)('%s', (_name, who, record, action, allowed) => {
    expect(can(who, referralPolicy, action, record)).toBe(allowed);
  });
});
