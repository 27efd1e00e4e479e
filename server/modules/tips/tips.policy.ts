import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { tipAccess, type TipRecord } from './tips.access.ts';

export type { TipRecord };

/** The tip rules, each declared with its SQL form in `tips.access.ts`. */
export const tipPolicy: Policy<TipRecord> = policyOf(tipAccess.grants);
