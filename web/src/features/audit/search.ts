import type { AuditSearch } from '../../api/types.ts';

const FIELDS = ['userId', 'person', 'recordType', 'recordId', 'action', 'from', 'to'] as const;

/** The audit search from the URL: known keys, non-empty strings, nothing else. */
export function validateAuditSearch(search: Record<string, unknown>): AuditSearch {
  const out: AuditSearch = {};
  for (const field of FIELDS) {
    const value = search[field];
    if (typeof value === 'string' && value.trim() && value.length <= 200) out[field] = value.trim();
  }
  return out;
}


const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as the user's local calendar day ("2026-12-04"), for a date input; '' if none. */
export function isoToLocalDay(value: string | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The user's local day ("2026-12-04") as the instants that bound it: its first millisecond, or its last
 * (the next local midnight less one), so a search "from" and "to" the same day covers that whole day
 * where the user is, daylight-saving days included.
 */
export function localDayBound(day: string, end: 'start' | 'end'): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const start = new Date(y, mo, d);
  if (Number.isNaN(start.getTime()) || start.getMonth() !== mo) return undefined;
  return end === 'start' ? start.toISOString() : new Date(new Date(y, mo, d + 1).getTime() - 1).toISOString();
}

const auditTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'long' });

/** An audit time in the user's time zone, to the second, with the zone's name ("Dec 4, 2026, 3:05:12 PM CST"). */
export function formatAuditTime(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : auditTime.format(d);
}
