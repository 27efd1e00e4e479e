import type { Policy } from '../../auth/policy.ts';
import { policyOf } from '../../auth/access.ts';
import { operationAccess, type OperationRecord } from './operations.access.ts';

export type { OperationRecord };

export { TASK_FORCE_READERS } from '../../auth/access.ts';

/** The operations rules, each declared with its SQL form in `operations.access.ts`. */
export const operationPolicy: Policy<OperationRecord> = policyOf(operationAccess.grants);
