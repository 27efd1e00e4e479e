/** The business registry's API (issue #11): typed calls, query keys and options, kept with the feature. */
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type { BusinessStage } from '../../../../common/businesses.ts';
import type {
  businessEvents,
  businessList,
  businessNetwork,
  indicatorDto,
  indicatorInput,
  indicatorList,
  newBusinessInput,
  stageChanged,
  updateBusinessInput,
} from '../../../../common/schemas/businesses.ts';
import type { BusinessDto, BusinessFactInput, BusinessListItem, BusinessOperatorInput, BusinessScore } from '../../../../common/schemas/businesses.ts';
import { api } from '../../api/client.ts';

export type { BusinessDto, BusinessFactInput, BusinessListItem, BusinessOperatorInput, BusinessScore };
export type BusinessList = z.infer<typeof businessList>;
export type NewBusinessInput = z.input<typeof newBusinessInput>;
export type IndicatorInput = z.input<typeof indicatorInput>;
export type IndicatorDto = z.infer<typeof indicatorDto>;
export type IndicatorList = z.infer<typeof indicatorList>;
export type BusinessEvents = z.infer<typeof businessEvents>;
export type BusinessEvent = BusinessEvents['items'][number];
export type BusinessNetwork = z.infer<typeof businessNetwork>;
export type StageChanged = z.infer<typeof stageChanged>;
/** A correction of the name, hours or license facts: only what changed, with its source and the version read. */
export type UpdateBusinessInput = z.input<typeof updateBusinessInput>;
export type BusinessLicense = BusinessDto['license'];

/** The registry's filter as the API takes it. */
export interface BusinessFilter {
  stage?: BusinessStage;
  countyFips?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export interface StageChange {
  to: BusinessStage;
  outcome?: string;
  note?: string;
  version: number;
}

const enc = encodeURIComponent;

export const businessesApi = {
  list: (filter: BusinessFilter, signal?: AbortSignal) => api.get<BusinessList>('/api/businesses', { query: { ...filter }, signal }),
  get: (id: string, signal?: AbortSignal) => api.get<BusinessDto>(`/api/businesses/${enc(id)}`, { signal }),
  create: (input: NewBusinessInput) => api.post<BusinessDto>('/api/businesses', input),
  update: (id: string, input: UpdateBusinessInput) => api.patch<BusinessDto>(`/api/businesses/${enc(id)}`, input),
  addFact: (id: string, input: BusinessFactInput) => api.post<BusinessDto>(`/api/businesses/${enc(id)}/facts`, input),
  addOperator: (id: string, input: BusinessOperatorInput) => api.post<BusinessDto>(`/api/businesses/${enc(id)}/operators`, input),
  network: (id: string, signal?: AbortSignal) => api.get<BusinessNetwork>(`/api/businesses/${enc(id)}/network`, { signal }),
  indicators: (id: string, signal?: AbortSignal) => api.get<IndicatorList>(`/api/businesses/${enc(id)}/indicators`, { signal }),
  addIndicator: (id: string, input: IndicatorInput) => api.post<IndicatorDto>(`/api/businesses/${enc(id)}/indicators`, input),
  verifyIndicator: (id: string, version: number) => api.post<IndicatorDto>(`/api/business-indicators/${enc(id)}/verify`, { version }),
  withdrawIndicator: (id: string, reason: string, version: number) => api.post<IndicatorDto>(`/api/business-indicators/${enc(id)}/withdraw`, { reason, version }),
  events: (id: string, signal?: AbortSignal) => api.get<BusinessEvents>(`/api/businesses/${enc(id)}/events`, { signal }),
  changeStage: (id: string, change: StageChange) => api.post<StageChanged>(`/api/businesses/${enc(id)}/stage`, change),
  clear: (id: string, reason: string, version: number) => api.post<StageChanged>(`/api/businesses/${enc(id)}/clear`, { reason, version }),
};

/** Where an attachment is downloaded from (the server checks the reader may see the business). */
export const attachmentUrl = (id: string) => `/api/business-attachments/${enc(id)}`;

export const businessKeys = {
  all: ['businesses'] as const,
  list: (filter: BusinessFilter) => ['businesses', 'list', filter] as const,
  detail: (id: string) => ['businesses', 'detail', id] as const,
  addFact: (id: string, input: BusinessFactInput) => api.post<BusinessDto>(`/api/businesses/${enc(id)}/facts`, input),
  addOperator: (id: string, input: BusinessOperatorInput) => api.post<BusinessDto>(`/api/businesses/${enc(id)}/operators`, input),
  network: (id: string) => ['businesses', 'network', id] as const,
  indicators: (id: string) => ['businesses', 'indicators', id] as const,
  events: (id: string) => ['businesses', 'events', id] as const,
};

export const businessListQuery = (filter: BusinessFilter) =>
  queryOptions({
    queryKey: businessKeys.list(filter),
    queryFn: ({ signal }) => businessesApi.list(filter, signal),
    placeholderData: (previous) => previous,
  });

export const businessQuery = (id: string) => queryOptions({ queryKey: businessKeys.detail(id), queryFn: ({ signal }) => businessesApi.get(id, signal) });
export const businessNetworkQuery = (id: string) => queryOptions({ queryKey: businessKeys.network(id), queryFn: ({ signal }) => businessesApi.network(id, signal) });
export const indicatorsQuery = (id: string) => queryOptions({ queryKey: businessKeys.indicators(id), queryFn: ({ signal }) => businessesApi.indicators(id, signal) });
export const businessEventsQuery = (id: string) => queryOptions({ queryKey: businessKeys.events(id), queryFn: ({ signal }) => businessesApi.events(id, signal) });
