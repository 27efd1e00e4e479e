import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import type { OperationStatus } from '../../../common/operations.ts';
import { operationAccess } from './operations.access.ts';

export { TASK_FORCE_READERS } from '../../auth/access.ts';

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

/** The operations rules, each declared with its SQL form in `operations.access.ts`. */
export const operationPolicy: Policy<OperationRecord> = policyOf(operationAccess.grants);
