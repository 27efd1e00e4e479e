/** Pure helpers of the campaign pages (issue #11): the map's classes, the funnel, merge fields, batch progress. */
import { BUSINESS_STAGES, LETTER_MERGE_FIELDS, type BusinessStage } from '../../../../common/businesses.ts';

/** Classes of business counts on the county map, light to dark (the tip map's fills: `.lantern-tip-fill--<key>`). */
export const CAMPAIGN_MAP_CLASSES: readonly { key: string; from: number; to: number | null }[] = [
  { key: '0', from: 0, to: 0 },
  { key: '1', from: 1, to: 1 },
  { key: '2', from: 2, to: 3 },
  { key: '3', from: 4, to: 6 },
  { key: '4', from: 7, to: 10 },
  { key: '5', from: 11, to: null },
];

/** The class a county's count falls in. */
export function campaignMapClass(count: number): string {
  for (let i = CAMPAIGN_MAP_CLASSES.length - 1; i >= 0; i--) if (count >= CAMPAIGN_MAP_CLASSES[i]!.from) return CAMPAIGN_MAP_CLASSES[i]!.key;
  return '0';
}

export interface FunnelRow {
  stage: BusinessStage;
  reached: number;
  /** Share of the first stage's businesses that reached this one, in whole percent (null when the first is 0). */
  percent: number | null;
}

/** The funnel in the pipeline's order (whatever order the server sent), each stage as a share of the first. */
export function funnelRows(funnel: readonly { stage: BusinessStage; reached: number }[]): FunnelRow[] {
  const order = (s: BusinessStage) => BUSINESS_STAGES.indexOf(s);
  const sorted = [...funnel].sort((a, b) => order(a.stage) - order(b.stage));
  const first = sorted[0]?.reached ?? 0;
  return sorted.map((r) => ({ stage: r.stage, reached: r.reached, percent: first > 0 ? Math.round((r.reached / first) * 100) : null }));
}

/** A rate 0–1 as whole percent ("53%"); null → undefined (nothing to say yet). */
export function percentOf(rate: number | null | undefined): string | undefined {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return undefined;
  return `${Math.round(rate * 100)}%`;
}

/** The stages in the pipeline's order with their counts (0 for a stage the server left out). */
export function stageCounts(byStage: Partial<Record<BusinessStage, number>>): { stage: BusinessStage; count: number }[] {
  return BUSINESS_STAGES.map((stage) => ({ stage, count: byStage[stage] ?? 0 }));
}

/** `{{owner}}`: how a merge field is written in the template. */
export const mergeToken = (field: string) => `{{${field}}}`;

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The merge fields a template's text uses, in order of first use. */
export function mergeFieldsUsed(text: string): string[] {
  const seen: string[] = [];
  for (const m of text.matchAll(TOKEN)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
  return seen;
}

/** The fields a template uses that are not merge fields (the server refuses them; the editor says so first). */
export function unknownMergeFields(text: string, known: readonly string[] = LETTER_MERGE_FIELDS): string[] {
  return mergeFieldsUsed(text).filter((f) => !known.includes(f));
}

/** The text with a merge field put in place of the selection, and where the caret goes after it. */
export function insertMergeField(text: string, start: number, end: number, field: string): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  const token = mergeToken(field);
  return { text: text.slice(0, from) + token + text.slice(to), caret: from + token.length };
}

/** A batch's progress in whole percent (0 before it knows its size). */
export function batchPercent(batch: { processed: number; total: number }): number {
  if (batch.total <= 0) return 0;
  return Math.min(100, Math.round((batch.processed / batch.total) * 100));
}

/** Today in the user's time zone as YYYY-MM-DD (for a date input's default). */
export function todayInput(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * A date input's day as an instant (a day, not a time, is what staff know of a mailing): today is now — a
 * letter drafted this evening and mailed today is not "sent before it was drafted", nor sent in the
 * future this morning — and another day is that day's local noon.
 */
export function dayToInstant(day: string, now: Date = new Date()): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  if (day === todayInput(now)) return now.toISOString();
  const d = new Date(`${day}T12:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The template's fields, as the API names them. */
export const TEMPLATE_FIELDS = ['title', 'body', 'legalBasis', 'responseDays'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/**
 * The template field a server error names: `body`, `body.body` and `/body` are the letter's text (the
 * shared error placement reads `body` as the request's container, so the template places its own).
 */
export function templateErrorField(field: string | undefined): TemplateField | undefined {
  if (!field) return undefined;
  const last = field.split(/[./]/).filter(Boolean).pop();
  return (TEMPLATE_FIELDS as readonly string[]).includes(last ?? '') ? (last as TemplateField) : undefined;
}
