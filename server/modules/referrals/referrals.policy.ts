import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { referralAccess, type ReferralRecord } from './referrals.access.ts';

export type { ReferralRecord };

/** The referrals rules, each declared with its SQL form in `referrals.access.ts`. */
export const referralPolicy: Policy<ReferralRecord> = policyOf(referralAccess.grants);
