import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { pressReleaseAccess, type PressReleaseRecord } from './press-releases.access.ts';

export type { PressReleaseRecord };

/** The press-release rules, each declared with its SQL form in `press-releases.access.ts`. */
export const pressReleasePolicy: Policy<PressReleaseRecord> = policyOf(pressReleaseAccess.grants);
