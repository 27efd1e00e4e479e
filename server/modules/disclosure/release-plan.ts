import type { PressFigure, PressOperation, RecordRules } from './knowledge.ts';
import { ReleaseLayout, type AtomKey, type CellDefinition, type Family, type Quarter } from './statistics.cells.ts';
import { type LedgerIndex, suppressRelease, type ReleaseCell } from './suppression.ts';
import { auditYear, type AuditCell } from './audit.ts';

/**
 * What a new release of the public statistics publishes (docs/disclosure.md): the layout's cells, every
 * count under k hidden, the exact-linear check against every earlier release (suppression.ts), then the
 * auditor (audit.ts), which computes by linear programming the range every hidden count keeps against
 * everything public — every release, every press-release figure, the record rules — and hides more
 * until every protected count keeps its protection interval. Pure: no database, no clock.
 */

export type HiddenReason = 'primary' | 'complementary';

export interface PlannedCell extends ReleaseCell {
  /** Why it is hidden (null when published): under k, or to protect another count. */
  reason: HiddenReason | null;
  /** For a complementary cell hidden by this release: the key (or sum) it protects. */
  protects: string | null;
}

export interface PlanProgress {
  phase: 'layout' | 'linear' | 'audit';
  done: number;
  total: number;
}

export interface AuditSummary {
  /** LP solves run. */
  solves: number;
  /** Protected counts (hidden cells and sums a reader might target) whose range was computed. */
  protectedCounts: number;
  /** The narrowest range left to a protected non-zero count, as [lo, hi] with its true value; null when none. */
  narrowest: { key: string; value: number; lo: number; hi: number } | null;
  /** Counts an earlier release or a press release had already pinned before this release (they cannot be helped). */
  alreadyDisclosed: string[];
}

export interface PlanInput {
  /** True atom counts of every quarter the release covers (absent = 0). */
  counts: ReadonlyMap<AtomKey, number>;
  quarters: readonly Quarter[];
  counties: readonly string[];
  families?: Partial<Record<Family, readonly string[]>>;
  /** Every earlier release, indexed. */
  ledger: LedgerIndex;
  pressOperations: readonly PressOperation[];
  pressFigures: readonly PressFigure[];
  rules: RecordRules;
  k?: number;
  onProgress?: (p: PlanProgress) => void;
}

export interface ReleasePlan {
  cells: PlannedCell[];
  /** The layout's definitions, in the same order (true values). */
  definitions: CellDefinition[];
  audit: AuditSummary;
}

