/** The business campaign's staff API (issue #11) for the dashboard, letters, alerts and landlords: typed calls, keys and query options. */
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type { BusinessStage } from '../../../../common/businesses.ts';
import type {
  BusinessAlertDto,
  BusinessDto,
  BusinessListItem,
  CampaignDashboard,
  LandlordDto,
  LandlordInput,
  LetterBatchDto,
  NoticeLetterDto,
  NoticeTemplateDto,
  landlordContactInput,
  letterDeliveredInput,
  letterSentInput,
  noticeTemplateInput,
} from '../../../../common/schemas/businesses.ts';
import { api } from '../../api/client.ts';

export type { BusinessAlertDto, BusinessDto, BusinessListItem, CampaignDashboard, LandlordDto, LandlordInput, LetterBatchDto, NoticeLetterDto, NoticeTemplateDto };
export type NoticeTemplateInput = z.input<typeof noticeTemplateInput>;
export type LandlordContactInput = z.input<typeof landlordContactInput>;
export type LetterSentInput = z.input<typeof letterSentInput>;
export type LetterDeliveredInput = z.input<typeof letterDeliveredInput>;
export interface LandlordOption {
  id: string;
  label: string;
}

const enc = encodeURIComponent;

/** Where the dashboard's CSV is downloaded from (a plain link: the browser keeps the session cookie). */
export const DASHBOARD_CSV_URL = '/api/businesses/dashboard.csv';

export const campaignApi = {
  dashboard: (signal?: AbortSignal) => api.get<CampaignDashboard>('/api/businesses/dashboard', { signal }),
  businesses: (query: { stage?: BusinessStage; limit?: number; offset?: number }, signal?: AbortSignal) =>
    api.get<{ items: BusinessListItem[]; total: number }>('/api/businesses', { query: { ...query }, signal }),
  business: (id: string, signal?: AbortSignal) => api.get<BusinessDto>(`/api/businesses/${enc(id)}`, { signal }),
  alerts: (signal?: AbortSignal) => api.get<{ items: BusinessAlertDto[] }>('/api/businesses/alerts', { signal }),
  dismissAlert: (id: string, reason: string) => api.post<unknown>(`/api/business-alerts/${enc(id)}/dismiss`, { reason }),
  landlord: (id: string, signal?: AbortSignal) => api.get<LandlordDto>(`/api/landlords/${enc(id)}`, { signal }),
  findLandlords: (name: string, signal?: AbortSignal) => api.get<LandlordOption[]>('/api/landlords', { query: { name }, signal }),
  updateLandlord: (id: string, input: Partial<LandlordInput> & { version: number }) => api.patch<LandlordDto>(`/api/landlords/${enc(id)}`, input),
  addContact: (landlordId: string, input: LandlordContactInput) => api.post<unknown>(`/api/landlords/${enc(landlordId)}/contacts`, input),
  setLandlord: (businessId: string, input: { landlordId?: string; landlord?: LandlordInput; version: number }) =>
    api.put<unknown>(`/api/businesses/${enc(businessId)}/landlord`, input),
  template: (signal?: AbortSignal) => api.get<NoticeTemplateDto>('/api/notice-template', { signal }),
  saveTemplate: (input: NoticeTemplateInput) => api.put<NoticeTemplateDto>('/api/notice-template', input),
  letters: (businessId: string, signal?: AbortSignal) => api.get<{ items: NoticeLetterDto[] }>(`/api/businesses/${enc(businessId)}/letters`, { signal }),
  generateLetter: (businessId: string) => api.post<NoticeLetterDto>(`/api/businesses/${enc(businessId)}/letters`),
  markSent: (letterId: string, input: LetterSentInput) => api.post<unknown>(`/api/letters/${enc(letterId)}/sent`, input),
  markDelivered: (letterId: string, input: LetterDeliveredInput) => api.post<unknown>(`/api/letters/${enc(letterId)}/delivered`, input),
  startBatch: (businessIds: string[]) => api.post<LetterBatchDto>('/api/letters/batch', { businessIds }),
  batch: (id: string, signal?: AbortSignal) => api.get<LetterBatchDto>(`/api/letter-batches/${enc(id)}`, { signal }),
};

export const campaignKeys = {
  dashboard: ['businesses', 'dashboard'] as const,
  alerts: ['businesses', 'alerts'] as const,
  businesses: (stage: BusinessStage | undefined) => ['businesses', 'list', { stage, limit: 200 }] as const,
  business: (id: string) => ['businesses', 'detail', id] as const,
  letters: (businessId: string) => ['businesses', 'detail', businessId, 'letters'] as const,
  landlord: (id: string) => ['landlords', id] as const,
  template: ['notice-template'] as const,
  batch: (id: string) => ['letter-batches', id] as const,
};

export const dashboardQuery = queryOptions({ queryKey: campaignKeys.dashboard, queryFn: ({ signal }) => campaignApi.dashboard(signal) });
export const alertsQuery = queryOptions({ queryKey: campaignKeys.alerts, queryFn: ({ signal }) => campaignApi.alerts(signal) });
export const templateQuery = queryOptions({ queryKey: campaignKeys.template, queryFn: ({ signal }) => campaignApi.template(signal) });
export const landlordQuery = (id: string) => queryOptions({ queryKey: campaignKeys.landlord(id), queryFn: ({ signal }) => campaignApi.landlord(id, signal) });
export const businessQuery = (id: string) => queryOptions({ queryKey: campaignKeys.business(id), queryFn: ({ signal }) => campaignApi.business(id, signal) });
export const lettersQuery = (businessId: string) =>
  queryOptions({ queryKey: campaignKeys.letters(businessId), queryFn: ({ signal }) => campaignApi.letters(businessId, signal) });
/** The businesses at one stage, to choose from for a batch (the list's largest page). */
export const businessesAtStageQuery = (stage: BusinessStage | undefined) =>
  queryOptions({ queryKey: campaignKeys.businesses(stage), queryFn: ({ signal }) => campaignApi.businesses({ ...(stage ? { stage } : {}), limit: 200 }, signal) });

/** How often a running batch is asked for its progress. */
export const BATCH_POLL_MS = 1000;

/** A batch's query: polled until it is done or failed. */
export const batchQuery = (id: string) =>
  queryOptions({
    queryKey: campaignKeys.batch(id),
    queryFn: ({ signal }) => campaignApi.batch(id, signal),
    refetchInterval: (query) => (isBatchFinished(query.state.data) ? false : BATCH_POLL_MS),
  });

export function isBatchFinished(batch: LetterBatchDto | undefined): boolean {
  return batch?.status === 'done' || batch?.status === 'failed';
}
