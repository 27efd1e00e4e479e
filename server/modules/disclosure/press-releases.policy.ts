import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { pressReleaseAccess } from './press-releases.access.ts';

export interface PressReleaseRecord {
  /** The operation's lead agency. */
  agencyId: string;
  taskForceId: string;
  status: 'draft' | 'published';
  /** Who gave each approval (for the current text). */
  approvedBy: { pio: string | null; coordinator: string | null };
}

/** The press-release rules, each declared with its SQL form in `press-releases.access.ts`. */
export const pressReleasePolicy: Policy<PressReleaseRecord> = policyOf(pressReleaseAccess.grants);
