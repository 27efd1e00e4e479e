import { CONTACT_ROLES, DISPOSITIONS, type ContactRole } from '../../../common/operations.ts';
import type { PressFigure, PressOperation, RecordRules } from './knowledge.ts';
import { INFINITY, LinearModel, loadSolver, type ModelSpec, type Optimum, type SparseRow } from './lp.ts';
import { ALL, parseAtomKey, type AtomKey, type CellDimensions, type Family } from './statistics.cells.ts';

/**
 * The disclosure audit of one year of public statistics (docs/disclosure.md, "The audit").
 *
 * It models what the strongest reader knows — every cell of every release for the year, published
 * values as equations, every count non-negative, the identities between families (they are sums of one
 * latent table per county group and quarter: persons by role × disposition, and services offered by
 * role), the record rules ({@link RecordRules}), every figure of a published press release — and computes
 * by linear programming the range each protected count keeps. Protected counts are every hidden cell and
 * every "natural" sum under k a reader might target (a county or the state, a category or all, over any
 * run of consecutive quarters). The protection rule (tau-ARGUS's protection interval, chosen for counts):
 * a count under k must keep the whole interval [0, k − 1]; a hidden count of k or more must keep a range
 * at least k values wide.
 *
 * The model is exact but small: counties that no cell tells apart are one variable, per component of
 * families (a county map of operations does not split the persons' latent table by county) — except in a
 * year with a press release, which names its operation's county: then every county is its own group and
 * each county's counts are protected counts (a reader subtracts a press operation from a statewide
 * total and learns about the other counties; audit.gaps.test.ts); a county
 * group's records obey the rules because each operation does, so the rules hold for the group's sum.
 */

export interface AuditCell {
  key: string;
  family: Family;
  dimensions: CellDimensions;
  atoms: readonly AtomKey[];
  published: boolean;
  /** True value (sum of its atoms). */
  value: number;
  /** A new cell this release may still hide. */
  hideable: boolean;
}

export interface YearAuditInput {
  year: string;
  cells: readonly AuditCell[];
  /** True atom counts (absent = 0). */
  counts: ReadonlyMap<AtomKey, number>;
  counties: readonly string[];
  pressOperations: readonly PressOperation[];
  pressFigures: readonly Omit<PressFigure, 'release'>[];
  rules: RecordRules;
  k: number;
  /** When false, hidden cells are only reported, never added (the press-release check). */
  suppress: boolean;
  /**
   * Counties to treat as named by a press release even without one (see groupCounties): the press-release
   * check names its draft's county, so that its audits with and without the draft protect the same counts.
   */
  splitCounties?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

export interface ProtectedCount {
  key: string;
  kind: 'cell' | 'sum';
  value: number;
  lo: number;
  hi: number;
}

export interface YearAuditResult {
  /** Keys of cells the audit hid, each with what it protects. */
  hidden: { key: string; protects: string }[];
  /** Protected counts that stay narrower than the rule even with every hideable cell hidden. */
  alreadyDisclosed: ProtectedCount[];
  /** Every protected count with its final range (lo and hi rounded inward to whole counts). */
  ranges: ProtectedCount[];
  solves: number;
  /** (group, quarter) tables where the true counts break a record rule or a press figure, modelled without it. */
  relaxed: string[];
}

const EPS = 1e-6;
/** No count comes near this: it keeps every variable bounded, so every LP has an optimum. */
const CAP = 1e7;
const PERSON_FAMILIES = new Set(['persons', 'outcomes', 'services', 'children_protected']);

type Expr = Map<number, number>;
const addTo = (e: Expr, col: number, coef = 1) => e.set(col, (e.get(col) ?? 0) + coef);
const addExpr = (e: Expr, f: Expr, times = 1) => {
  for (const [c, v] of f) addTo(e, c, v * times);
};

interface Target {
  key: string;
  kind: 'cell' | 'sum';
  value: number;
  expr: Expr;
  constant: number;
  /** Index of the cell when it is a cell, else −1. */
  cell: number;
  family: string;
  /** The one county the count is about, or null for a statewide count. */
  county: string | null;
  /**
   * The count of any one county of a group of counties nothing tells apart: its range is [0, the group's
   * highest], so only the high end is checked, on the group's total.
   */
  anyOne?: boolean;
  /**
   * What published press releases alone say the count is at least (their operations' own persons): the
   * protection applies to everyone else, so the rule is measured from here.
   */
  floor: number;
}

const componentOf = (family: string) => (PERSON_FAMILIES.has(family) ? 'person' : family);

/** The counties a cell sums, per component of its families. */
function countiesByComponent(cell: { atoms: readonly { family: string; county: string }[] }): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const a of cell.atoms) {
    const comp = componentOf(a.family);
    let set = out.get(comp);
    if (!set) out.set(comp, (set = new Set()));
    set.add(a.county);
  }
  return out;
}

