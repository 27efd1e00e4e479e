/**
 * The exact-linear attacker of docs/disclosure.md, for the tests of suppression.ts: it holds every
 * published release and works out what it can by adding and subtracting published cells. (attacker.ts is
 * the stronger one, by linear programming over everything public: non-negativity, record rules, press
 * figures.)
 *
 * It is written apart from suppression.ts on purpose, so that a test is not the implementation grading
 * itself: it shares no code with it (it even parses atom keys itself), it solves for the coefficients
 * instead of testing membership in a span, it works on the transposed system (one equation per atom,
 * one unknown coefficient per published cell) by Gauss–Jordan elimination on BigInt rationals, it groups
 * by connected atoms rather than by family and year, and it chooses its own targets: every suppressed cell
 * of any release, plus every "natural" sum it can name from the atoms it sees — a county or the state, a
 * category or all, over any run of consecutive quarters of a year. A natural sum it can work out and that
 * comes to less than k is a disclosure just like a hidden cell (DESIGN.md §4: a count that moves from 20 to
 * 21 has revealed a count of 1).
 */

export interface AttackCell {
  key: string;
  atoms: readonly string[];
  suppressed: boolean;
  value: number | null;
}

export interface Recovered {
  /** The suppressed cell's key, or `sum:<county>/<category>/<from>-<through>` for a natural sum. */
  key: string;
  kind: 'suppressed' | 'natural-sum';
  atoms: readonly string[];
  value: number;
  /** The published cells combined, with their coefficients (num/den). */
  combination: { key: string; coefficient: string }[];
}

interface Target {
  key: string;
  kind: Recovered['kind'];
  atoms: readonly string[];
}

/**
 * Everything the releases give away: every suppressed cell whose value follows from published cells, and
 * every natural sum under k that does. Suppressed cells are reported whatever their value.
 */
export function attack(releases: readonly (readonly AttackCell[])[], options: { k?: number } = {}): Recovered[] {
  const k = BigInt(options.k ?? 5);
  const published = new Map<string, AttackCell>();
  const suppressed = new Map<string, AttackCell>();
  for (const release of releases) {
    for (const cell of release) (cell.suppressed ? suppressed : published).set(cell.key, cell);
  }

  const recovered: Recovered[] = [];
  const targets: Target[] = [];
  for (const [key, cell] of suppressed) {
    const shown = published.get(key);
    if (shown) recovered.push({ key, kind: 'suppressed', atoms: cell.atoms, value: shown.value as number, combination: [{ key, coefficient: '1' }] });
    else targets.push({ key, kind: 'suppressed', atoms: cell.atoms });
  }
  // A natural sum that is also a cell (same atoms) is that cell: published, or a suppressed target already.
  const signature = (atoms: readonly string[]) => [...atoms].sort().join(',');
  const named = new Set([...published.values(), ...suppressed.values()].map((c) => signature(c.atoms)));
  for (const sum of naturalSums([...published.values(), ...suppressed.values()])) {
    const sig = signature(sum.atoms);
    if (named.has(sig)) continue;
    named.add(sig);
    targets.push(sum);
  }

  for (const component of components([...published.values()], targets)) {
    for (const found of solve(component.cells, component.targets)) {
      if (found.kind === 'natural-sum' && found.value >= k) continue;
      recovered.push({ ...found, value: Number(found.value) });
    }
  }
  return recovered.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** County-or-state × category-or-all × run of consecutive quarters of one year, per family. */
function naturalSums(cells: readonly AttackCell[]): Target[] {
  type Axes = { counties: Set<string>; categories: Set<string>; quarters: Set<number> };
  const byFamilyYear = new Map<string, Axes>();
  for (const cell of cells) {
    for (const atom of cell.atoms) {
      const [family, category, county, quarter] = atom.split('|') as [string, string, string, string];
      const year = quarter.slice(0, 4);
      const id = `${family}|${year}`;
      let axes = byFamilyYear.get(id);
      if (!axes) byFamilyYear.set(id, (axes = { counties: new Set(), categories: new Set(), quarters: new Set() }));
      axes.counties.add(county);
      axes.categories.add(category);
      axes.quarters.add(Number(quarter.slice(5)));
    }
  }
  const sums: Target[] = [];
  for (const [id, axes] of byFamilyYear) {
    const [family, year] = id.split('|') as [string, string];
    const quarters = [...axes.quarters].sort((a, b) => a - b);
    const countyChoices = [...[...axes.counties].map((c) => [c]), [...axes.counties]];
    const categoryChoices = [...[...axes.categories].map((c) => [c]), [...axes.categories]];
    for (let i = 0; i < quarters.length; i++) {
      for (let j = i; j < quarters.length && quarters[j] === (quarters[i] as number) + (j - i); j++) {
        const run = quarters.slice(i, j + 1);
        for (const counties of countyChoices) {
          for (const categories of categoryChoices) {
            const atoms = categories.flatMap((cat) => counties.flatMap((county) => run.map((q) => `${family}|${cat}|${county}|${year}Q${q}`)));
            const name = (xs: string[], all: Set<string>) => (xs.length === 1 && all.size > 1 ? xs[0] : '*');
            sums.push({ key: `sum:${family}/${name(counties, axes.counties)}/${name(categories, axes.categories)}/${year}Q${run[0]}-Q${run[run.length - 1]}`, kind: 'natural-sum', atoms });
          }
        }
      }
    }
  }
  return sums;
}

/** Published cells and targets split by connected atoms: equations on disjoint atoms do not interact. */
function components(cells: AttackCell[], targets: Target[]): { cells: AttackCell[]; targets: Target[] }[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(x, root);
    return root;
  };
  const link = (atoms: readonly string[]) => {
    for (const a of atoms) if (!parent.has(a)) parent.set(a, a);
    for (const a of atoms.slice(1)) parent.set(find(a), find(atoms[0] as string));
  };
  for (const c of cells) link(c.atoms);
  for (const t of targets) link(t.atoms);
  const out = new Map<string, { cells: AttackCell[]; targets: Target[] }>();
  const at = (atoms: readonly string[]) => {
    const root = find(atoms[0] as string);
    let comp = out.get(root);
    if (!comp) out.set(root, (comp = { cells: [], targets: [] }));
    return comp;
  };
  for (const c of cells) at(c.atoms).cells.push(c);
  for (const t of targets) at(t.atoms).targets.push(t);
  return [...out.values()];
}

