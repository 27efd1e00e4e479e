import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { contactAccess, type ContactRecord } from './contacts.access.ts';

export type { ContactRecord };

export { isSealed } from '../../auth/access.ts';

/** The contacts rules, each declared with its SQL form in `contacts.access.ts`. */
export const contactPolicy: Policy<ContactRecord> = policyOf(contactAccess.grants);
