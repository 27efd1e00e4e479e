import * as highsModule from 'highs';
import type { Highs, Model } from 'highs';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES, type ContactRole } from '../../../common/operations.ts';
import type { PressFigure, PressOperation, PublicKnowledge, PublishedCell, RecordRules } from './knowledge.ts';

/**
 * The project's own attacker (docs/disclosure.md, issue #8), for tests and `npm run attack`: an outsider
 * holding everything public — every release as published, every press-release figure, the record rules a
 * reader can guess — who computes by linear programming the range [lo, hi] every hidden count keeps.
 *
 * It is written apart from the production auditor (audit.ts) and the exact-linear engine (suppression.ts,
 * exact-echelon.ts) on purpose, so that a test is not the implementation grading itself: it shares no code
 * with them (it parses atom keys itself and imports only the shapes of knowledge.ts), it models the
 * persons of each county and quarter as a latent joint table instead of whatever the auditor does, and it
 * chooses its own targets.
 *
 * The model, per year (no cell spans two years, so years are independent):
 * - one non-negative variable per atom that some cell or target names;
 * - per county × quarter with person atoms, a latent table n[role, disposition | none] ≥ 0 and
 *   w[role, service] ≥ 0 with w[role, service] ≤ Σ_d n[role, d] (a person is offered a service at most
 *   once), restricted to the pairings the record rules allow; persons|role = Σ_d n[role, d],
 *   outcomes|d = Σ_role n[role, d], services|s = Σ_role w[role, s], children_protected = n[minor,
 *   protective_custody];
 * - each operation a press release names gets its own table of the same shape, added into its county and
 *   quarter; its figures fix (or bound from below) sums of that table, and the operations atom of its
 *   county and quarter is at least the number of such operations there;
 * - a published cell is an equality; a hidden cell says nothing (one label: only that it is ≥ 0).
 * Each target's range is its LP minimum and maximum, rounded inward to integers. Each target also gets
 * its floor: its minimum over the press operations' tables and figures alone (see AttackedCount.floor).
 */

export type TargetKind = 'hidden-cell' | 'natural-sum';

/** A count the attacker tries to pin down. */
export interface AttackTarget {
  /** The hidden cell's key, or `sum:<family>/<county|*>/<category|*>/<year>Q<a>-Q<b>` for a natural sum. */
  key: string;
  kind: TargetKind;
  atoms: readonly string[];
}

/** What the attacker learned about one target: lo ≤ value ≤ hi (hi is Infinity when nothing bounds it). */
export interface AttackedCount extends AttackTarget {
  lo: number;
  hi: number;
  /**
   * What the published press releases alone say the count is at least: its minimum over the press
   * operations' own tables and figures (every other record 0, no cell equation), and for operations the
   * number of press operations in its counties and quarters. The persons and operations a press release
   * named are public by choice; the protection rule is measured from here (docs/disclosure.md): a count
   * under k must keep lo ≤ floor and hi ≥ floor + k − 1. 0 when no press release touches it.
   */
  floor: number;
}

/** A year whose full model has no solution: what the attacker dropped to attack it anyway. */
export interface InfeasibleYear {
  year: string;
  /**
   * `rules`: the record rules are false for the published data; `press`: the press figures are too (or
   * the joint model itself); `joint-model`: even plain non-negative atoms were needed.
   */
  dropped: 'rules' | 'rules+press' | 'joint-model';
}

export interface AttackResult {
  /** Every target attacked, in a stable order (year, then key). */
  counts: AttackedCount[];
  infeasibleYears: InfeasibleYear[];
  /** LP solves run (feasibility checks included). */
  solves: number;
  ms: number;
}

export interface AttackOptions {
  /** Natural sums proven to be at least k are of no interest and are left out. */
  k?: number;
  /**
   * Which targets to attack (all by default). A test that knows the true counts can leave out the natural
   * sums that are at least k: a count that may be published cannot be disclosed.
   */
  select?: (target: AttackTarget) => boolean;
}

/** LP optima are rounded inward to integers with this tolerance. */
const TOLERANCE = 1e-6;

let loading: Promise<Highs> | null = null;

/**
 * The HiGHS runtime, loaded once per process. The package's types describe a CommonJS default export
 * while Node and Vite load its ES module, whose namespace holds the loader itself as `default`: accept both.
 */
