import type { AuditSearch } from '../../api/types.ts';

const FIELDS = ['userId', 'recordType', 'recordId', 'action', 'from', 'to'] as const;

/** The audit search from the URL: known keys, non-empty strings, nothing else. */
export function validateAuditSearch(search: Record<string, unknown>): AuditSearch {
  const out: AuditSearch = {};
  for (const field of FIELDS) {
    const value = search[field];
    if (typeof value === 'string' && value.trim() && value.length <= 200) out[field] = value.trim();
  }
  return out;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