/** Audits one year; with `suppress`, hides hideable cells until every protected count is protected. */
export async function auditYear(input: YearAuditInput): Promise<YearAuditResult> {
  await ready();
  const highs = await loadSolver();
  const b = new YearBuilder(input);
  b.build();
  const spec: ModelSpec = { cols: b.cols, rows: b.rows };
  const model = new LinearModel(highs, spec);
  try {
    return await new Auditor(input, b, model).run();
  } finally {
    model.dispose();
  }
}

// ---------------------------------------------------------------------------------------------- the model

interface ParsedCell {
  atoms: { family: string; category: string; county: string; quarter: string }[];
}

class YearBuilder {
  readonly cols: { lower: number; upper: number }[] = [];
  readonly rows: SparseRow[] = [];
  /** Row of each published cell (−1 for hidden ones). */
  readonly cellRow: number[] = [];
  readonly targets: Target[] = [];
  readonly relaxed: string[] = [];
  private readonly relaxedGroups = new Set<string>();
  /** Columns and rows of press operations' own tables: what a press release alone says. */
  readonly pressCols = new Set<number>();
  readonly pressRows: number[] = [];
  /** component → county → group id */
  private readonly groupOf = new Map<string, Map<string, string>>();
  private readonly groupSize = new Map<string, number>();
  /** Per component, the counties press releases (or the draft being checked) name: each its own group. */
  private readonly pressCounties = new Map<string, Set<string>>();
  /** `family|category|group|quarter` → expression and constant. */
  private readonly atoms = new Map<string, { expr: Expr; constant: number }>();
  private readonly parsed: ParsedCell[];
  private readonly quarters: string[];

  constructor(private readonly input: YearAuditInput) {
    this.parsed = input.cells.map((c) => ({ atoms: c.atoms.map((a) => parseAtomKey(a)) }));
    const qs = new Set<string>();
    for (const p of this.parsed) for (const a of p.atoms) qs.add(a.quarter);
    this.quarters = [...qs].sort();
  }

  private col(lower = 0, upper = CAP): number {
    this.cols.push({ lower, upper });
    return this.cols.length - 1;
  }

  private row(expr: Expr, lower: number, upper: number): number {
    const cols: number[] = [];
    const coefs: number[] = [];
    for (const [c, v] of expr) {
      if (v === 0) continue;
      cols.push(c);
      coefs.push(v);
    }
    this.rows.push({ cols, coefs, lower, upper });
    return this.rows.length - 1;
  }

  build() {
    this.groupCounties();
    const families = new Set<string>();
    for (const p of this.parsed) for (const a of p.atoms) families.add(a.family);
    const groups = (component: string) => [...new Set(this.groupOf.get(component)?.values() ?? [])];
    // Person families share one latent table per group and quarter; every other family is plain.
    if ([...families].some((f) => PERSON_FAMILIES.has(f))) {
      for (const g of groups('person')) for (const q of this.quarters) this.personTable(g, q);
    }
    for (const family of families) {
      if (PERSON_FAMILIES.has(family)) continue;
      for (const g of groups(family)) for (const q of this.quarters) this.plainTable(family, g, q);
    }
    this.input.cells.forEach((cell, i) => {
      if (!cell.published) {
        this.cellRow.push(-1);
        return;
      }
      const { expr, constant } = this.sumOf(i);
      this.cellRow.push(this.row(expr, cell.value - constant, cell.value - constant));
    });
    this.buildTargets();
  }

  /** Counties no cell of a component tells apart form one group of that component. */
  private groupCounties() {
    const signature = new Map<string, Map<string, string[]>>();
    const all = this.input.counties.length;
    this.parsed.forEach((p, i) => {
      for (const [comp, counties] of countiesByComponent(p)) {
        if (counties.size >= all) continue;
        let sig = signature.get(comp);
        if (!sig) signature.set(comp, (sig = new Map()));
        for (const c of counties) sig.set(c, [...(sig.get(c) ?? []), String(i)]);
      }
    });
    const components = new Set<string>();
    for (const p of this.parsed) for (const a of p.atoms) components.add(componentOf(a.family));
    // Press releases name the county of an operation: for operations it bounds that county's count, and
    // its persons are persons of that county, so a reader tells that county's persons from the rest of
    // the state's. Each press county is its own group; the other counties stay one group, whose counties a
    // reader still cannot tell apart (see buildTargets: "the rest of the state").
    const pressCounties = new Set([...this.input.pressOperations.map((op) => op.county), ...(this.input.splitCounties ?? [])]);
    for (const comp of ['operations', 'person']) {
      if (!components.has(comp) || !pressCounties.size) continue;
      let sig = signature.get(comp);
      if (!sig) signature.set(comp, (sig = new Map()));
      for (const county of pressCounties) sig.set(county, [...(sig.get(county) ?? []), `press:${county}`]);
      this.pressCounties.set(comp, pressCounties);
    }
    for (const comp of components) {
      const sig = signature.get(comp) ?? new Map<string, string[]>();
      const map = new Map<string, string>();
      for (const county of this.input.counties) {
        const id = `${comp}:${(sig.get(county) ?? []).join(',')}`;
        map.set(county, id);
        this.groupSize.set(id, (this.groupSize.get(id) ?? 0) + 1);
      }
      this.groupOf.set(comp, map);
    }
  }