/**
 * For each target t, coefficients y with Σ y_j·cell_j = t (as atom vectors), by Gauss–Jordan on the matrix
 * whose rows are atoms and whose columns are the published cells followed by the targets. Rows hold
 * BigInt numerators over a common per-row denominator implicitly (fraction-free, divided by their gcd).
 */
function solve(cells: AttackCell[], targets: Target[]): (Omit<Recovered, 'value'> & { value: bigint })[] {
  if (!targets.length || !cells.length) return [];
  const atomIndex = new Map<string, number>();
  for (const list of [...cells.map((c) => c.atoms), ...targets.map((t) => t.atoms)]) {
    for (const a of list) if (!atomIndex.has(a)) atomIndex.set(a, atomIndex.size);
  }
  const width = cells.length + targets.length;
  const m: bigint[][] = Array.from({ length: atomIndex.size }, () => new Array<bigint>(width).fill(0n));
  const setColumn = (col: number, atoms: readonly string[]) => {
    for (const a of atoms) (m[atomIndex.get(a) as number] as bigint[])[col] = 1n;
  };
  cells.forEach((c, j) => setColumn(j, c.atoms));
  targets.forEach((t, i) => setColumn(cells.length + i, t.atoms));

  const pivotOfRow: number[] = [];
  let r = 0;
  for (let col = 0; col < cells.length && r < m.length; col++) {
    let p = r;
    while (p < m.length && (m[p] as bigint[])[col] === 0n) p++;
    if (p === m.length) continue;
    [m[r], m[p]] = [m[p] as bigint[], m[r] as bigint[]];
    const pivotRow = m[r] as bigint[];
    if ((pivotRow[col] as bigint) < 0n) for (let j = 0; j < width; j++) pivotRow[j] = -(pivotRow[j] as bigint);
    const a = pivotRow[col] as bigint;
    const nonzero: number[] = [];
    for (let j = 0; j < width; j++) if (pivotRow[j] !== 0n) nonzero.push(j);
    for (let i = 0; i < m.length; i++) {
      const row = m[i] as bigint[];
      const b = row[col] as bigint;
      if (i === r || b === 0n) continue;
      if (a === 1n) {
        for (const j of nonzero) row[j] = (row[j] as bigint) - b * (pivotRow[j] as bigint);
      } else {
        for (let j = 0; j < width; j++) row[j] = a * (row[j] as bigint) - b * (pivotRow[j] as bigint);
        normalise(row);
      }
    }
    pivotOfRow[r] = col;
    r++;
  }

  const out: (Omit<Recovered, 'value'> & { value: bigint })[] = [];
  targets.forEach((t, ti) => {
    const col = cells.length + ti;
    // Consistent only if every row without a pivot has a zero right-hand side.
    for (let i = r; i < m.length; i++) if ((m[i] as bigint[])[col] !== 0n) return;
    let num = 0n;
    let den = 1n;
    const combination: { key: string; coefficient: string }[] = [];
    for (let i = 0; i < r; i++) {
      const row = m[i] as bigint[];
      const rhs = row[col] as bigint;
      if (rhs === 0n) continue;
      const j = pivotOfRow[i] as number;
      const [cn, cd] = reduce(rhs, row[j] as bigint);
      combination.push({ key: (cells[j] as AttackCell).key, coefficient: cd === 1n ? `${cn}` : `${cn}/${cd}` });
      // num/den += cn/cd × value
      num = num * cd + cn * BigInt((cells[j] as AttackCell).value as number) * den;
      den *= cd;
      [num, den] = reduce(num, den);
    }
    if (den !== 1n) throw new Error(`attacker: ${t.key} came out as ${num}/${den}, not a count`);
    out.push({ key: t.key, kind: t.kind, atoms: t.atoms, value: num, combination });
  });
  return out;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

function reduce(num: bigint, den: bigint): [bigint, bigint] {
  const g = gcd(num, den) || 1n;
  return den < 0n ? [-num / g, -den / g] : [num / g, den / g];
}

function normalise(row: bigint[]) {
  let g = 0n;
  for (const x of row) if (x !== 0n && (g = gcd(g, x)) === 1n) return;
  if (g > 1n) for (let j = 0; j < row.length; j++) row[j] = (row[j] as bigint) / g;
}
