import type { CellDefinition, CellDimensions } from './statistics.cells.ts';
import { BIGINT_RING, Echelon, ExactOverflow, NUMBER_RING, type Ring } from './exact-echelon.ts';

/**
 * Primary and complementary suppression of a public-statistics release against the ledger of every
 * earlier release (docs/disclosure.md, "Primary and complementary suppression"; DESIGN.md §4).
 *
 * The attacker holds every release ever published and adds and subtracts their cells. A hidden count is
 * disclosed exactly when its vector of atoms is a linear combination of the vectors of published cells,
 * so this module keeps, per (family, year) group, an exact echelon basis of every published vector of
 * the ledger and of the new release (exact-echelon.ts), and hides more cells of the new release until no
 * protected vector lies in the span. Pure: no database, no clock.
 */

export interface ReleaseCell extends Omit<CellDefinition, 'value'> {
  suppressed: boolean;
  /** null when suppressed. */
  value: number | null;
}

/** Earlier releases, oldest first, each exactly as it was published. */
export type Ledger = readonly (readonly ReleaseCell[])[];

export interface SuppressOptions {
  /** Counts under k (0 … k − 1) are primary-suppressed. */
  k?: number;
  /**
   * Sums the release does not show but that subtraction could reveal (statistics.cells.ts,
   * `ReleaseLayout.guards`): the change of a year-to-date count between two releases, a county's count in
   * one quarter. Those under k must stay impossible to work out, exactly like a hidden cell. Only the
   * guards of (family, year) groups with new cells are used; passing the others does no harm.
   */
  guards?: readonly CellDefinition[];
  /** Tests and measurements only: skip the double-precision ring and compute in BigInt from the start. */
  arithmetic?: 'auto' | 'bigint';
}

/** A published count changed under the same definition: a frozen quarter was edited. */
export class FrozenValueError extends Error {
  override name = 'FrozenValueError';
}

/** The ledger contradicts itself or already discloses a protected count: no new release can repair that. */
export class LedgerError extends Error {
  override name = 'LedgerError';
}

export interface LedgerEntry {
  cell: ReleaseCell;
  group: string;
  published: boolean;
}

/** A vector of one group: a published cell (member of the basis) or a protected sum (target). */
interface GroupVector {
  key: string;
  atoms: readonly string[];
  /** Index into the new release, for new cells that may be hidden; −1 otherwise. */
  release: number;
  value: number | null;
}

/**
 * Decides which cells of a new release are published. Returns the new cells in their order, each with
 * `suppressed` and `value` (null when suppressed):
 * - every count under k is suppressed (primary);
 * - a cell suppressed in any earlier release stays suppressed; a cell published earlier keeps its
 *   value (a different value throws {@link FrozenValueError});
 * - then, per (family, year), while the published cells of all releases (this one included) determine
 *   any suppressed cell of any release, or any guard under k, one more cell of this release is hidden:
 *   one that takes part in the combination that determines it — if possible one that every such
 *   combination needs, so that hiding it alone protects the target — the least aggregated and then the
 *   smallest first. A cell hidden this way is protected in its turn. Cells are never un-hidden.
 *
 * Pass the earlier releases as arrays, or as a {@link LedgerIndex} kept up to date release by release.
 */