function solver(): Promise<Highs> {
  if (!loading) {
    type Loader = () => Promise<Highs>;
    const exported = (highsModule as unknown as { default: Loader | { default: Loader } }).default;
    loading = (typeof exported === 'function' ? exported : exported.default)();
  }
  return loading;
}

interface ParsedAtom {
  key: string;
  family: string;
  category: string;
  county: string;
  quarter: string;
  year: string;
}

const ATOM = /^([^|]+)\|([^|]+)\|([^|]+)\|((\d{4})Q[1-4])$/;

function parseAtom(key: string): ParsedAtom {
  const m = ATOM.exec(key);
  if (!m) throw new Error(`attacker: malformed atom ${JSON.stringify(key)}`);
  return { key, family: m[1] as string, category: m[2] as string, county: m[3] as string, quarter: m[4] as string, year: m[5] as string };
}

function yearOf(atoms: readonly string[], what: string): string {
  const years = new Set(atoms.map((a) => parseAtom(a).year));
  if (years.size !== 1) throw new Error(`attacker: ${what} spans ${years.size === 0 ? 'no atoms' : 'more than one year'}`);
  return [...years][0] as string;
}

function signature(atoms: readonly string[]): string {
  return [...atoms].sort().join('\n');
}

/**
 * Attacks everything public. For every hidden cell of any release, and every natural sum — a county or the
 * state, a category or all, over a run of consecutive quarters of one year — that no cell publishes, the
 * range the public knowledge leaves it. A year whose model has no solution is reported in
 * `infeasibleYears` and attacked again without the record rules (then without the press figures, then
 * without the joint model).
 */
export async function attack(knowledge: PublicKnowledge, options: AttackOptions = {}): Promise<AttackResult> {
  const started = performance.now();
  const k = options.k ?? 5;
  const highs = await solver();
  const years = collectYears(knowledge);
  const counts: AttackedCount[] = [];
  const infeasibleYears: InfeasibleYear[] = [];
  let solves = 0;

  for (const [year, y] of [...years].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const targets = targetsOf(y).filter((t) => options.select?.(t) ?? true);
    if (!targets.length) continue;
    const levels: { dropped: InfeasibleYear['dropped'] | null; build: YearModelOptions }[] = [
      { dropped: null, build: { rules: knowledge.rules, press: true, joint: true } },
      { dropped: 'rules', build: { rules: null, press: true, joint: true } },
      { dropped: 'rules+press', build: { rules: null, press: false, joint: true } },
      { dropped: 'joint-model', build: { rules: null, press: false, joint: false } },
    ];
    let solved = false;
    for (const level of levels) {
      const lp = buildYearModel(y, targets, knowledge, level.build);
      const run = solveRanges(highs, lp, targets, k);
      solves += run.solves;
      if (!run.ranges) continue;
      if (level.dropped) infeasibleYears.push({ year, dropped: level.dropped });
      // The floors: the same model's press tables alone (only when the level models press releases).
      const floors = new Map<string, number>();
      if (level.build.press && hasPress(knowledge, year)) {
        const pressOnly = buildYearModel(y, targets, knowledge, { ...level.build, pressOnly: true });
        const minima = solveMinima(highs, pressOnly, run.ranges);
        solves += minima.solves;
        for (const [key, floor] of minima.floors) floors.set(key, floor);
      }
      counts.push(...run.ranges.map((r) => ({ ...r, floor: floors.get(r.key) ?? 0 })));
      solved = true;
      break;
    }
    if (!solved) throw new Error(`attacker: the releases of ${year} contradict each other (no non-negative atoms fit them)`);
  }
  return { counts, infeasibleYears, solves, ms: performance.now() - started };
}

/** Every cell of one year, as the attacker sees it. */
interface YearCells {
  /** Every cell of every release, in release order. */
  cells: PublishedCell[];
  /** Published equalities, one per atom set. */
  equalities: Map<string, { atoms: readonly string[]; values: Set<number> }>;
}

