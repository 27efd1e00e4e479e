import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { clientAccess, releaseAccessAt, type ClientRecord, type ReleaseRecord } from './clients.access.ts';

export type { ClientRecord, ReleaseRecord };

/** The compartment's rules, each declared with its SQL form in `clients.access.ts`. */
export const clientPolicy: Policy<ClientRecord> = policyOf(clientAccess.grants);
/** The recipient's rule at a moment (a release is in effect only between its start and expiry). */
export const releasePolicyAt = (now: string): Policy<ReleaseRecord> => policyOf(releaseAccessAt(now).grants);
