import { OPERATION_STATUSES, type OperationStatus } from '../../../../common/operations.ts';
import type { OperationFilter } from '../../api/endpoints.ts';

/**
 * The operations list's filter, kept in the URL (`/operations?status=draft&q=oak&from=2026-06-01`):
 * status, part of the name, a range of days (local dates, both ends included), an agency taking part
 * and a county.
 */
export interface OperationsSearch {
  status?: OperationStatus;
  q?: string;
  from?: string;
  to?: string;
  agency?: string;
  county?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The router reads `county=29095` as a number: accept either.
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

export function validateOperationsSearch(search: Record<string, unknown>): OperationsSearch {
  const status = OPERATION_STATUSES.find((s) => s === search.status);
  const q = str(search.q).slice(0, 100);
  const from = str(search.from);
  const to = str(search.to);
  const agency = str(search.agency);
  const county = str(search.county);
  return {
    ...(status ? { status } : {}),
    ...(q ? { q } : {}),
    ...(DATE.test(from) ? { from } : {}),
    ...(DATE.test(to) ? { to } : {}),
    ...(UUID.test(agency) ? { agency } : {}),
    ...(/^\d{5}$/.test(county) ? { county } : {}),
  };
}

/** Local midnight of a YYYY-MM-DD date, as an instant. */
const startOfDay = (date: string) => new Date(`${date}T00:00:00`);

/**
 * What the API is asked for: the range of local days becomes a window of instants, from the first
 * day's midnight to the midnight after the last day (so "to" includes that day).
 */
export function operationFilterOf(search: OperationsSearch): OperationFilter {
  const to = search.to ? startOfDay(search.to) : undefined;
  if (to) to.setDate(to.getDate() + 1);
  return {
    ...(search.status ? { status: search.status } : {}),
    ...(search.q ? { q: search.q } : {}),
    ...(search.from ? { from: startOfDay(search.from).toISOString() } : {}),
    ...(to ? { to: to.toISOString() } : {}),
    ...(search.agency ? { agencyId: search.agency } : {}),
    ...(search.county ? { county: search.county } : {}),
  };
}

/** The CSV export of the same filter (`GET /api/operations.csv`). */
export function operationsCsvHref(search: OperationsSearch): string {
  const params = new URLSearchParams(Object.entries(operationFilterOf(search)).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const qs = params.toString();
  return `/api/operations.csv${qs ? `?${qs}` : ''}`;
}
