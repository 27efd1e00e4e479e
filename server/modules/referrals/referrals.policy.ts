import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import type { ReferralStatus } from '../../../common/operations.ts';
import { referralAccess } from './referrals.access.ts';

/** What a rule needs to know about a referral (already known to be visible to the actor). */
export interface ReferralRecord {
  id: string;
  /** The referring (lead) agency, owner of the operation and the person's contact record. */
  agencyId: string;
  /** The victim-services agency the person agreed to be referred to. */
  toAgencyId: string;
  status: ReferralStatus;
  /** The actor is assigned to the referring operation. */
  assigned: boolean;
}

/** The referrals rules, each declared with its SQL form in `referrals.access.ts`. */
export const referralPolicy: Policy<ReferralRecord> = policyOf(referralAccess.grants);
