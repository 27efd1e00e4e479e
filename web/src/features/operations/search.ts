import { OPERATION_STATUSES, type OperationStatus } from '../../../../common/operations.ts';

/** The operations list's filter, kept in the URL (`/operations?status=draft&q=oak`). */
export interface OperationsSearch {
  status?: OperationStatus;
  q?: string;
}

export function validateOperationsSearch(search: Record<string, unknown>): OperationsSearch {
  const status = OPERATION_STATUSES.find((s) => s === search.status);
  return {
    ...(status ? { status } : {}),
    ...(typeof search.q === 'string' && search.q.trim() ? { q: search.q.trim().slice(0, 100) } : {}),
  };
}
