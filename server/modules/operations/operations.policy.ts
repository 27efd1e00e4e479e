import type { Policy } from '../../auth/policy.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import type { OperationStatus } from '../../../common/operations.ts';

/** What a rule needs to know about an operation (already known to be visible to the actor). */
export interface OperationRecord {
  id: string;
  /** The lead agency, owner of the operation and of everything recorded in it. */
  agencyId: string;
  taskForceId: string;
  status: OperationStatus;
  /** Whether the actor is assigned to the operation (its briefing and field log are theirs). */
  assigned: boolean;
  commanderUserId: string | null;
}

/** Roles that see a task force's operations by membership alone (DESIGN.md §3). Officers need an assignment. */
export const TASK_FORCE_READERS = ['coordinator', 'analyst', 'pio'] as const;

const leadCoordinator = (actor: Actor, op: OperationRecord) => hasRole(actor, 'coordinator') && actor.agencyId === op.agencyId;
const planning = (op: OperationRecord) => op.status === 'draft' || op.status === 'approved';

export const operationPolicy: Policy<OperationRecord> = {
  /** Planning an operation: a coordinator, for a task force their agency belongs to (the record is the plan-to-be). */
  'operation.create': (actor, op) => hasRole(actor, 'coordinator') && actor.taskForceIds.includes(op.taskForceId) && op.agencyId === actor.agencyId,
  'operation.read': (actor, op) => op.assigned || (hasRole(actor, ...TASK_FORCE_READERS) && actor.taskForceIds.includes(op.taskForceId)),
  'operation.update': (actor, op) => leadCoordinator(actor, op) && planning(op),
  'operation.assign': (actor, op) => leadCoordinator(actor, op) && op.status !== 'closed',
  /** Approval is a coordinator's act (issue #3: draft → approved by a coordinator). */
  'operation.approve': (actor, op) => leadCoordinator(actor, op) && op.status === 'draft',
  /** The lead's coordinators, or the on-scene commander while assigned (issue #7, finding 6). */
  'operation.activate': (actor, op) => (leadCoordinator(actor, op) || (op.commanderUserId === actor.userId && op.assigned)) && op.status === 'approved',
  'operation.close': (actor, op) => leadCoordinator(actor, op) && op.status === 'active',
  /** A closed operation is read-only but for corrections with a reason, by the lead's coordinators. */
  'operation.correct': (actor, op) => leadCoordinator(actor, op) && op.status === 'closed',
  /** The briefing is for those assigned to the operation, and no one else. */
  'operation.readBriefing': (_actor, op) => op.assigned,
  'operation.resolveConflict': (actor, op) => leadCoordinator(actor, op) && op.status !== 'closed',
  'operation.waive': (actor, op) => leadCoordinator(actor, op) && op.status === 'approved',
  /** Officers record contacts only in operations they are assigned to (issue #3), while it runs. */
  'operation.recordContact': (actor, op) => op.assigned && hasRole(actor, 'officer', 'coordinator') && op.status === 'active',
  /** Person-level records: the assigned, and the lead agency's coordinators and analysts. */
  'operation.readContacts': (actor, op) => op.assigned || (actor.agencyId === op.agencyId && hasRole(actor, 'coordinator', 'analyst')),
  /** Counts, never persons: anyone who may see the operation. */
  'operation.readOutcome': (actor, op) => op.assigned || (hasRole(actor, ...TASK_FORCE_READERS) && actor.taskForceIds.includes(op.taskForceId)),
};
