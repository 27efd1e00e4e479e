import { queryOptions } from '@tanstack/react-query';
import { SITE_MARK_MAX_CHARS, siteMark, updateSiteInput, type SiteDto, type UpdateSiteInput } from '../../../../common/schemas/site.ts';
import { api } from '../../api/client.ts';

/** `GET|PUT /api/settings/site`: the task force's name and mark on the public site. */
export const siteApi = {
  get: (signal?: AbortSignal) => api.get<SiteDto>('/api/settings/site', { signal }),
  put: (input: UpdateSiteInput) => api.put<SiteDto>('/api/settings/site', input),
};

export const siteQuery = queryOptions({ queryKey: ['settings', 'site'] as const, queryFn: ({ signal }) => siteApi.get(signal) });

export type SiteProblem = 'name.en' | 'name.es' | 'mark';

/** The form's checks, with the server's own schema (common/schemas/site.ts), so each message shows beside its field at once. */
export function checkSite(input: UpdateSiteInput): SiteProblem[] {
  const out: SiteProblem[] = [];
  if (!updateSiteInput.shape.name.shape.en.safeParse(input.name.en).success) out.push('name.en');
  if (!updateSiteInput.shape.name.shape.es.safeParse(input.name.es).success) out.push('name.es');
  if (input.mark !== null && !siteMark.safeParse(input.mark).success) out.push('mark');
  return out;
}

/** The types of image a mark may be. */
export const MARK_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;

/** A chosen file as the data: URL the server keeps, or why it cannot be a mark. */
export async function markFromFile(file: File): Promise<{ mark: string } | { problem: 'type' | 'size' }> {
  if (!(MARK_TYPES as readonly string[]).includes(file.type)) return { problem: 'type' };
  // base64 grows a file by a third; the prefix is short.
  if (Math.ceil(file.size / 3) * 4 + 40 > SITE_MARK_MAX_CHARS) return { problem: 'size' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return { mark: `data:${file.type};base64,${btoa(binary)}` };
}
