import { REFERRAL_STATUSES, type ReferralStatus } from '../../../../common/operations.ts';

/** The referrals list's status filter, kept in the URL. */
export function validateReferralsSearch(search: Record<string, unknown>): { status?: ReferralStatus } {
  const status = REFERRAL_STATUSES.find((s) => s === search.status);
  return status ? { status } : {};
}
