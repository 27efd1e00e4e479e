import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import type { ContactRole } from '../../../common/operations.ts';
import type { OperationRecord } from '../operations/operations.policy.ts';
import { contactAccess } from './contacts.access.ts';

export { isSealed } from '../../auth/access.ts';

/** What a rule needs to know about a contact (already known to be visible to the actor). */
export interface ContactRecord {
  id: string;
  /** The operation's lead agency owns every contact recorded in it. */
  agencyId: string;
  role: ContactRole;
  ageBand: string;
  /** The operation, as seen by the actor (`assigned` is the actor's assignment). */
  operation: OperationRecord;
  /** Child-welfare agencies that received this person's custody hand-off. */
  receivingAgencyIds: readonly string[];
}

/** The contacts rules, each declared with its SQL form in `contacts.access.ts`. */
export const contactPolicy: Policy<ContactRecord> = policyOf(contactAccess.grants);