function collectYears(knowledge: PublicKnowledge): Map<string, YearCells> {
  const years = new Map<string, YearCells>();
  for (const release of knowledge.releases) {
    for (const cell of release) {
      const year = yearOf(cell.atoms, `cell ${cell.key}`);
      let y = years.get(year);
      if (!y) years.set(year, (y = { cells: [], equalities: new Map() }));
      y.cells.push(cell);
      if (cell.value === null) continue;
      const sig = signature(cell.atoms);
      const eq = y.equalities.get(sig);
      if (eq) eq.values.add(cell.value);
      else y.equalities.set(sig, { atoms: cell.atoms, values: new Set([cell.value]) });
    }
  }
  return years;
}

/** Every hidden cell once (by key), then every natural sum no cell of the year already defines. */
function targetsOf(y: YearCells): AttackTarget[] {
  const targets: AttackTarget[] = [];
  const seen = new Set<string>();
  const cellSignatures = new Set<string>();
  for (const cell of y.cells) {
    const sig = signature(cell.atoms);
    cellSignatures.add(sig);
    if (cell.value !== null || seen.has(`cell:${cell.key}`)) continue;
    seen.add(`cell:${cell.key}`);
    targets.push({ key: cell.key, kind: 'hidden-cell', atoms: cell.atoms });
  }

  type Axes = { counties: Set<string>; categories: Set<string>; quarters: Set<number> };
  const axesByFamily = new Map<string, Axes>();
  let year = '';
  for (const cell of y.cells) {
    for (const key of cell.atoms) {
      const atom = parseAtom(key);
      year = atom.year;
      let axes = axesByFamily.get(atom.family);
      if (!axes) axesByFamily.set(atom.family, (axes = { counties: new Set(), categories: new Set(), quarters: new Set() }));
      axes.counties.add(atom.county);
      axes.categories.add(atom.category);
      axes.quarters.add(Number(atom.quarter.slice(5)));
    }
  }
  for (const [family, axes] of [...axesByFamily].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const counties = [...axes.counties].sort();
    const categories = [...axes.categories].sort();
    const quarters = [...axes.quarters].sort((a, b) => a - b);
    const countyChoices: [string, string[]][] = [...counties.map((c): [string, string[]] => [c, [c]]), ['*', counties]];
    const categoryChoices: [string, string[]][] = [...categories.map((c): [string, string[]] => [c, [c]]), ['*', categories]];
    for (let i = 0; i < quarters.length; i++) {
      for (let j = i; j < quarters.length && quarters[j] === (quarters[i] as number) + (j - i); j++) {
        const run = quarters.slice(i, j + 1);
        for (const [countyName, cs] of countyChoices) {
          for (const [categoryName, cats] of categoryChoices) {
            const atoms = cats.flatMap((cat) => cs.flatMap((county) => run.map((q) => `${family}|${cat}|${county}|${year}Q${q}`)));
            const sig = signature(atoms);
            if (cellSignatures.has(sig) || seen.has(sig)) continue;
            seen.add(sig);
            targets.push({ key: `sum:${family}/${countyName}/${categoryName}/${year}Q${run[0]}-Q${run[run.length - 1]}`, kind: 'natural-sum', atoms });
          }
        }
      }
    }
  }
  return targets;
}

interface YearModelOptions {
  /** null: any pairing of role with disposition and with service. */
  rules: RecordRules | null;
  press: boolean;
  /** false: person atoms are plain non-negative atoms, with no latent table. */
  joint: boolean;
  /**
   * The press operations' own tables and figures alone: no published cell, no table for the records no
   * press release named (they are 0). Its minima are the floors of the protection rule.
   */
  pressOnly?: boolean;
}

function hasPress(knowledge: PublicKnowledge, year: string): boolean {
  return knowledge.pressOperations.some((op) => op.quarter.startsWith(year)) || knowledge.pressFigures.some((f) => f.quarter.startsWith(year));
}

/** A linear program in row form: columns ≥ their lower bound (no upper bound), rows lower ≤ Σ ≤ upper. */
interface LinearProgram {
  columnLower: number[];
  rows: { lower: number; upper: number; columns: number[]; values: number[] }[];
  /** The column of each atom. */
  atomColumn: Map<string, number>;
}

const PERSON_FAMILIES = new Set(['persons', 'outcomes', 'services', 'children_protected']);
const ROLES: readonly string[] = CONTACT_ROLES;
const DISPOSITION_SET = new Set<string>(DISPOSITIONS);
const SERVICE_SET = new Set<string>(SERVICES);

