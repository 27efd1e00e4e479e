/** The identifier search's API (GET /api/identifiers/search): a typed call and its query, kept with the feature. */
import { queryOptions } from '@tanstack/react-query';
import type { IdentifierSearchResponse, IdentifierSearchResult } from '../../../../common/schemas/identifiers.ts';
import { api } from '../../api/client.ts';

export type { IdentifierSearchResponse, IdentifierSearchResult };

export const searchKeys = {
  all: ['identifier-search'] as const,
  results: (value: string) => ['identifier-search', 'results', value] as const,
  /** The value last searched, kept in memory only, so coming back from a result shows the same list. */
  last: ['identifier-search', 'last'] as const,
};

export const identifierSearchApi = {
  search: (value: string, signal?: AbortSignal) => api.get<IdentifierSearchResponse>('/api/identifiers/search', { query: { value }, signal }),
};

/** Each search goes to the server (it is audited, and what the searcher may see can change): no cache between searches. */
export const identifierSearchQuery = (value: string) =>
  queryOptions({ queryKey: searchKeys.results(value), queryFn: ({ signal }) => identifierSearchApi.search(value, signal), staleTime: 0, gcTime: 60_000, retry: false });
