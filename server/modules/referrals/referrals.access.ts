import { allOf, anyOf, assignedToOperation, fieldIn, ownAgency, personReader, receivingAdvocate, type Grants } from '../../auth/access.ts';
import type { ReferralStatus } from '../../../common/operations.ts';

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

/** A referral's columns, alias `r`. */
export const REFERRAL_COLUMNS = { operation: 'r.operation_id', agency: 'r.agency_id', toAgency: 'r.to_agency_id', status: 'r.status' } as const;

const toActorsAgency = ownAgency<ReferralRecord>((r) => r.toAgencyId, REFERRAL_COLUMNS.toAgency);
/**
 * The referring side: whoever reads the referred person's contact — the operation's assigned users and
 * the lead agency's coordinators and analysts (`personReader`, as for the contact; a referred person is
 * an adult, so no seal applies).
 */
const readsContact = personReader<ReferralRecord>(
  assignedToOperation((r) => r.assigned, REFERRAL_COLUMNS.operation),
  ownAgency((r) => r.agencyId, REFERRAL_COLUMNS.agency),
);
const advocate = receivingAdvocate(toActorsAgency);

export const referralAccess = {
  receivingAdvocate: advocate,
  readsContact,
  grants: {
    /**
     * The receiving advocates read what the referral carries; the referring operation's readers read its
     * status (sent, accepted, declined, dates, receiving agency) — never the advocates' notes.
     */
    'referral.read': anyOf<ReferralRecord>(advocate, readsContact),
    /** Accepting or declining is the receiving agency's answer, once. */
    'referral.respond': allOf<ReferralRecord>(advocate, fieldIn((r) => r.status, REFERRAL_COLUMNS.status, ['sent'])),
    /** The advocates' own notes: written and read by the receiving agency only (issue #3, item 4). */
    'referral.annotate': advocate,
  } satisfies Grants<ReferralRecord>,
};
