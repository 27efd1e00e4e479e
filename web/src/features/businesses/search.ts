import { BUSINESS_STAGES, type BusinessStage } from '../../../../common/businesses.ts';
import type { BusinessFilter } from './api.ts';

/** The registry's filter, kept in the URL (`/businesses?stage=verified&county=29095&q=lotus&page=2`). */
export interface BusinessesSearch {
  stage?: BusinessStage;
  county?: string;
  q?: string;
  page?: number;
}

/** Rows per page of the registry. */
export const BUSINESS_PAGE_SIZE = 25;

// The router reads `county=29095` and `page=2` as numbers: accept either.
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

export function validateBusinessesSearch(search: Record<string, unknown>): BusinessesSearch {
  const stage = BUSINESS_STAGES.find((s) => s === search.stage);
  const county = str(search.county);
  const q = str(search.q).slice(0, 100);
  const page = Number(str(search.page));
  return {
    ...(stage ? { stage } : {}),
    ...(/^\d{5}$/.test(county) ? { county } : {}),
    ...(q ? { q } : {}),
    ...(Number.isInteger(page) && page > 1 && page <= 10_000 ? { page } : {}),
  };
}

/** True when anything narrows the list (the empty state then says so). */
export function isFiltered(search: BusinessesSearch): boolean {
  return Boolean(search.stage || search.county || search.q);
}

/** What the API is asked for. */
export function businessFilterOf(search: BusinessesSearch): BusinessFilter {
  const page = search.page ?? 1;
  return {
    ...(search.stage ? { stage: search.stage } : {}),
    ...(search.county ? { countyFips: search.county } : {}),
    ...(search.q ? { q: search.q } : {}),
    limit: BUSINESS_PAGE_SIZE,
    ...(page > 1 ? { offset: (page - 1) * BUSINESS_PAGE_SIZE } : {}),
  };
}