export function suppressRelease(newCells: readonly CellDefinition[], ledger: Ledger | LedgerIndex, options: SuppressOptions = {}): ReleaseCell[] {
  const k = options.k ?? 5;
  const guards = options.guards ?? [];
  const known = ledger instanceof LedgerIndex ? ledger : LedgerIndex.of(ledger);

  const keys = new Set<string>();
  const groups = new Map<string, { members: GroupVector[]; targets: GroupVector[]; changed: boolean }>();
  const groupOf = (name: string) => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { members: [], targets: [], changed: false }));
    return g;
  };

  const result: ReleaseCell[] = newCells.map((cell, index) => {
    if (keys.has(cell.key)) throw new Error(`cell ${cell.key} appears twice in the release`);
    keys.add(cell.key);
    if (!Number.isSafeInteger(cell.value) || cell.value < 0) throw new Error(`cell ${cell.key}: value must be a non-negative integer`);
    const earlier = known.get(cell.key);
    if (earlier) {
      if (!sameAtoms(earlier.cell.atoms, cell.atoms)) throw new LedgerError(`cell ${cell.key} has a different definition than in an earlier release`);
      if (earlier.published && earlier.cell.value !== cell.value) {
        throw new FrozenValueError(`cell ${cell.key} was published as ${earlier.cell.value} and is now ${cell.value}: a frozen quarter changed`);
      }
      // An earlier key is already in the ledger's part of its group: published or protected there.
      return { ...cell, suppressed: !earlier.published, value: earlier.published ? cell.value : null };
    }
    const g = groupOf(checkedGroup(cell));
    g.changed = true;
    const vector: GroupVector = { key: cell.key, atoms: cell.atoms, release: index, value: cell.value };
    if (cell.value < k) {
      g.targets.push(vector);
      return { ...cell, suppressed: true, value: null };
    }
    g.members.push(vector);
    return { ...cell, suppressed: false, value: cell.value };
  });

  for (const guard of guards) {
    const earlier = known.get(guard.key);
    if (earlier?.published && earlier.cell.value !== guard.value) {
      throw new FrozenValueError(`sum ${guard.key} was published as ${earlier.cell.value} and is now ${guard.value}: a frozen quarter changed`);
    }
    // A guard the ledger already has is published (so at least k) or already protected there.
    if (guard.value >= k || keys.has(guard.key) || earlier) continue;
    const g = groups.get(nominalGroup(guard));
    if (!g?.changed) continue;
    keys.add(guard.key);
    checkedGroup(guard);
    g.targets.push({ key: guard.key, atoms: guard.atoms, release: -1, value: guard.value });
  }

  // A group with no new key shows the same published span and protects the same sums as when the
  // previous release was checked: it needs no work.
  for (const [name, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!g.changed) continue;
    const earlier = known.group(name);
    const base = earlier.filter((e) => e.published).map((e): GroupVector => ({ key: e.cell.key, atoms: e.cell.atoms, release: -1, value: e.cell.value }));
    const targets = [...earlier.filter((e) => !e.published).map((e): GroupVector => ({ key: e.cell.key, atoms: e.cell.atoms, release: -1, value: null })), ...g.targets];
    targets.sort((a, b) => (a.key < b.key ? -1 : 1));
    const candidates = g.members.sort((a, b) => hidePreference(newCells, a, b));

    const hidden = protectGroup(name, base, candidates, targets, options.arithmetic ?? 'auto');
    for (const index of hidden) {
      const cell = result[index] as ReleaseCell;
      result[index] = { ...cell, suppressed: true, value: null };
    }
  }
  return result;
}

/**
 * The new cells (release indexes) that must be hidden in one group. `base` (the ledger's published cells)
 * goes first into the basis, then the candidates in the order they would preferably be hidden. The first
 * rows never change; hiding a candidate drops its row and the rows after it and inserts the remaining
 * candidates again.
 */
function protectGroup(name: string, base: GroupVector[], candidates: GroupVector[], targets: GroupVector[], arithmetic: 'auto' | 'bigint'): number[] {
  if (arithmetic === 'auto') {
    try {
      return protectGroupIn(NUMBER_RING, name, base, candidates, targets);
    } catch (err) {
      if (!(err instanceof ExactOverflow)) throw err;
    }
  }
  return protectGroupIn(BIGINT_RING, name, base, candidates, targets);
}

function protectGroupIn<T>(ring: Ring<T>, name: string, base: GroupVector[], candidates: GroupVector[], targets: GroupVector[]): number[] {
  const columns = new Map<string, number>();
  const vectorOf = (atoms: readonly string[]) => {
    const cols = new Int32Array(atoms.length);
    atoms.forEach((a, i) => {
      let c = columns.get(a);
      if (c === undefined) columns.set(a, (c = columns.size));
      cols[i] = c;
    });
    cols.sort();
    for (let i = 1; i < cols.length; i++) if (cols[i] === cols[i - 1]) throw new Error(`${name}: a cell lists an atom twice`);
    return cols;
  };
  // Members 0 … base.length − 1 are the ledger's; the candidates follow in hiding order.
  const members = [...base, ...candidates];
  const memberCols = members.map((m) => vectorOf(m.atoms));
  const targetCols = targets.map((t) => vectorOf(t.atoms));
  const basis = new Echelon(ring, columns.size, members.length);

  for (let m = 0; m < base.length; m++) basis.insert(m, memberCols[m] as Int32Array);
  targets.forEach((t, i) => {
    if (basis.explain(targetCols[i] as Int32Array)) {
      throw new LedgerError(`${name}: earlier releases already determine the protected sum ${t.key}`);
    }
  });

  const hidden = new Set<number>();
  const insertFrom = (first: number) => {
    for (let m = first; m < members.length; m++) if (!hidden.has(m)) basis.insert(m, memberCols[m] as Int32Array);
  };
  insertFrom(base.length);

  // A hidden cell is protected like any other: once hidden it joins the queue of targets. Hiding only
  // ever shrinks the span, so a target once safe stays safe and each needs checking until it is.
  const queue = targets.map((t, i) => ({ key: t.key, cols: targetCols[i] as Int32Array }));
  for (let q = 0; q < queue.length; q++) {
    const t = queue[q] as { key: string; cols: Int32Array };
    for (;;) {
      const support = basis.explain(t.cols);
      if (!support) break;
      // Members come in hiding-preference order, so the first that qualifies is the one to hide: first
      // one that every combination producing the target needs (hiding it alone protects the target), else
      // any cell of this release in the combination found.
      const ours = support.filter((m) => m >= base.length);
      const pick = ours.find((m) => !basis.isRedundant(m)) ?? ours[0];
      if (pick === undefined) throw new LedgerError(`${name}: earlier releases already determine ${t.key}`);
      hidden.add(pick);
      basis.truncateFrom(pick);
      insertFrom(pick + 1);
      queue.push({ key: (members[pick] as GroupVector).key, cols: memberCols[pick] as Int32Array });
    }
  }

  // Defence in depth: the final published span determines nothing that is protected.
  for (const t of queue) if (basis.explain(t.cols)) throw new Error(`${name}: ${t.key} is still determined after suppression`);
  return [...hidden].map((m) => (members[m] as GroupVector).release);
}