/** Which disposition (or none) and which service a role may have under the rules; null rules allow everything. */
function supportOf(rules: RecordRules | null): { dispositions: Map<string, string[]>; services: Map<string, Set<string>> } {
  const dispositions = new Map<string, string[]>();
  const services = new Map<string, Set<string>>();
  for (const role of ROLES) {
    dispositions.set(role, rules ? [...(rules.dispositions[role as ContactRole] ?? [])] : [...DISPOSITIONS, 'none']);
    services.set(role, new Set(rules ? (rules.services[role as ContactRole] ?? []) : SERVICES));
  }
  return { dispositions, services };
}

/** A press operation with the figures published about it. */
interface KnownOperation {
  operation: PressOperation;
  figures: PressFigure[];
}

function buildYearModel(y: YearCells, targets: readonly AttackTarget[], knowledge: PublicKnowledge, options: YearModelOptions): LinearProgram {
  const lp: LinearProgram = { columnLower: [], rows: [], atomColumn: new Map() };
  const column = (lower = 0) => lp.columnLower.push(lower) - 1;

  // Atoms: those of every cell and every target of the year (targets only name atoms cells name, or
  // combinations of their counties, categories and quarters).
  const atoms = new Map<string, ParsedAtom>();
  for (const cell of y.cells) for (const a of cell.atoms) if (!atoms.has(a)) atoms.set(a, parseAtom(a));
  for (const t of targets) for (const a of t.atoms) if (!atoms.has(a)) atoms.set(a, parseAtom(a));
  for (const key of [...atoms.keys()].sort()) lp.atomColumn.set(key, column());

  for (const { atoms: cellAtoms, values } of options.pressOnly ? [] : y.equalities.values()) {
    // Two values for one sum cannot both be true: the row gets an empty range and the year is infeasible.
    const lower = Math.max(...values);
    const upper = Math.min(...values);
    lp.rows.push({ lower, upper, columns: cellAtoms.map((a) => lp.atomColumn.get(a) as number), values: cellAtoms.map(() => 1) });
  }

  // Press operations of this year, by county and quarter (one per operation, figures attached).
  const known = new Map<string, KnownOperation>();
  const year = [...atoms.values()][0]?.year;
  const addOperation = (op: PressOperation) => {
    if (op.quarter.slice(0, 4) !== year) return undefined;
    let entry = known.get(op.operation);
    if (!entry) known.set(op.operation, (entry = { operation: { operation: op.operation, county: op.county, quarter: op.quarter }, figures: [] }));
    return entry;
  };
  for (const op of knowledge.pressOperations) addOperation(op);
  for (const f of knowledge.pressFigures) addOperation(f)?.figures.push(f);

  const atomAt = (family: string, category: string, county: string, quarter: string) => lp.atomColumn.get(`${family}|${category}|${county}|${quarter}`);
  const places = new Map<string, { county: string; quarter: string; personAtoms: ParsedAtom[]; operations: KnownOperation[] }>();
  for (const a of atoms.values()) {
    const id = `${a.county}|${a.quarter}`;
    let p = places.get(id);
    if (!p) places.set(id, (p = { county: a.county, quarter: a.quarter, personAtoms: [], operations: [] }));
    if (PERSON_FAMILIES.has(a.family)) p.personAtoms.push(a);
  }
  for (const op of known.values()) {
    const p = places.get(`${op.operation.county}|${op.operation.quarter}`);
    // An operation in a county and quarter no cell touches constrains nothing the attacker sees.
    if (p) p.operations.push(op);
  }

  // The operations atom of a county and quarter counts at least the operations press releases name there.
  if (options.press) {
    for (const p of places.values()) {
      const col = atomAt('operations', 'all', p.county, p.quarter);
      if (col !== undefined && p.operations.length) lp.columnLower[col] = Math.max(lp.columnLower[col] as number, p.operations.length);
    }
  }
  if (!options.joint) return lp;

  const support = supportOf(options.rules);
  for (const p of places.values()) {
    if (!p.personAtoms.length) continue;

    // n[role][disposition]: the persons nobody named in a press release, then one table per press operation.
    type Table = Map<string, Map<string, number>>;
    const table = (): Table => new Map(ROLES.map((role) => [role, new Map((support.dispositions.get(role) ?? []).map((d) => [d, column()]))]));
    const press = options.press ? p.operations.map(() => table()) : [];
    const tables = options.pressOnly ? press : [table(), ...press];

    const cellsOf = (role: string | null, disposition: string | null): number[] =>
      tables.flatMap((t) =>
        [...t].filter(([r]) => role === null || r === role).flatMap(([, row]) => [...row].filter(([d]) => (disposition === null ? true : d === disposition)).map(([, c]) => c)),
      );
    const equalsSum = (atomColumn: number, parts: number[]) => {
      lp.rows.push({ lower: 0, upper: 0, columns: [atomColumn, ...parts], values: [1, ...parts.map(() => -1)] });
    };

    for (const a of p.personAtoms) {
      const col = lp.atomColumn.get(a.key) as number;
      if (a.family === 'persons' && ROLES.includes(a.category)) equalsSum(col, cellsOf(a.category, null));
      else if (a.family === 'outcomes' && DISPOSITION_SET.has(a.category)) equalsSum(col, cellsOf(null, a.category));
      else if (a.family === 'children_protected') equalsSum(col, cellsOf('minor', 'protective_custody'));
      else if (a.family === 'services' && SERVICE_SET.has(a.category)) {
        const offered: number[] = [];
        for (const role of ROLES) {
          if (!support.services.get(role)?.has(a.category)) continue;
          const w = column();
          offered.push(w);
          // A person is offered a service at most once: w[role, s] ≤ the persons of that role.
          const persons = cellsOf(role, null);
          lp.rows.push({ lower: -Infinity, upper: 0, columns: [w, ...persons], values: [1, ...persons.map(() => -1)] });
        }
        equalsSum(col, offered);
      }
      // Any other category is an unknown one: a plain non-negative atom.
    }

    if (!options.press) continue;
    p.operations.forEach((op, i) => {
      const t = press[i] as Table;
      for (const f of op.figures) {
        const parts = [...t]
          .filter(([role]) => f.role === undefined || role === f.role)
          .flatMap(([, row]) => [...row].filter(([d]) => (f.disposition === undefined ? true : d === f.disposition)).map(([, c]) => c));
        lp.rows.push({ lower: f.value, upper: f.exact ? f.value : Infinity, columns: parts, values: parts.map(() => 1) });
      }
    });
  }
  return lp;
}

