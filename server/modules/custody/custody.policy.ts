import type { Policy } from '../../auth/policy.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';

/** What a rule needs to know about a custody hand-off (already known to be visible to the actor). */
export interface CustodyRecord {
  id: string;
  /** The operation's lead agency, which took the child into custody. */
  agencyId: string;
  /** The child-welfare agency receiving the child. */
  toAgencyId: string;
  /** The actor belongs to the lead agency and is assigned to the operation. */
  ownerAssigned: boolean;
  received: boolean;
}

/** DESIGN.md §3: a custody hand-off is granted to the receiving child-welfare agency — its caseworkers. */
export const receivingCaseworker = (actor: Actor, h: Pick<CustodyRecord, 'toAgencyId'>) => hasRole(actor, 'caseworker') && actor.agencyId === h.toAgencyId;

export const custodyPolicy: Policy<CustodyRecord> = {
  /**
   * A child's record is sealed (DESIGN.md §3, issue #3 item 5): the owning agency's assigned users and
   * the receiving caseworkers, no one else — not the task force's coordinators, analysts or PIOs.
   */
  'custody.read': (actor, h) => h.ownerAssigned || receivingCaseworker(actor, h),
  /**
   * Notification times, parent-notification attempts and the written statement (RSMo 210.125): the
   * owning agency's assigned officers and coordinators. The statement may be filed after the operation
   * closes (its 12 hours run on), so the operation's state does not matter here.
   */
  'custody.update': (actor, h) => h.ownerAssigned && hasRole(actor, 'officer', 'coordinator'),
  /** The caseworker's receipt is recorded by the receiving agency itself, once. */
  'custody.receive': (actor, h) => receivingCaseworker(actor, h) && !h.received,
};