/** Plans a release; throws FrozenValueError / LedgerError as suppressRelease does. */
export async function planRelease(input: PlanInput): Promise<ReleasePlan> {
  const k = input.k ?? 5;
  const layout = new ReleaseLayout({ counts: input.counts, quarters: input.quarters, counties: input.counties, ...(input.families ? { families: input.families } : {}) });
  const definitions = layout.cells();
  const years = [...new Set(input.quarters.map((q) => q.slice(0, 4)))];
  const guards = layout.guards(years);
  input.onProgress?.({ phase: 'linear', done: 0, total: 1 });
  const linear = suppressRelease(definitions, input.ledger, { k, guards });
  input.onProgress?.({ phase: 'linear', done: 1, total: 1 });
  const cells: PlannedCell[] = linear.map((cell, i): PlannedCell => {
    const value = (definitions[i] as CellDefinition).value;
    return { ...cell, reason: cell.suppressed ? (value < k ? 'primary' : 'complementary') : null, protects: null };
  });

  // The audit, year by year (no cell spans two years): only years with new cells can change.
  const index = new Map(cells.map((c, i) => [c.key, i]));
  const auditYears = years.filter((y) => cells.some((c) => !input.ledger.get(c.key) && c.dimensions.period.startsWith(y)));
  const summary: AuditSummary = { solves: 0, protectedCounts: 0, narrowest: null, alreadyDisclosed: [] };
  let offset = 0;
  const totals = new Map<string, number>();
  for (const year of auditYears) {
    const auditCells = yearCells(year, cells, definitions, input.ledger, input.counts);
    const result = await auditYear({
      year,
      cells: auditCells,
      counts: input.counts,
      counties: input.counties,
      pressOperations: input.pressOperations.filter((op) => op.quarter.startsWith(year)),
      pressFigures: input.pressFigures.filter((f) => f.quarter.startsWith(year)),
      rules: input.rules,
      k,
      suppress: true,
      onProgress: (done, total) => {
        totals.set(year, total);
        const all = [...totals.values()].reduce((a, b) => a + b, 0);
        input.onProgress?.({ phase: 'audit', done: offset + done, total: Math.max(all, offset + done) });
      },
    });
    offset += totals.get(year) ?? 0;
    for (const h of result.hidden) {
      const i = index.get(h.key);
      if (i === undefined) throw new Error(`the audit hid ${h.key}, which is not a cell of this release`);
      cells[i] = { ...(cells[i] as PlannedCell), suppressed: true, value: null, reason: 'complementary', protects: h.protects };
    }
    summary.solves += result.solves;
    summary.protectedCounts += result.ranges.length;
    summary.alreadyDisclosed.push(...result.alreadyDisclosed.map((a) => a.key));
    for (const r of result.ranges) {
      if (r.value === 0 && r.lo === 0 && r.hi >= k - 1) continue;
      const width = r.hi - r.lo;
      const best = summary.narrowest;
      if (!best || width < best.hi - best.lo) summary.narrowest = { key: r.key, value: r.value, lo: r.lo, hi: r.hi };
    }
  }
  return { cells, definitions, audit: summary };
}

/** Every distinct cell of a year: the ledger's (as published) and this release's new ones (hideable while shown). */
function yearCells(year: string, cells: readonly PlannedCell[], definitions: readonly CellDefinition[], ledger: LedgerIndex, counts: ReadonlyMap<AtomKey, number>): AuditCell[] {
  const truth = (atoms: readonly string[]) => atoms.reduce((n, a) => n + (counts.get(a) ?? 0), 0);
  const out: AuditCell[] = ledger.year(year).map((e) => ({ key: e.cell.key, family: e.cell.family, dimensions: e.cell.dimensions, atoms: e.cell.atoms, published: e.published, value: truth(e.cell.atoms), hideable: false }));
  cells.forEach((c, i) => {
    if (!c.dimensions.period.startsWith(year) || ledger.get(c.key)) return;
    const d = definitions[i] as CellDefinition;
    out.push({ key: c.key, family: c.family, dimensions: c.dimensions, atoms: c.atoms, published: !c.suppressed, value: d.value, hideable: true });
  });
  return out;
}

export interface PressCheckInput {
  counts: ReadonlyMap<AtomKey, number>;
  counties: readonly string[];
  ledger: LedgerIndex;
  /** Press releases already published. */
  pressOperations: readonly PressOperation[];
  pressFigures: readonly PressFigure[];
  /** The draft's operation and figures. */
  candidate: { operation: PressOperation; figures: readonly Omit<PressFigure, 'release'>[] };
  rules: RecordRules;
  k?: number;
}

/** A protected count that a press-release figure would disclose, with the range it would be left. */
export interface PressDisclosure {
  key: string;
  lo: number;
  hi: number;
  /** Indexes into `candidate.figures` of the figures that, added alone, already disclose it (may be empty when only together). */
  figures: number[];
}

/**
 * What publishing the candidate press release would disclose of the statistics already out (empty:
 * nothing): the protected counts of its operation's year that keep their interval without it and lose it
 * with it, each with the figures that, added alone, already break it.
 */
