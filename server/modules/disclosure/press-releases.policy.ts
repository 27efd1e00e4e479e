import type { Policy } from '../../auth/policy.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';

export interface PressReleaseRecord {
  /** The operation's lead agency. */
  agencyId: string;
  taskForceId: string;
  status: 'draft' | 'published';
  /** Who gave each approval (for the current text). */
  approvedBy: { pio: string | null; coordinator: string | null };
}

const pio = (actor: Actor, r: PressReleaseRecord) => hasRole(actor, 'pio') && actor.taskForceIds.includes(r.taskForceId);
const leadCoordinator = (actor: Actor, r: PressReleaseRecord) => hasRole(actor, 'coordinator') && actor.agencyId === r.agencyId;

/**
 * Press releases (issue #4, item 2): written by the task force's public-information officers or the
 * lead agency's coordinators; approved by one of each — two different people —; published by a PIO
 * once both approved; corrected, never silently edited, once published.
 */
export const pressReleasePolicy: Policy<PressReleaseRecord> = {
  'pressRelease.create': (actor, r) => pio(actor, r) || leadCoordinator(actor, r),
  'pressRelease.read': (actor, r) => pio(actor, r) || leadCoordinator(actor, r),
  'pressRelease.update': (actor, r) => r.status === 'draft' && (pio(actor, r) || leadCoordinator(actor, r)),
  'pressRelease.approve': (actor, r) =>
    r.status === 'draft' &&
    ((pio(actor, r) && !r.approvedBy.pio && r.approvedBy.coordinator !== actor.userId) ||
      (leadCoordinator(actor, r) && !r.approvedBy.coordinator && r.approvedBy.pio !== actor.userId)),
  'pressRelease.publish': (actor, r) => r.status === 'draft' && pio(actor, r) && r.approvedBy.pio !== null && r.approvedBy.coordinator !== null,
  'pressRelease.correct': (actor, r) => r.status === 'published' && pio(actor, r),
};
