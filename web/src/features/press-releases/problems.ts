import type { GuardProblemDto } from '../../api/types.ts';

/** The release's text fields, in the order a reader meets them (English first). */
export const TEXT_FIELDS = ['titleEn', 'bodyEn', 'quoteEn', 'titleEs', 'bodyEs', 'quoteEs', 'quoteBy'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export const isTextField = (field: string): field is TextField => (TEXT_FIELDS as readonly string[]).includes(field);

/** The guard codes from the most serious (what identifies a person) down, as the server orders them. */
export const PROBLEM_CODES = ['identifying', 'staff_text', 'hold', 'statistics', 'figure'] as const;

/**
 * One finding per passage: the guards report every recorded value a passage matches ("Sunny", "Sunny
 * Example", an alias…), so a finding whose span lies within another of the same kind in the same field
 * says nothing more and is left out (of identical ones, the first is kept).
 */
export function distinctProblems(problems: readonly GuardProblemDto[]): GuardProblemDto[] {
  return problems.filter((p, i) =>
    !problems.some((q, j) => {
      if (j === i || q.field !== p.field || q.code !== p.code || q.start > p.start || q.end < p.end) return false;
      const same = q.start === p.start && q.end === p.end;
      return !same || j < i;
    }),
  );
}

/** Problems grouped by the field they are in, each group in text order; unknown fields are left out. */
export function problemsByField(problems: readonly GuardProblemDto[]): Map<TextField, GuardProblemDto[]> {
  const out = new Map<TextField, GuardProblemDto[]>();
  for (const p of distinctProblems(problems)) {
    if (!isTextField(p.field)) continue;
    const list = out.get(p.field) ?? [];
    list.push(p);
    out.set(p.field, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

/** Problems in reading order: field by field, then by place in the field. */
export function inReadingOrder(problems: readonly GuardProblemDto[]): GuardProblemDto[] {
  const byField = problemsByField(problems);
  return TEXT_FIELDS.flatMap((f) => byField.get(f) ?? []);
}

/** Where in the page a problem is described: the field's findings, then the item. */
export const findingsId = (field: string) => `findings-${field}`;
export const findingId = (field: string, index: number) => `finding-${field}-${index}`;

export interface Span {
  start: number;
  end: number;
}

/**
 * Where a problem's words are in `text`. The offsets are the server's (UTF-16, like JavaScript's
 * strings) into the text it checked; when that text is not quite `text` any more, the excerpt is
 * looked for nearest the old place. Null when the words cannot be found.
 */
export function locate(text: string, problem: Pick<GuardProblemDto, 'start' | 'end' | 'excerpt'>): Span | null {
  const { start, end, excerpt } = problem;
  const valid = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length;
  if (valid && (!excerpt || text.slice(start, end) === excerpt)) return { start, end };
  if (excerpt) {
    let best: number | null = null;
    for (let at = text.indexOf(excerpt); at !== -1; at = text.indexOf(excerpt, at + 1)) {
      if (best === null || Math.abs(at - start) < Math.abs(best - start)) best = at;
    }
    if (best !== null) return { start: best, end: best + excerpt.length };
  }
  return null;
}

export interface Segment {
  text: string;
  /** Indexes (into the problems given) of the problems this stretch belongs to; empty for plain text. */
  problems: number[];
}

/**
 * Cuts `text` into plain stretches and flagged ones. Overlapping spans become one flagged stretch that
 * names every problem in it, so no word is marked twice and nothing is lost or repeated: joining the
 * segments gives back `text` exactly.
 */
export function segments(text: string, problems: readonly Pick<GuardProblemDto, 'start' | 'end' | 'excerpt'>[]): Segment[] {
  const spans = problems
    .map((p, index) => ({ span: locate(text, p), index }))
    .filter((s): s is { span: Span; index: number } => s.span !== null)
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);

  const merged: { start: number; end: number; problems: number[] }[] = [];
  for (const { span, index } of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      last.problems.push(index);
    } else {
      merged.push({ start: span.start, end: span.end, problems: [index] });
    }
  }

  const out: Segment[] = [];
  let at = 0;
  for (const m of merged) {
    if (m.start > at) out.push({ text: text.slice(at, m.start), problems: [] });
    out.push({ text: text.slice(m.start, m.end), problems: m.problems });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), problems: [] });
  return out;
}

/** The problems of a refused request (`422 guard_failed`, `error.details`), when they are there and well formed. */
export function problemsOf(details: unknown): GuardProblemDto[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is GuardProblemDto =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as GuardProblemDto).code === 'string' &&
      typeof (d as GuardProblemDto).field === 'string' &&
      typeof (d as GuardProblemDto).excerpt === 'string' &&
      typeof (d as GuardProblemDto).message === 'string' &&
      typeof (d as GuardProblemDto).start === 'number' &&
      typeof (d as GuardProblemDto).end === 'number',
  );
}
