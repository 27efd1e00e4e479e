import { TIP_STATUSES, type TipStatus } from '../../../../common/tips.ts';
import type { TipFilter } from './api.ts';

/**
 * The tip queue's filter, kept in the URL (`/tip-queue?county=29095&urgent=true&from=2026-06-01`):
 * the agency holding the tip, a county, a state, urgent only, a range of days received (local dates,
 * both ends included), mine only, and the page.
 */
export interface TipQueueSearch {
  agency?: string;
  county?: string;
  status?: TipStatus;
  urgent?: true;
  from?: string;
  to?: string;
  mine?: true;
  page?: number;
}

/** Rows per page of the queue. */
export const TIP_PAGE_SIZE = 25;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The router reads `county=29095` and `page=2` as numbers, `urgent=true` as a boolean: accept either.
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
const yes = (v: unknown) => v === true || v === 'true';

export function validateTipQueueSearch(search: Record<string, unknown>): TipQueueSearch {
  const status = TIP_STATUSES.find((s) => s === search.status);
  const agency = str(search.agency);
  const county = str(search.county);
  const from = str(search.from);
  const to = str(search.to);
  const page = Number(str(search.page));
  return {
    ...(UUID.test(agency) ? { agency } : {}),
    ...(/^\d{5}$/.test(county) ? { county } : {}),
    ...(status ? { status } : {}),
    ...(yes(search.urgent) ? { urgent: true as const } : {}),
    ...(DATE.test(from) ? { from } : {}),
    ...(DATE.test(to) ? { to } : {}),
    ...(yes(search.mine) ? { mine: true as const } : {}),
    ...(Number.isInteger(page) && page > 1 && page <= 10_000 ? { page } : {}),
  };
}

/** True when anything narrows the queue (the empty state then says so). */
export function isFiltered(search: TipQueueSearch): boolean {
  return Boolean(search.agency || search.county || search.status || search.urgent || search.from || search.to || search.mine);
}

/** Local midnight of a YYYY-MM-DD date, as an instant. */
const startOfDay = (date: string) => new Date(`${date}T00:00:00`);

/**
 * What the API is asked for: the range of local days becomes a window of instants, from the first
 * day's midnight to the midnight after the last day (so "to" includes that day).
 */
export function tipFilterOf(search: TipQueueSearch): TipFilter {
  const to = search.to ? startOfDay(search.to) : undefined;
  if (to) to.setDate(to.getDate() + 1);
  const page = search.page ?? 1;
  return {
    ...(search.agency ? { agency: search.agency } : {}),
    ...(search.county ? { county: search.county } : {}),
    ...(search.status ? { status: search.status } : {}),
    ...(search.urgent ? { urgent: 'true' as const } : {}),
    ...(search.from ? { from: startOfDay(search.from).toISOString() } : {}),
    ...(to ? { to: to.toISOString() } : {}),
    ...(search.mine ? { assigned: 'me' as const } : {}),
    limit: TIP_PAGE_SIZE,
    ...(page > 1 ? { offset: (page - 1) * TIP_PAGE_SIZE } : {}),
  };
}
