/** The staff tip API (issue #10): typed calls, query keys and options, kept with the feature. */
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type { TipCloseReason, TipStatus } from '../../../../common/tips.ts';
import type { staffTipInput, tipDto, tipList, tipListItem } from '../../../../common/schemas/tips.ts';
import { api } from '../../api/client.ts';

export type TipDto = z.infer<typeof tipDto>;
export type TipListItem = z.infer<typeof tipListItem>;
export type TipList = z.infer<typeof tipList>;
export type StaffTipInput = z.input<typeof staffTipInput>;

/** `GET /api/tips/counties`: visible tips by county, for the queue's map. */
export interface TipCountyCount {
  countyFips: string;
  countyName?: string;
  count: number;
  urgentOpen: number;
}

/** The queue's filter as the API takes it (`from`/`to` are instants). */
export interface TipFilter {
  agency?: string;
  county?: string;
  status?: TipStatus;
  urgent?: 'true';
  from?: string;
  to?: string;
  assigned?: 'me';
  limit?: number;
  offset?: number;
}

const enc = encodeURIComponent;

export const tipsApi = {
  list: (filter: TipFilter, signal?: AbortSignal) => api.get<TipList>('/api/tips', { query: { ...filter }, signal }),
  counties: (filter: TipFilter, signal?: AbortSignal) => api.get<TipCountyCount[] | { counties: TipCountyCount[] }>('/api/tips/counties', { query: { ...filter }, signal }),
  get: (id: string, signal?: AbortSignal) => api.get<TipDto>(`/api/tips/${enc(id)}`, { signal }),
  create: (input: StaffTipInput) => api.post<{ id: string; receipt: string }>('/api/tips', input),
  assignees: (id: string, signal?: AbortSignal) => api.get<{ assignees: { id: string; name: string }[] }>(`/api/tips/${enc(id)}/assignees`, { signal }),
  assign: (id: string, userId: string, version: number) => api.post<TipDto>(`/api/tips/${enc(id)}/assign`, { userId, version }),
  setStatus: (id: string, status: TipStatus, version: number, reason?: TipCloseReason) =>
    api.post<TipDto>(`/api/tips/${enc(id)}/status`, { status, version, ...(reason ? { reason } : {}) }),
  message: (id: string, body: string) => api.post<unknown>(`/api/tips/${enc(id)}/messages`, { body }),
  reroute: (id: string, agencyId: string, reason: string, version: number) => api.post<unknown>(`/api/tips/${enc(id)}/reroute`, { agencyId, reason, version }),
  share: (id: string, agencyId: string, reason: string) => api.post<unknown>(`/api/tips/${enc(id)}/share`, { agencyId, reason }),
};

export const tipKeys = {
  all: ['tips'] as const,
  list: (filter: TipFilter) => ['tips', 'list', filter] as const,
  counties: (filter: TipFilter) => ['tips', 'counties', filter] as const,
  detail: (id: string) => ['tips', 'detail', id] as const,
  assignees: (id: string) => ['tips', 'assignees', id] as const,
};

export const tipListQuery = (filter: TipFilter) =>
  queryOptions({
    queryKey: tipKeys.list(filter),
    queryFn: ({ signal }) => tipsApi.list(filter, signal),
    placeholderData: (previous) => previous,
  });

/**
 * The map's counts under the queue's other filters (the county is what the map spreads out, and it is
 * not paged); the answer is a bare list (or `{counties}`), read as a list either way.
 */
export const tipCountiesQuery = ({ county: _county, limit: _limit, offset: _offset, ...filter }: TipFilter) =>
  queryOptions({
    queryKey: tipKeys.counties(filter),
    queryFn: async ({ signal }): Promise<TipCountyCount[]> => {
      const answer = await tipsApi.counties(filter, signal);
      return Array.isArray(answer) ? answer : answer.counties;
    },
    placeholderData: (previous) => previous,
  });

export const tipQuery = (id: string) =>
  queryOptions({
    queryKey: tipKeys.detail(id),
    queryFn: ({ signal }) => tipsApi.get(id, signal),
  });
