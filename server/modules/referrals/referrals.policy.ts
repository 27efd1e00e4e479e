import type { Policy } from '../../auth/policy.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import type { ReferralStatus } from '../../../common/operations.ts';

/** What a rule needs to know about a referral (already known to be visible to the actor). */
export interface ReferralRecord {
  id: string;
  /** The referring (lead) agency, owner of the operation and the person's contact record. */
  agencyId: string;
  /** The victim-services agency the person agreed to be referred to. */
  toAgencyId: string;
  status: ReferralStatus;
  /** The actor may read the referred person's contact (the referring operation's readers). */
  readsContact: boolean;
}

/**
 * DESIGN.md §3: "a referral to the receiving agency for that person only" — its advocates, and no one
 * else in that agency (an administrator never reads case content by role alone).
 */
export const receivingAdvocate = (actor: Actor, r: Pick<ReferralRecord, 'toAgencyId'>) => hasRole(actor, 'advocate') && actor.agencyId === r.toAgencyId;

export const referralPolicy: Policy<ReferralRecord> = {
  /**
   * The receiving advocates read what the referral carries; the referring operation's readers read its
   * status (sent, accepted, declined, dates, receiving agency) — never the advocates' notes.
   */
  'referral.read': (actor, r) => receivingAdvocate(actor, r) || r.readsContact,
  /** Accepting or declining is the receiving agency's answer, once. */
  'referral.respond': (actor, r) => receivingAdvocate(actor, r) && r.status === 'sent',
  /** The advocates' own notes: written and read by the receiving agency only (issue #3, item 4). */
  'referral.annotate': (actor, r) => receivingAdvocate(actor, r),
};