export async function pressFiguresDisclose(input: PressCheckInput): Promise<PressDisclosure[]> {
  const k = input.k ?? 5;
  const { operation } = input.candidate;
  const year = operation.quarter.slice(0, 4);
  const truth = (atoms: readonly string[]) => atoms.reduce((n, a) => n + (input.counts.get(a) ?? 0), 0);
  const cells: AuditCell[] = input.ledger.year(year).map((e) => ({ key: e.cell.key, family: e.cell.family, dimensions: e.cell.dimensions, atoms: e.cell.atoms, published: e.published, value: truth(e.cell.atoms), hideable: false }));
  if (!cells.length) return [];
  const inYear = <T extends { quarter: string }>(xs: readonly T[]) => xs.filter((x) => x.quarter.startsWith(year));
  const others = inYear(input.pressOperations).filter((op) => op.operation !== operation.operation);
  const known = inYear(input.pressFigures);
  const audit = (figures: readonly Omit<PressFigure, 'release'>[], withOperation: boolean) =>
    auditYear({
      year,
      cells,
      counts: input.counts,
      counties: input.counties,
      pressOperations: withOperation || input.pressOperations.some((op) => op.operation === operation.operation) ? [...others, operation] : others,
      pressFigures: [...known, ...figures],
      rules: input.rules,
      k,
      suppress: false,
      // The same protected counts with and without the draft: its county is told apart in both.
      splitCounties: [operation.county],
    });
  const own = input.candidate.figures.map((f) => ({ ...f, operation: operation.operation, county: operation.county, quarter: operation.quarter }));
  const before = new Set((await audit([], false)).alreadyDisclosed.map((d) => d.key));
  const after = (await audit(own, true)).alreadyDisclosed.filter((d) => !before.has(d.key));
  if (!after.length) return [];
  const alone = await Promise.all(own.map(async (f) => new Set((await audit([f], true)).alreadyDisclosed.map((d) => d.key))));
  return after.map((d) => ({ key: d.key, lo: d.lo, hi: d.hi, figures: alone.flatMap((keys, i) => (keys.has(d.key) && !before.has(d.key) ? [i] : [])) }));
}

export interface LedgerAuditInput {
  counts: ReadonlyMap<AtomKey, number>;
  counties: readonly string[];
  ledger: LedgerIndex;
  years: readonly string[];
  pressOperations: readonly PressOperation[];
  pressFigures: readonly PressFigure[];
  rules: RecordRules;
  k?: number;
}

/** Audits every year of the ledger as published, hiding nothing: what the releases already out leave to a reader. */
export async function auditLedger(input: LedgerAuditInput): Promise<AuditSummary> {
  const k = input.k ?? 5;
  const summary: AuditSummary = { solves: 0, protectedCounts: 0, narrowest: null, alreadyDisclosed: [] };
  const truth = (atoms: readonly string[]) => atoms.reduce((n, a) => n + (input.counts.get(a) ?? 0), 0);
  for (const year of input.years) {
    const cells: AuditCell[] = input.ledger.year(year).map((e) => ({ key: e.cell.key, family: e.cell.family, dimensions: e.cell.dimensions, atoms: e.cell.atoms, published: e.published, value: truth(e.cell.atoms), hideable: false }));
    if (!cells.length) continue;
    const inYear = <T extends { quarter: string }>(xs: readonly T[]) => xs.filter((x) => x.quarter.startsWith(year));
    const result = await auditYear({ year, cells, counts: input.counts, counties: input.counties, pressOperations: inYear(input.pressOperations), pressFigures: inYear(input.pressFigures), rules: input.rules, k, suppress: false });
    summary.solves += result.solves;
    summary.protectedCounts += result.ranges.length;
    summary.alreadyDisclosed.push(...result.alreadyDisclosed.map((a) => a.key));
    for (const r of result.ranges) {
      const best = summary.narrowest;
      if (!best || r.hi - r.lo < best.hi - best.lo) summary.narrowest = { key: r.key, value: r.value, lo: r.lo, hi: r.hi };
    }
  }
  return summary;
}
