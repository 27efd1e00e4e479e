/** The advocates' compartment's API (issue #12): typed calls, query keys and options, kept with the feature. */
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AddClientDocumentInput,
  ClientDocumentDto,
  ClientDto,
  ClientServiceInput,
  ClientSummaryDto,
  CreateClientInput,
  CreateReleaseInput,
  CreateShareInput,
  ReleaseDto,
  RevokeReleaseInput,
  SharedExtractDto,
  UpdateClientInput,
  receivedReleaseDto,
} from '../../../../common/schemas/clients.ts';
import { api } from '../../api/client.ts';

export type { AddClientDocumentInput, ClientDocumentDto, ClientDto, ClientServiceInput, ClientSummaryDto, CreateClientInput, CreateReleaseInput, CreateShareInput, ReleaseDto, RevokeReleaseInput, SharedExtractDto, UpdateClientInput };
export type ReceivedReleaseDto = z.infer<typeof receivedReleaseDto>;

const enc = encodeURIComponent;

export const clientsApi = {
  list: (signal?: AbortSignal) => api.get<{ clients: ClientSummaryDto[] }>('/api/clients', { signal }),
  get: (id: string, signal?: AbortSignal) => api.get<ClientDto>(`/api/clients/${enc(id)}`, { signal }),
  create: (input: CreateClientInput) => api.post<ClientDto>('/api/clients', input),
  update: (id: string, input: UpdateClientInput) => api.patch<ClientDto>(`/api/clients/${enc(id)}`, input),
  addService: (id: string, input: ClientServiceInput) => api.post<ClientDto>(`/api/clients/${enc(id)}/services`, input),
  addNote: (id: string, text: string) => api.post<ClientDto>(`/api/clients/${enc(id)}/notes`, { text }),
  addDocument: (id: string, input: AddClientDocumentInput) => api.post<ClientDocumentDto>(`/api/clients/${enc(id)}/documents`, input),
  assign: (id: string, userId: string) => api.post<ClientDto>(`/api/clients/${enc(id)}/assignments`, { userId }),
  unassign: (id: string, userId: string) => api.delete<ClientDto>(`/api/clients/${enc(id)}/assignments/${enc(userId)}`),
  createRelease: (id: string, input: CreateReleaseInput) => api.post<ReleaseDto>(`/api/clients/${enc(id)}/releases`, input),
  revokeRelease: (releaseId: string, input: RevokeReleaseInput) => api.post<ReleaseDto>(`/api/releases/${enc(releaseId)}/revoke`, input),
  share: (releaseId: string, input: NonNullable<CreateShareInput>) => api.post<ReleaseDto>(`/api/releases/${enc(releaseId)}/shares`, input),
};

/** A document's download address (the browser saves it; the server audits the read). */
export const documentUrl = (clientId: string, documentId: string) => `/api/clients/${enc(clientId)}/documents/${enc(documentId)}`;

export const sharedReleasesApi = {
  list: (signal?: AbortSignal) => api.get<{ releases: ReceivedReleaseDto[] }>('/api/releases', { signal }),
  read: (releaseId: string, signal?: AbortSignal) => api.get<SharedExtractDto>(`/api/releases/${enc(releaseId)}/shared`, { signal }),
};

export const clientKeys = {
  all: ['clients'] as const,
  list: ['clients', 'list'] as const,
  detail: (id: string) => ['clients', 'detail', id] as const,
  receivedAll: ['received-releases'] as const,
  received: ['received-releases', 'list'] as const,
  shared: (releaseId: string) => ['received-releases', 'shared', releaseId] as const,
};

export const clientListQuery = queryOptions({ queryKey: clientKeys.list, queryFn: ({ signal }) => clientsApi.list(signal) });
export const clientQuery = (id: string) => queryOptions({ queryKey: clientKeys.detail(id), queryFn: ({ signal }) => clientsApi.get(id, signal) });
export const receivedReleasesQuery = queryOptions({ queryKey: clientKeys.received, queryFn: ({ signal }) => sharedReleasesApi.list(signal) });
/** Every read goes to the server (the release is checked at that moment): no cache between visits, no retry of a 404. */
export const sharedExtractQuery = (releaseId: string) =>
  queryOptions({ queryKey: clientKeys.shared(releaseId), queryFn: ({ signal }) => sharedReleasesApi.read(releaseId, signal), staleTime: 0, gcTime: 0, retry: false });
