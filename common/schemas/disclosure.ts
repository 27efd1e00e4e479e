import { z } from 'zod';
import { LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX } from '../limits.ts';
import { abilities, id, requiredText, text } from './shared.ts';

export const language = z.enum(['en', 'es'], { message: 'must be en or es' });

export const guardProblem = z.object({
  code: z.enum(['identifying', 'staff_text', 'figure', 'hold', 'statistics']),
  /** For `identifying`: what the words give (a name, a phone number, a child's age…), so a phone number is not called a name. */
  kind: z.enum(['name', 'alias', 'phone', 'address', 'plate', 'dob', 'business', 'handle', 'age']).optional(),
  message: z.string(),
  excerpt: z.string(),
  /** Where in `field` the offending words are. */
  field: z.string(),
  start: z.number(),
  end: z.number(),
});
export type GuardProblemDto = z.infer<typeof guardProblem>;

export const draftPressReleaseInput = z.object({ datelineCity: text(80).optional() }).nullish();

export const updatePressReleaseInput = z
  .object({
    titleEn: requiredText(300),
    bodyEn: requiredText(LONG_TEXT_MAX),
    titleEs: requiredText(300),
    bodyEs: requiredText(LONG_TEXT_MAX),
    quoteEn: text(SHORT_TEXT_MAX).nullable(),
    quoteEs: text(SHORT_TEXT_MAX).nullable(),
    quoteBy: text(NAME_MAX).nullable(),
    version: z.number().int().min(1),
  })
  .partial()
  .refine((v) => Object.keys(v).some((k) => k !== 'version'), { message: 'at least one field is required' });
export type UpdatePressReleaseInput = z.infer<typeof updatePressReleaseInput>;

export const correctPressReleaseInput = z.object({
  noteEn: requiredText(SHORT_TEXT_MAX),
  noteEs: requiredText(SHORT_TEXT_MAX).optional(),
  titleEn: requiredText(300).optional(),
  bodyEn: requiredText(LONG_TEXT_MAX).optional(),
  titleEs: requiredText(300).optional(),
  bodyEs: requiredText(LONG_TEXT_MAX).optional(),
});
export type CorrectPressReleaseInput = z.infer<typeof correctPressReleaseInput>;

export const approveInput = z.object({ as: z.enum(['pio', 'coordinator']).optional() }).nullish();

export const pressReleaseDto = z.object({
  id,
  operationId: id,
  operationName: z.string(),
  status: z.enum(['draft', 'published']),
  slug: z.string().nullable(),
  en: z.object({ title: z.string(), body: z.string(), quote: z.string().nullable() }),
  es: z.object({ title: z.string(), body: z.string(), quote: z.string().nullable() }),
  quoteBy: z.string().nullable(),
  investigationHold: z.boolean(),
  approvals: z.array(z.object({ kind: z.enum(['pio', 'coordinator']), userName: z.string(), approvedAt: z.string(), current: z.boolean() })),
  /** What the guards found in the current text: empty when it may go to approval. */
  problems: z.array(guardProblem),
  corrections: z.array(z.object({ noteEn: z.string(), noteEs: z.string(), correctedAt: z.string() })),
  publishedAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities,
});
export type PressReleaseDto = z.infer<typeof pressReleaseDto>;

export const pressReleaseSummaryDto = pressReleaseDto.pick({ id: true, operationId: true, operationName: true, status: true, slug: true, publishedAt: true, updatedAt: true }).extend({ title: z.string() });

/** The public shape (contract): plain text, one language. */
export const publicPressReleaseDto = z.object({
  slug: z.string(),
  title: z.string(),
  body: z.string(),
  language: language,
  publishedAt: z.string(),
  corrections: z.array(z.object({ note: z.string(), correctedAt: z.string() })),
});
export type PublicPressReleaseDto = z.infer<typeof publicPressReleaseDto>;

export const hotlineDto = z.object({
  phone: z.string(),
  text: z.string(),
});
export const updateHotlineInput = z.object({
  phone: z.string().trim().regex(/^1?-?\d{3}-\d{3}-\d{4}$/, { message: 'must be a phone number like 1-888-373-7888' }),
  text: z.string().trim().regex(/^\d{3,8}$/, { message: 'must be a short code like 233733' }),
});