interface Ranges {
  ranges: Omit<AttackedCount, 'floor'>[] | null;
  solves: number;
}

/** The minimum of every target over the press-only model (see YearModelOptions.pressOnly). */
function solveMinima(highs: Highs, lp: LinearProgram, targets: readonly AttackTarget[]): { floors: Map<string, number>; solves: number } {
  const model = createModel(highs, lp);
  // The truth's press tables satisfy every figure, so this model always has a solution.
  if (!model) throw new Error('attacker: the press figures alone have no solution');
  const floors = new Map<string, number>();
  let solves = 0;
  try {
    const statuses = highs.constants.modelStatus;
    model.changeObjectiveSense(highs.constants.objectiveSense.minimize);
    let previous: number[] = [];
    for (const t of targets) {
      previous = aim(model, lp, t, previous);
      solves++;
      const status = model.run().modelStatus;
      if (status !== statuses.optimal) throw new Error(`attacker: the floor of ${t.key} ended with status ${status}`);
      floors.set(t.key, Math.ceil(model.getObjectiveValue() - TOLERANCE) + 0);
    }
    return { floors, solves };
  } finally {
    model.dispose();
  }
}

/** The HiGHS model of a linear program; null when a row alone already has no solution. */
function createModel(highs: Highs, lp: LinearProgram): Model | null {
  // A row with no columns must hold at 0 (e.g. a figure about a pairing the rules exclude).
  if (lp.rows.some((r) => r.columns.length === 0 && (r.lower > 0 || r.upper < 0))) return null;
  if (lp.rows.some((r) => r.lower > r.upper)) return null;
  const rows = lp.rows.filter((r) => r.columns.length > 0);
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    const merged = new Map<number, number>();
    r.columns.forEach((c, i) => merged.set(c, (merged.get(c) ?? 0) + (r.values[i] as number)));
    for (const [c, v] of [...merged].sort(([a], [b]) => a - b)) {
      if (v === 0) continue;
      indices.push(c);
      values.push(v);
    }
    starts.push(indices.length);
  }
  const n = lp.columnLower.length;
  const model: Model = highs.createModel({
    numCols: n,
    numRows: rows.length,
    colCost: new Float64Array(n),
    colLower: lp.columnLower,
    colUpper: new Float64Array(n).fill(highs.infinity),
    rowLower: rows.map((r) => (r.lower === -Infinity ? -highs.infinity : r.lower)),
    rowUpper: rows.map((r) => (r.upper === Infinity ? highs.infinity : r.upper)),
    matrix: { format: 'csr', numRows: rows.length, numCols: n, starts, indices, values },
  });
  // Primal simplex: a changed objective keeps the previous basis feasible, so each solve is a warm start.
  model.options.set({ output_flag: false, log_to_console: false, presolve: 'off', simplex_strategy: 4 });
  return model;
}

