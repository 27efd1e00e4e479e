import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { custodyAccess, type CustodyRecord } from './custody.access.ts';

export type { CustodyRecord };

/** The custody rules, each declared with its SQL form in `custody.access.ts`. */
export const custodyPolicy: Policy<CustodyRecord> = policyOf(custodyAccess.grants);
