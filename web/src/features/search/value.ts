import { identifierSearchQuery } from '../../../../common/schemas/identifiers.ts';

export type SearchValueProblem = 'required' | 'short' | 'long';

/**
 * Whether a typed value may be searched, by the server's own rule (common/schemas/identifiers.ts), so the
 * message beside the field comes before a round trip; null when it may.
 */
export function checkSearchValue(value: string): SearchValueProblem | null {
  if (identifierSearchQuery.shape.value.safeParse(value).success) return null;
  const trimmed = value.trim();
  return trimmed === '' ? 'required' : trimmed.length < 2 ? 'short' : 'long';
}