  private group(family: string, county: string): string {
    const g = this.groupOf.get(componentOf(family))?.get(county);
    if (g === undefined) throw new Error(`county ${county} is not a county of the release`);
    return g;
  }

  private truthOf(family: string, category: string, group: string, quarter: string): number {
    let n = 0;
    for (const county of this.input.counties) {
      if (this.group(family, county) !== group) continue;
      n += this.input.counts.get(`${family}|${category}|${county}|${quarter}`) ?? 0;
    }
    return n;
  }

  private pressIn(group: string, quarter: string, component: string) {
    return this.input.pressOperations.filter((op) => op.quarter === quarter && this.groupOf.get(component)?.get(op.county) === group);
  }

  private plainTable(family: string, group: string, quarter: string) {
    const categories = new Set<string>();
    for (const p of this.parsed) for (const a of p.atoms) if (a.family === family) categories.add(a.category);
    const press = family === 'operations' ? this.pressIn(group, quarter, 'operations').length : 0;
    for (const category of categories) {
      const truth = this.truthOf(family, category, group, quarter);
      const known = press <= truth ? press : 0;
      if (press > truth) this.relaxed.push(`${family}|${category}|${group}|${quarter}: press releases name ${press} operations, the count is ${truth}`);
      const c = this.col();
      this.atoms.set(`${family}|${category}|${group}|${quarter}`, { expr: new Map([[c, 1]]), constant: known });
    }
  }

  /** The latent persons table of a group and quarter, with the press operations counted in it. */
  private personTable(group: string, quarter: string) {
    const families = new Map<string, Set<string>>();
    for (const p of this.parsed) {
      for (const a of p.atoms) {
        if (!PERSON_FAMILIES.has(a.family)) continue;
        let s = families.get(a.family);
        if (!s) families.set(a.family, (s = new Set()));
        s.add(a.category);
      }
    }
    const atomList = [...families].flatMap(([f, cats]) => [...cats].map((c) => ({ family: f, category: c, truth: this.truthOf(f, c, group, quarter) })));
    const ops = this.pressIn(group, quarter, 'person');
    const rules = this.input.rules;
    const figuresOf = (op: PressOperation) => this.input.pressFigures.filter((f) => f.operation === op.operation);

    // Try the strongest model the true counts satisfy (see the order below).
    // The rules hold for every table a reader looks at, a press release for one operation: when the true
    // counts do not fit both, the press figures go first (a late count can put an operation's persons in
    // another quarter than the one its release is placed in).
    const attempts: { rules: boolean; press: boolean }[] = [
      { rules: true, press: true },
      { rules: true, press: false },
      { rules: false, press: true },
      { rules: false, press: false },
    ];
    for (const attempt of attempts) {
      const spec = latentSpec(atomList, attempt.rules ? rules : null, attempt.press ? ops.map(figuresOf) : []);
      if (!spec.feasibleWith) continue;
      if (!feasible(spec.check)) continue;
      if (!attempt.rules || (!attempt.press && ops.length)) this.relaxedGroups.add(group);
      if (!attempt.rules) this.relaxed.push(`person table ${group} ${quarter}: the record rules do not hold for its true counts`);
      if (!attempt.press && ops.length) this.relaxed.push(`person table ${group} ${quarter}: press figures do not fit its true counts`);
      // Commit the spec into the year model.
      const base = this.cols.length;
      const firstRow = this.rows.length;
      for (const c of spec.cols) this.col(c.lower, c.upper);
      for (const r of spec.rows) this.rows.push({ cols: r.cols.map((c) => c + base), coefs: r.coefs, lower: r.lower, upper: r.upper });
      for (const c of spec.pressCols) this.pressCols.add(c + base);
      for (const r of spec.pressRows) this.pressRows.push(firstRow + r);
      for (const [key, expr] of spec.atomExprs) {
        const shifted: Expr = new Map();
        for (const [c, v] of expr) shifted.set(c + base, v);
        this.atoms.set(`${key.family}|${key.category}|${group}|${quarter}`, { expr: shifted, constant: 0 });
      }
      return;
    }
    throw new Error(`person table ${group} ${quarter}: the true counts fit no model`);
  }

