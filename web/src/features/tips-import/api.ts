/** The hotline import's API (issue #10, item 4): typed from the shared schemas. */
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ImportJobDto, ImportMapping, ImportPreview } from '../../../../common/schemas/tips-import.ts';

export type { ImportJobDto, ImportMapping, ImportPreview };

/** How often a running import's progress is asked for. */
export const IMPORT_POLL_MS = 1000;

const enc = encodeURIComponent;

export const tipImport = {
  preview: (csv: string, mapping?: ImportMapping) => api.post<ImportPreview>('/api/tips/import/preview', mapping ? { csv, mapping } : { csv }),
  start: (csv: string, mapping: ImportMapping) => api.post<{ jobId: string }>('/api/tips/import', { csv, mapping }),
  job: (id: string, signal?: AbortSignal) => api.get<ImportJobDto>(`/api/tips/import/${enc(id)}`, { signal }),
  rejectedCsvUrl: (id: string) => `/api/tips/import/${enc(id)}/rejected.csv`,
};

export const importJobQuery = (id: string) =>
  queryOptions({
    queryKey: ['tipImportJob', id] as const,
    queryFn: ({ signal }) => tipImport.job(id, signal),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? IMPORT_POLL_MS : false),
  });