/** Points the objective at the atoms of `target` (cost 1 each), resetting the previous target's. */
function aim(model: Model, lp: LinearProgram, target: AttackTarget, previous: number[]): number[] {
  const cols = [...new Set(target.atoms.map((a) => lp.atomColumn.get(a) as number))];
  const changed = [...new Set([...previous, ...cols])].sort((a, b) => a - b);
  const mine = new Set(cols);
  model.changeColsCost({ kind: 'set', indices: changed }, changed.map((c) => (mine.has(c) ? 1 : 0)));
  return cols;
}

/** Min and max of every target over one year's model; null ranges when the model has no solution. */
function solveRanges(highs: Highs, lp: LinearProgram, targets: AttackTarget[], k: number): Ranges {
  const model = createModel(highs, lp);
  if (!model) return { ranges: null, solves: 0 };
  let solves = 0;
  try {
    const statuses = highs.constants.modelStatus;
    const run = () => {
      solves++;
      return model.run().modelStatus;
    };
    const feasibility = run();
    if (feasibility === statuses.infeasible || feasibility === statuses.unboundedOrInfeasible) return { ranges: null, solves };
    if (feasibility !== statuses.optimal && feasibility !== statuses.empty) throw new Error(`attacker: the feasibility solve ended with status ${feasibility}`);

    const ranges: Omit<AttackedCount, 'floor'>[] = [];
    let previous: number[] = [];
    for (const t of [...targets].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      previous = aim(model, lp, t, previous);

      model.changeObjectiveSense(highs.constants.objectiveSense.minimize);
      const low = run();
      if (low !== statuses.optimal) throw new Error(`attacker: minimising ${t.key} ended with status ${low}`);
      const lo = Math.ceil(model.getObjectiveValue() - TOLERANCE) + 0;
      // A natural sum proven to be at least k is no protected count.
      if (t.kind === 'natural-sum' && lo >= k) continue;

      model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
      const high = run();
      let hi: number;
      if (high === statuses.unbounded || high === statuses.unboundedOrInfeasible) hi = Infinity;
      else if (high === statuses.optimal) hi = Math.floor(model.getObjectiveValue() + TOLERANCE) + 0;
      else throw new Error(`attacker: maximising ${t.key} ended with status ${high}`);
      ranges.push({ ...t, lo, hi });
    }
    return { ranges, solves };
  } finally {
    model.dispose();
  }
}

/**
 * How a range protects a count of known value (the generated-history test and `npm run attack`):
 * `recovered` when lo = hi; `narrowed` when a count under k keeps less than [floor, floor + k − 1] (floor:
 * what press releases alone say, 0 by default), or another count fewer than k possible values;
 * `protected` otherwise.
 */
export function judge(range: { lo: number; hi: number; floor?: number }, value: number, k = 5): 'recovered' | 'narrowed' | 'protected' {
  if (range.lo === range.hi) return 'recovered';
  const floor = range.floor ?? 0;
  if (value < k) return range.lo <= floor && range.hi >= floor + k - 1 ? 'protected' : 'narrowed';
  return range.hi - range.lo < k - 1 ? 'narrowed' : 'protected';
}
