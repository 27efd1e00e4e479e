import { z } from 'zod';
import { identifierKind } from './tips.ts';

/** `GET /api/identifiers/search?value=`: a phone, email, plate or handle, as typed. */
export const identifierSearchQuery = z.object({
  value: z
    .string({ message: 'is required' })
    .trim()
    .min(2, { message: 'must be at least 2 characters' })
    .max(300, { message: 'must be at most 300 characters' }),
});
export type IdentifierSearchQuery = z.infer<typeof identifierSearchQuery>;

/** A record sharing the value that the searcher may see, with the kinds it matched as (never the value). */
export const identifierSearchResult = z.object({
  recordType: z.enum(['tip', 'operation', 'business', 'release']),
  recordId: z.string(),
  /** "Tip received <date>", the operation's or business's name, or "Shared by <agency> (release)". */
  label: z.string(),
  kinds: z.array(identifierKind),
});
export type IdentifierSearchResult = z.infer<typeof identifierSearchResult>;

export const identifierSearchResponse = z.object({ results: z.array(identifierSearchResult) });
export type IdentifierSearchResponse = z.infer<typeof identifierSearchResponse>;
