import { LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import type { PressReleaseDto, UpdatePressReleaseInput } from '../../api/types.ts';
import { TEXT_FIELDS, type TextField } from './problems.ts';

/** The editor's fields as typed (an empty quote is ''). */
export type ReleaseDraft = Record<TextField, string>;

export function draftFromRelease(r: Pick<PressReleaseDto, 'en' | 'es' | 'quoteBy'>): ReleaseDraft {
  return {
    titleEn: r.en.title,
    bodyEn: r.en.body,
    quoteEn: r.en.quote ?? '',
    titleEs: r.es.title,
    bodyEs: r.es.body,
    quoteEs: r.es.quote ?? '',
    quoteBy: r.quoteBy ?? '',
  };
}

/** Limits of `updatePressReleaseInput` (common/schemas/disclosure.ts). */
export const MAX_LENGTH: Record<TextField, number> = {
  titleEn: 300,
  bodyEn: LONG_TEXT_MAX,
  quoteEn: SHORT_TEXT_MAX,
  titleEs: 300,
  bodyEs: LONG_TEXT_MAX,
  quoteEs: SHORT_TEXT_MAX,
  quoteBy: NAME_MAX,
};

export const REQUIRED: ReadonlySet<TextField> = new Set(['titleEn', 'bodyEn', 'titleEs', 'bodyEs']);
const NULLABLE: ReadonlySet<TextField> = new Set(['quoteEn', 'quoteEs', 'quoteBy']);

/**
 * The PATCH body: only the fields that changed (the server trims, so surrounding spaces are no
 * change), a cleared quote as null, and the version the edit started from. Empty when nothing changed.
 */
export function releaseChanges(saved: ReleaseDraft, draft: ReleaseDraft): Partial<Record<TextField, string | null>> {
  const out: Partial<Record<TextField, string | null>> = {};
  for (const f of TEXT_FIELDS) {
    if (draft[f].trim() === saved[f].trim()) continue;
    out[f] = NULLABLE.has(f) && !draft[f].trim() ? null : draft[f];
  }
  return out;
}

export function updateInput(saved: ReleaseDraft, draft: ReleaseDraft, version: number): UpdatePressReleaseInput {
  return { ...releaseChanges(saved, draft), version } as UpdatePressReleaseInput;
}

/** Fields left empty that may not be. */
export function missingFields(draft: ReleaseDraft): TextField[] {
  return TEXT_FIELDS.filter((f) => REQUIRED.has(f) && !draft[f].trim());
}
