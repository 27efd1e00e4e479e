import type { Selectable } from 'kysely';

/** A periodic job's lease (migration 0019). */
export interface JobLeaseTable {
  name: string;
  holder: string;
  expires_at: string;
  version: number;
}
export type JobLeaseRow = Selectable<JobLeaseTable>;

/** A create's idempotency key and its recorded reply (migration 0020). */
export interface IdempotencyKeyTable {
  id: string;
  scope: string;
  key: string;
  request_hash: string;
  status: number | null;
  /** Sealed JSON. */
  response: string | null;
  /** JSON {action, recordId}. */
  created_record: string | null;
  created_at: string;
}
export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;
