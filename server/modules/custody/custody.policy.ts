import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { custodyAccess } from './custody.access.ts';

/** What a rule needs to know about a custody hand-off (already known to be visible to the actor). */
export interface CustodyRecord {
  id: string;
  /** The operation's lead agency, which took the child into custody. */
  agencyId: string;
  /** The child-welfare agency receiving the child. */
  toAgencyId: string;
  /** The actor is assigned to the operation. */
  assigned: boolean;
  received: boolean;
}

/** The custody rules, each declared with its SQL form in `custody.access.ts`. */
export const custodyPolicy: Policy<CustodyRecord> = policyOf(custodyAccess.grants);