/** Hide first the least aggregated cells (fewest `all`/year dimensions), then the smallest, then by key. */
function hidePreference(cells: readonly CellDefinition[], a: GroupVector, b: GroupVector): number {
  const da = (cells[a.release] as CellDefinition).dimensions;
  const db = (cells[b.release] as CellDefinition).dimensions;
  return aggregation(da) - aggregation(db) || (a.value as number) - (b.value as number) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function aggregation(d: CellDimensions): number {
  return (d.county === 'all' ? 1 : 0) + (d.category === 'all' ? 1 : 0) + (d.periodType === 'year' ? 1 : 0);
}

/**
 * Every key of the ledger once, with its definition and whether it was published, by (family, year)
 * group. A key published in one release and suppressed in another, or published with two values, is a
 * broken ledger. Build it once and {@link LedgerIndex.add} each release as it is published to spare a new
 * release the reading of every earlier one.
 */
export class LedgerIndex {
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly groups = new Map<string, LedgerEntry[]>();
  private releases = 0;

  static of(ledger: Ledger): LedgerIndex {
    const index = new LedgerIndex();
    for (const release of ledger) index.add(release);
    return index;
  }

  add(release: readonly ReleaseCell[]): this {
    const r = this.releases++;
    for (const cell of release) {
      const published = !cell.suppressed;
      if (published !== (cell.value !== null)) throw new LedgerError(`release ${r}: cell ${cell.key} has suppressed=${cell.suppressed} but value ${cell.value}`);
      const entry = this.entries.get(cell.key);
      if (!entry) {
        const added = { cell, group: checkedGroup(cell), published };
        this.entries.set(cell.key, added);
        const list = this.groups.get(added.group);
        if (list) list.push(added);
        else this.groups.set(added.group, [added]);
        continue;
      }
      if (entry.published !== published) throw new LedgerError(`cell ${cell.key} is published in one release and suppressed in another`);
      if (entry.cell.value !== cell.value) throw new FrozenValueError(`cell ${cell.key} was published as ${entry.cell.value} and later as ${cell.value}`);
      if (entry.cell.atoms !== cell.atoms && entry.cell.atoms.length !== cell.atoms.length) throw new LedgerError(`cell ${cell.key} changed definition between releases`);
    }
    return this;
  }

  /** Every entry of one year, all families, in key order. */
  year(year: string): LedgerEntry[] {
    const out: LedgerEntry[] = [];
    for (const [name, list] of this.groups) if (name.endsWith(`:${year}`)) out.push(...list);
    return out.sort((a, b) => (a.cell.key < b.cell.key ? -1 : 1));
  }

  get(key: string): LedgerEntry | undefined {
    return this.entries.get(key);
  }

  /** The group's entries, sorted by key. */
  group(name: string): LedgerEntry[] {
    return [...(this.groups.get(name) ?? [])].sort((a, b) => (a.cell.key < b.cell.key ? -1 : 1));
  }
}

type Grouped = Pick<CellDefinition, 'key' | 'family' | 'dimensions' | 'atoms'>;

/** The (family, year) group a cell's dimensions name. */
function nominalGroup(cell: Grouped): string {
  return `${cell.family}:${cell.dimensions.period.slice(0, 4)}`;
}

/** The (family, year) group of a cell, asserting that every atom belongs to it. */
function checkedGroup(cell: Grouped): string {
  const family = `${cell.family}|`;
  const year = cell.dimensions.period.slice(0, 4);
  if (cell.atoms.length === 0) throw new Error(`cell ${cell.key} sums no atoms`);
  for (const atom of cell.atoms) {
    // An atom key ends with its quarter, `2020Q4`.
    if (!atom.startsWith(family) || !atom.startsWith(year, atom.length - 6)) {
      throw new Error(`cell ${cell.key} spans more than one family or year (atom ${atom}): groups would not be independent`);
    }
  }
  return nominalGroup(cell);
}

function sameAtoms(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  if (a.every((x, i) => x === b[i])) return true;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}