  /** A cell's (or target's) atoms as one expression over the model's columns. */
  sumOfAtoms(atoms: readonly { family: string; category: string; county: string; quarter: string }[]): { expr: Expr; constant: number } {
    const seen = new Map<string, number>();
    for (const a of atoms) {
      const key = `${a.family}|${a.category}|${this.group(a.family, a.county)}|${a.quarter}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const expr: Expr = new Map();
    let constant = 0;
    for (const [key, n] of seen) {
      const group = key.split('|')[2] as string;
      if (n !== this.groupSize.get(group)) throw new Error(`a sum covers part of county group ${group}: the groups are wrong`);
      const atom = this.atoms.get(key);
      if (!atom) throw new Error(`no model for atom ${key}`);
      addExpr(expr, atom.expr);
      constant += atom.constant;
    }
    return { expr, constant };
  }

  /** The county of a single-county cell, else null. */
  soleCounty(cell: number): string | null {
    const counties = new Set((this.parsed[cell] as ParsedCell).atoms.map((a) => a.county));
    return counties.size === 1 ? ([...counties][0] as string) : null;
  }

  /**
   * Counties the model cannot tell apart while only the published cells are equations: the same
   * published cells (and press releases) hold them. Swapping two such counties maps every solution to a
   * solution, so a count about one has the same range as the same count about the other.
   */
  countyClasses(published: readonly boolean[]): Map<string, string> {
    const sig = new Map<string, string[]>();
    const all = this.input.counties.length;
    this.parsed.forEach((p, i) => {
      if (!published[i]) return;
      for (const [comp, counties] of countiesByComponent(p)) {
        if (counties.size >= all) continue;
        for (const c of counties) sig.set(`${comp}|${c}`, [...(sig.get(`${comp}|${c}`) ?? []), String(i)]);
      }
    });
    for (const op of this.input.pressOperations) for (const comp of this.groupOf.keys()) sig.set(`${comp}|${op.county}`, [...(sig.get(`${comp}|${op.county}`) ?? []), `press:${op.operation}`]);
    const out = new Map<string, string>();
    for (const [comp, groups] of this.groupOf) {
      for (const c of this.input.counties) out.set(`${comp}|${c}`, (sig.get(`${comp}|${c}`) ?? []).join(',') + (this.relaxedGroups.has(groups.get(c) as string) ? '|relaxed' : ''));
    }
    return out;
  }

  sumOf(cell: number) {
    return this.sumOfAtoms((this.parsed[cell] as ParsedCell).atoms);
  }

  /** Hidden cells and natural sums under k. */
  private buildTargets() {
    const { cells, k } = this.input;
    const shown = new Set<string>();
    const signature = (atoms: readonly string[]) => [...atoms].sort().join(',');
    cells.forEach((c) => shown.add(signature(c.atoms)));
    cells.forEach((c, i) => {
      if (c.published) return;
      const { expr, constant } = this.sumOf(i);
      this.targets.push({ key: c.key, kind: 'cell', value: c.value, expr, constant, cell: i, floor: 0, family: c.family, county: this.soleCounty(i) });
    });
    // Natural sums: per family, the state or a county a cell names alone, a category or all, any run of quarters.
    const byFamily = new Map<string, { categories: Set<string>; counties: Set<string> }>();
    for (const p of this.parsed) {
      const counties = new Set(p.atoms.map((a) => a.county));
      for (const a of p.atoms) {
        let f = byFamily.get(a.family);
        if (!f) byFamily.set(a.family, (f = { categories: new Set(), counties: new Set() }));
        f.categories.add(a.category);
        if (counties.size === 1) f.counties.add(a.county);
      }
    }
    const year = this.input.year;
    for (const [family, { categories, counties }] of byFamily) {
      const cats = categories.size > 1 ? [...categories, ALL] : [...categories];
      const named = this.pressCounties.get(componentOf(family));
      // With a press county told apart, every county alone in its group is one a reader can target.
      if (named && this.input.counties.length > 1) for (const c of this.singleCounties(componentOf(family))) counties.add(c);
      const places = [ALL, ...counties];
      for (let i = 0; i < this.quarters.length; i++) {
        for (let j = i; j < this.quarters.length; j++) {
          const run = this.quarters.slice(i, j + 1);
          for (const place of places) {
            for (const cat of cats) {
              const atoms: { family: string; category: string; county: string; quarter: string }[] = [];
              for (const category of cat === ALL ? [...categories] : [cat]) {
                for (const county of place === ALL ? this.input.counties : [place]) for (const quarter of run) atoms.push({ family, category, county, quarter });
              }
              const keys = atoms.map((a) => `${a.family}|${a.category}|${a.county}|${a.quarter}`);
              const sig = signature(keys);
              if (shown.has(sig)) continue;
              shown.add(sig);
              const value = keys.reduce((n, a) => n + (this.input.counts.get(a) ?? 0), 0);
              if (value >= k) continue;
              // A county's 0 that published figures pin (a statewide count equal to a press release's) is
              // what the two publications say together; a county's small non-zero count is protected.
              if (value === 0 && place !== ALL) continue;
              const period = run.length === 1 ? run[0] : `${year}:${(run[0] as string).slice(4)}-${(run.at(-1) as string).slice(4)}`;
              const { expr, constant } = this.sumOfAtoms(atoms);
              this.targets.push({ key: `sum:${family}/${cat}/${place}/${period}`, kind: 'sum', value, expr, constant, cell: -1, floor: 0, family, county: place === ALL ? null : place });
            }
          }
          // A group of several counties no cell tells apart (the rest of the state, beside the counties a
          // press release names): any one of them can hold the group's whole count or none of it, so each
          // keeps [0, the group's highest]; one target stands for all of them.
          if (named) {
            this.restGroups(componentOf(family)).forEach((members, r) => {
              for (const cat of cats) {
                const catsOf = cat === ALL ? [...categories] : [cat];
                const atoms = catsOf.flatMap((category) => members.flatMap((county) => run.map((quarter) => ({ family, category, county, quarter }))));
                const each = members.map((county) => catsOf.reduce((n, category) => n + run.reduce((m, quarter) => m + (this.input.counts.get(`${family}|${category}|${county}|${quarter}`) ?? 0), 0), 0));
                // Each county of the group with a small non-zero count needs the group's high end.
                const small = each.filter((v) => v > 0);
                if (!small.length) continue;
                const value = Math.min(...small);
                if (value >= k) continue;
                const period = run.length === 1 ? run[0] : `${year}:${(run[0] as string).slice(4)}-${(run.at(-1) as string).slice(4)}`;
                const { expr, constant } = this.sumOfAtoms(atoms);
                const place = r ? `any-other-county-${r + 1}` : 'any-other-county';
                this.targets.push({ key: `sum:${family}/${cat}/${place}/${period}`, kind: 'sum', value, expr, constant, cell: -1, floor: 0, family, county: null, anyOne: true });
              }
            });
          }
        }
      }
    }
  }

  /** The component's counties that are a group on their own. */
  private singleCounties(component: string): string[] {
    const size = new Map<string, number>();
    const groups = this.groupOf.get(component) ?? new Map<string, string>();
    for (const g of groups.values()) size.set(g, (size.get(g) ?? 0) + 1);
    return [...groups].filter(([, g]) => size.get(g) === 1).map(([c]) => c);
  }

  /** The component's groups of several counties, short of the whole state, in county order. */
  private restGroups(component: string): string[][] {
    const groups = new Map<string, string[]>();
    for (const [county, g] of this.groupOf.get(component) ?? []) groups.set(g, [...(groups.get(g) ?? []), county]);
    return [...groups.values()].filter((m) => m.length >= 2 && m.length < this.input.counties.length);
  }
}

interface LatentKey {
  family: string;
  category: string;
}

interface LatentSpec {
  cols: { lower: number; upper: number }[];
  rows: SparseRow[];
  atomExprs: [LatentKey, Expr][];
  /** The same model with every atom fixed to its true count, to check the model admits the truth. */
  check: ModelSpec;
  feasibleWith: boolean;
  /** Columns and rows of the press operations' tables. */
  pressCols: number[];
  pressRows: number[];
}

/**
 * The latent table of one group and quarter: n[role, disposition|none] and w[role, service] for the rest
 * of the records, plus one such table per press operation with its figures; atoms are sums of them.
 * Without rules, every atom is its own variable (plus the press tables).
 */
function latentSpec(atomList: { family: string; category: string; truth: number }[], rules: RecordRules | null, pressOps: (readonly Omit<PressFigure, 'release'>[])[]): LatentSpec {
  const cols: { lower: number; upper: number }[] = [];
  const rows: SparseRow[] = [];
  const pressCols: number[] = [];
  const pressRows: number[] = [];
  let inPress = false;
  const col = () => {
    cols.push({ lower: 0, upper: CAP });
    if (inPress) pressCols.push(cols.length - 1);
    return cols.length - 1;
  };
  const exprs = new Map<string, Expr>(atomList.map((a) => [`${a.family}|${a.category}`, new Map()]));
  const addRow = (expr: Expr, lower: number, upper: number) => {
    rows.push({ cols: [...expr.keys()], coefs: [...expr.values()], lower, upper });
    if (inPress) pressRows.push(rows.length - 1);
  };

  /** One table (the rest, or one press operation); returns its n variables by role and disposition. */
  const table = (r: RecordRules | null, contributes: boolean) => {
    const n = new Map<string, number>();
    const roles = CONTACT_ROLES as readonly ContactRole[];
    const dispositions = r ? null : [...DISPOSITIONS, 'none' as const];
    for (const role of roles) {
      for (const d of r ? r.dispositions[role] : (dispositions as string[])) n.set(`${role}|${d}`, col());
    }
    const personsOf = (role: string) => {
      const e: Expr = new Map();
      for (const [key, c] of n) if (key.startsWith(`${role}|`)) addTo(e, c);
      return e;
    };
    if (contributes) {
      for (const [key, c] of n) {
        const [role, d] = key.split('|') as [string, string];
        const p = exprs.get(`persons|${role}`);
        if (p) addTo(p, c);
        if (d !== 'none') {
          const o = exprs.get(`outcomes|${d}`);
          if (o) addTo(o, c);
        }
        if (role === 'minor' && d === 'protective_custody') {
          const cp = exprs.get('children_protected|all');
          if (cp) addTo(cp, c);
        }
      }
      for (const a of atomList) {
        if (a.family !== 'services') continue;
        const e = exprs.get(`services|${a.category}`) as Expr;
        for (const role of roles) {
          if (r && !r.services[role].includes(a.category as never)) continue;
          const w = col();
          addTo(e, w);
          // A person is offered a service at most once.
          const bound = personsOf(role);
          addTo(bound, w, -1);
          addRow(bound, 0, INFINITY);
        }
      }
    }
    return n;
  };

  if (rules) {
    table(rules, true);
  } else {
    // Without rules every atom of the rest is free: one variable each.
    for (const a of atomList) addTo(exprs.get(`${a.family}|${a.category}`) as Expr, col());
  }
  inPress = true;
  for (const figures of pressOps) {
    const n = table(rules, true);
    for (const f of figures) {
      const e: Expr = new Map();
      for (const [key, c] of n) {
        const [role, d] = key.split('|') as [string, string];
        if (f.role && role !== f.role) continue;
        if (f.disposition && d !== f.disposition) continue;
        addTo(e, c);
      }
      addRow(e, f.value, f.exact ? f.value : INFINITY);
    }
  }
  inPress = false;
  const atomExprs = atomList.map((a): [LatentKey, Expr] => [{ family: a.family, category: a.category }, exprs.get(`${a.family}|${a.category}`) as Expr]);
  const checkRows = [...rows];
  let feasibleWith = true;
  for (const [key, expr] of atomExprs) {
    const truth = atomList.find((a) => a.family === key.family && a.category === key.category)?.truth ?? 0;
    if (expr.size === 0 && truth !== 0) feasibleWith = false;
    checkRows.push({ cols: [...expr.keys()], coefs: [...expr.values()], lower: truth, upper: truth });
  }
  return { cols, rows, atomExprs, check: { cols, rows: checkRows }, feasibleWith, pressCols, pressRows };
}

let checker: { highs: Awaited<ReturnType<typeof loadSolver>> } | null = null;
function feasible(spec: ModelSpec): boolean {
  if (!checker) throw new Error('solver not loaded');
  const m = new LinearModel(checker.highs, spec);
  try {
    return m.optimize(new Float64Array(spec.cols.length), 1) !== null;
  } finally {
    m.dispose();
  }
}

// ---------------------------------------------------------------------------------------------- the audit

class Auditor {
  private readonly hidden: { key: string; protects: string }[] = [];
  private readonly already: ProtectedCount[] = [];
  private readonly ranges = new Map<string, ProtectedCount>();
  private readonly queue: Target[];
  private readonly cells: AuditCell[];
  private done = 0;
  private lastYield = Date.now();

  constructor(
    private readonly input: YearAuditInput,
    private readonly b: YearBuilder,
    private readonly model: LinearModel,
  ) {
    this.cells = input.cells.map((c) => ({ ...c }));
    if (b.pressRows.length || b.targets.some((t) => t.constant > 0)) {
      // Every column but the press tables' fixed at 0; only the press tables' rows.
      const cols = b.cols.map((c, i) => (b.pressCols.has(i) ? c : { lower: 0, upper: 0 }));
      this.pressModel = new LinearModel(checker!.highs, { cols, rows: b.pressRows.map((r) => b.rows[r] as SparseRow) });
    }
    this.queue = b.targets.map((t) => this.floored(t));
  }

  private pressModel: LinearModel | null = null;
  /** Ranges found, by symmetry class of the count (see YearBuilder.countyClasses); cleared when a cell is hidden. */
  private symmetric = new Map<string, { lo: number; hi: number }>();
  private classes: Map<string, string> | null = null;

  private shape(t: Target): string | null {
    if (t.county === null) return null;
    this.classes ??= this.b.countyClasses(this.cells.map((c) => c.published));
    const cls = this.classes.get(`${componentOf(t.family)}|${t.county}`);
    if (cls === undefined) return null;
    const k = this.input.k;
    return `${t.kind}|${t.key.replace(`/${t.county}/`, `/#${cls}/`)}|${t.value < k ? 'small' : t.value}|${t.floor}`;
  }

  private floored(t: Target): Target {
    if (!this.pressModel) return t;
    const touches = [...t.expr.keys()].some((c) => this.b.pressCols.has(c));
    if (!touches) return { ...t, floor: t.constant };
    const low = this.pressModel.optimize(this.cost(t), 1);
    return { ...t, floor: t.constant + Math.max(0, low?.value ?? 0) };
  }

  private cost(t: Target): Float64Array {
    const c = new Float64Array(this.model.numCols);
    for (const [col, v] of t.expr) c[col] = v;
    return c;
  }

  private needsUpTo(t: Target): number {
    return t.value < this.input.k ? t.floor + this.input.k - 1 : t.value + this.input.k - 1;
  }

  async run(): Promise<YearAuditResult> {
    try {
      return await this.audit();
    } finally {
      this.pressModel?.dispose();
    }
  }

  private async audit(): Promise<YearAuditResult> {
    if (!this.model.optimize(new Float64Array(this.model.numCols), 1)) {
      throw new Error(`audit of ${this.input.year}: the published cells contradict the true counts`);
    }
    // Batches certify most targets in two solves; the rest are solved one by one.
    const total = this.queue.length;
    const pending = this.certify(this.queue);
    this.done = total - pending.length;
    this.input.onProgress?.(this.done, total);
    const work = [...pending];
    for (let i = 0; i < work.length; i++) {
      const t = work[i] as Target;
      await this.protect(t, work);
      this.done++;
      this.input.onProgress?.(this.done, Math.max(total, work.length));
      if (Date.now() - this.lastYield > 50) {
        await new Promise((r) => setImmediate(r));
        this.lastYield = Date.now();
      }
    }
    return { hidden: this.hidden, alreadyDisclosed: this.already, ranges: [...this.ranges.values()], solves: this.model.solves, relaxed: this.b.relaxed };
  }

  /**
   * Targets that batch solves cannot show protected. Low end: one point where every small count is 0 at
   * once certifies all of them. High end: maximizing the (scaled) sum of the targets still short reaches
   * many needs at once; a few rounds, then the rest are solved one by one. A certified target's range is
   * recorded as what was shown: [0 (or at most its value), at least its need].
   */
  private certify(targets: readonly Target[]): Target[] {
    if (!targets.length) return [];
    const k = this.input.k;
    const small = targets.filter((t) => t.value < k && !t.anyOne);
    const lowOk = new Set<Target>(targets.filter((t) => t.anyOne));
    if (small.length) {
      const cost = new Float64Array(this.model.numCols);
      for (const t of small) for (const [c, v] of t.expr) cost[c] = (cost[c] as number) + v;
      const low = this.model.optimize(cost, 1);
      if (low) for (const t of small) if (evaluate(t, low) <= t.floor + EPS) lowOk.add(t);
    }
    const need = new Map(targets.map((t) => [t, this.needsUpTo(t)]));
    let rest = targets.filter((t) => t.value >= k || lowOk.has(t));
    const out = targets.filter((t) => t.value < k && !lowOk.has(t));
    for (let round = 0; round < 4 && rest.length; round++) {
      const cost = new Float64Array(this.model.numCols);
      for (const t of rest) for (const [c, v] of t.expr) cost[c] = (cost[c] as number) + v / Math.max(1, need.get(t) as number);
      const high = this.model.optimize(cost, -1);
      if (!high) break;
      const next = rest.filter((t) => {
        if (evaluate(t, high) < (need.get(t) as number) - EPS) return true;
        this.record(t, t.value < k ? t.floor : t.value, need.get(t) as number);
        return false;
      });
      if (next.length === rest.length) break;
      rest = next;
    }
    return [...out, ...rest];
  }

  private record(t: Target, lo: number, hi: number) {
    this.ranges.set(t.key, { key: t.key, kind: t.kind, value: t.value, lo, hi });
  }

  /** Range of a target; null ends when infeasible (never, for a model the truth satisfies). */
  private range(t: Target): { lo: number; hi: number; low: Optimum; high: Optimum } {
    const cost = this.cost(t);
    const low = this.model.optimize(cost, 1);
    const high = this.model.optimize(cost, -1);
    if (!low || !high) throw new Error(`audit of ${this.input.year}: the model became infeasible`);
    return { lo: low.value + t.constant, hi: high.value + t.constant, low, high };
  }

  private ok(t: Target, lo: number, hi: number): boolean {
    const k = this.input.k;
    if (t.value < k) return (t.anyOne || lo <= t.floor + EPS) && hi >= t.floor + k - 1 - EPS;
    return hi - lo >= k - 1 - EPS;
  }

  /** Hides cells until `t` is protected (or reports it as already disclosed). Hidden cells join `work`. */
  private async protect(t: Target, work: Target[]) {
    for (;;) {
      const shape = this.shape(t);
      const known = shape ? this.symmetric.get(shape) : undefined;
      if (known && this.ok(t, known.lo, known.hi)) {
        this.record(t, known.lo, known.hi);
        return;
      }
      const r = this.range(t);
      if (this.ok(t, r.lo, r.hi)) {
        this.record(t, whole(r.lo, 1), whole(r.hi, -1));
        if (shape) this.symmetric.set(shape, { lo: whole(r.lo, 1), hi: whole(r.hi, -1) });
        return;
      }
      if (!this.input.suppress) {
        this.already.push({ key: t.key, kind: t.kind, value: t.value, lo: whole(r.lo, 1), hi: whole(r.hi, -1) });
        this.record(t, whole(r.lo, 1), whole(r.hi, -1));
        return;
      }
      // Which end is short: the binding published rows there are the cells worth hiding.
      const shortLow = t.value < this.input.k && !t.anyOne && r.lo > t.floor + EPS;
      let pick = this.choose((shortLow ? r.low : r.high).rowDual);
      if (pick === null && !this.stuck(t)) pick = this.choose(null);
      if (pick === null) {
        this.already.push({ key: t.key, kind: t.kind, value: t.value, lo: whole(r.lo, 1), hi: whole(r.hi, -1) });
        this.record(t, whole(r.lo, 1), whole(r.hi, -1));
        return;
      }
      this.hide(pick, t.key, work);
    }
  }

  /** True when hiding every hideable cell still leaves `t` short: nothing this release does can help. */
  private stuck(t: Target): boolean {
    const rows = this.cells.flatMap((c, i) => (c.published && c.hideable ? [this.b.cellRow[i] as number] : []));
    if (!rows.length) return true;
    const spec: ModelSpec = { cols: this.b.cols, rows: this.b.rows.map((r, i) => (rows.includes(i) ? { ...r, lower: -INFINITY, upper: INFINITY } : r)) };
    const m = new LinearModel(checker!.highs, spec);
    try {
      const cost = this.cost(t);
      const low = m.optimize(cost, 1);
      const high = m.optimize(cost, -1);
      if (!low || !high) return true;
      return !this.ok(t, low.value + t.constant, high.value + t.constant);
    } finally {
      m.dispose();
    }
  }

  /**
   * The published hideable cell to hide: among those whose row binds (non-zero dual) — or any, when
   * `duals` is null — the least aggregated, then the smallest, then by key.
   */
  private choose(duals: Float64Array | null): number | null {
    let best: number | null = null;
    this.cells.forEach((c, i) => {
      if (!c.published || !c.hideable) return;
      const row = this.b.cellRow[i] as number;
      if (duals && Math.abs(duals[row] as number) <= 1e-9) return;
      if (best === null || preference(c, this.cells[best] as AuditCell) < 0) best = i;
    });
    return best;
  }

  private hide(i: number, protects: string, work: Target[]) {
    const cell = this.cells[i] as AuditCell;
    cell.published = false;
    this.model.freeRow(this.b.cellRow[i] as number);
    this.symmetric.clear();
    this.classes = null;
    this.hidden.push({ key: cell.key, protects });
    const { expr, constant } = this.b.sumOf(i);
    work.push(this.floored({ key: cell.key, kind: 'cell', value: cell.value, expr, constant, cell: i, floor: 0, family: cell.family, county: this.b.soleCounty(i) }));
  }
}

/** A bound rounded inward to a whole count (`up` 1 for a low end, −1 for a high end), never −0. */
function whole(x: number, up: 1 | -1): number {
  return (up === 1 ? Math.ceil(x - EPS) : Math.floor(x + EPS)) + 0;
}

function evaluate(t: Target, s: Optimum): number {
  let v = t.constant;
  for (const [c, coef] of t.expr) v += coef * (s.colValue[c] as number);
  return v;
}

function aggregation(d: CellDimensions): number {
  return (d.county === ALL ? 1 : 0) + (d.category === ALL ? 1 : 0) + (d.periodType === 'year' ? 1 : 0);
}

/** Hide first the least aggregated cells, then the smallest, then by key. */
function preference(a: AuditCell, b: AuditCell): number {
  return aggregation(a.dimensions) - aggregation(b.dimensions) || a.value - b.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Loads the solver for the module's feasibility checks; call before {@link auditYear} builds. */
export async function ready(): Promise<void> {
  checker ??= { highs: await loadSolver() };
}
