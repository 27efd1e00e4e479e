import { CONTACT_ROLES, DISPOSITIONS, SERVICES } from '../../../common/operations.ts';

/**
 * The layout of a public-statistics release (docs/disclosure.md, "Cells, periods and families").
 *
 * The finest counts are **atoms**: family × category × county × closed quarter. Every published cell is
 * the sum of a fixed list of atoms, and that list *is* the cell's definition: the attacker of
 * docs/disclosure.md knows it, so a cell lists every atom it sums, zero counts included. A cell's key is
 * derived from its definition alone, so two releases that show the same sum give it the same key and the
 * ledger can line them up.
 *
 * Pure and deterministic: the same input gives the same cells in the same order.
 */

export const FAMILIES = {
  operations: ['all'],
  persons: CONTACT_ROLES,
  outcomes: DISPOSITIONS,
  services: SERVICES,
  /** Illicit businesses closed by the business campaign (issue #11), each counted once, when it first closes. */
  businesses_closed: ['all'],
} as const satisfies Record<string, readonly string[]>;
export type Family = keyof typeof FAMILIES;
export const FAMILY_NAMES = Object.keys(FAMILIES) as Family[];

/**
 * The families published by county (county × year, once the year has ended): operations and businesses
 * closed, counts of events rather than of people. Persons, outcomes and services are statewide only: a
 * county count of people is the small number that points at someone.
 */
export const COUNTY_FAMILIES: readonly Family[] = ['operations', 'businesses_closed'];

/** "every county" / "every category" in a cell's dimensions; also the one category of single-count families. */
export const ALL = 'all';

/** A calendar quarter, `2020Q4`. */
export type Quarter = string;
const QUARTER = /^(\d{4})Q([1-4])$/;

/** `family|category|county|quarter`: the one spelling of an atom, shared by cells, ledger and attacker. */
export type AtomKey = string;

export interface Atom {
  family: string;
  category: string;
  county: string;
  quarter: Quarter;
}

export function atomKey(a: Atom): AtomKey {
  return `${a.family}|${a.category}|${a.county}|${a.quarter}`;
}

export function parseAtomKey(key: AtomKey): Atom {
  const parts = key.split('|');
  const [family, category, county, quarter] = parts;
  if (parts.length !== 4 || !family || !category || !county || !quarter || !QUARTER.test(quarter)) {
    throw new Error(`malformed atom key ${JSON.stringify(key)}`);
  }
  return { family, category, county, quarter };
}

export interface CellDimensions {
  /** `2020Q4` for a quarter cell, `2020` for a year cell. */
  period: string;
  periodType: 'quarter' | 'year';
  /** County FIPS, or `all` for the statewide figure. */
  county: string;
  /** A category of the family, or `all` for the family's total. */
  category: string;
  /**
   * Only on a year cell that does not cover the whole year (the first year Lantern published, when it
   * started after the first quarter): the first and last quarter it sums.
   */
  partial?: { from: Quarter; through: Quarter };
}

export interface CellDefinition {
  /** Stable across releases: same definition, same key. */
  key: string;
  family: Family;
  dimensions: CellDimensions;
  /** Exactly the atoms the value sums, zero counts included. */
  atoms: AtomKey[];
  value: number;
}

export interface ReleaseLayoutInput {
  /** Atom counts; an atom that is absent counts 0. Counts of quarters not being published are ignored. */
  counts: ReadonlyMap<AtomKey, number>;
  /** The closed quarters to publish: ascending and consecutive (`2019Q3`, `2019Q4`, `2020Q1`, …). */
  quarters: readonly Quarter[];
  /** Every county of the state (FIPS), in the order the tables list them. */
  counties: readonly string[];
  /** The families to publish and their categories; every family of {@link FAMILIES} by default. */
  families?: Partial<Record<Family, readonly string[]>>;
}

function quarterIndex(q: Quarter): number {
  const m = QUARTER.exec(q);
  if (!m) throw new Error(`malformed quarter ${JSON.stringify(q)}: expected e.g. 2020Q4`);
  return Number(m[1]) * 4 + Number(m[2]) - 1;
}

/**
 * The period part of a key: `2020Q2` for one quarter, `2020` for a whole year, `2020:Q1-Q3` for a run of
 * quarters within a year (a guard, or the year cell of a year Lantern started publishing in mid-year).
 */
function period(year: string, quarters: readonly Quarter[]): { key: string; dimensions: Pick<CellDimensions, 'period' | 'periodType' | 'partial'> } {
  const from = quarters[0] as Quarter;
  const through = quarters[quarters.length - 1] as Quarter;
  if (quarters.length === 1) return { key: from, dimensions: { period: from, periodType: 'quarter' } };
  if (quarters.length === 4) return { key: year, dimensions: { period: year, periodType: 'year' } };
  return { key: `${year}:${from.slice(4)}-${through.slice(4)}`, dimensions: { period: year, periodType: 'year', partial: { from, through } } };
}

/** A cell before its atoms are listed: one county (or all) and one category (or all) of a family over a run of quarters. */
interface CellSpec {
  key: string;
  family: Family;
  year: string;
  county: string;
  category: string;
  quarters: readonly Quarter[];
}

interface FamilyYear {
  family: Family;
  categories: readonly string[];
  year: string;
  /** The year's quarters this release covers. */
  quarters: readonly Quarter[];
  /** Its fourth quarter is among them: the year's cells are published. */
  ended: boolean;
  /** The family is published by county ({@link COUNTY_FAMILIES}). */
  byCounty: boolean;
}

/**
 * One release's layout: which cells it shows ({@link ReleaseLayout.cells}) and which unshown sums it must
 * protect ({@link ReleaseLayout.guards}). Validates its input once; atom keys are built once and shared
 * by every cell that sums them.
 */
export class ReleaseLayout {
  private readonly families: Partial<Record<Family, readonly string[]>>;
  private readonly groups: FamilyYear[] = [];
  private readonly specs: CellSpec[] = [];
  private readonly atomKeys = new Map<string, AtomKey[]>();

  constructor(private readonly input: ReleaseLayoutInput) {
    const { counts, quarters, counties } = input;
    this.families = input.families ?? FAMILIES;
    quarters.forEach((q, i) => {
      const prev = quarters[i - 1];
      const index = quarterIndex(q);
      if (prev !== undefined && index !== quarterIndex(prev) + 1) {
        throw new Error(`quarters must be consecutive and ascending: ${prev} is followed by ${q}`);
      }
    });
    if (new Set(counties).size !== counties.length || counties.some((c) => !c || c === ALL || c.includes('|'))) {
      throw new Error('counties must be distinct FIPS codes');
    }
    for (const [family, categories] of Object.entries(this.families)) {
      if (!(family in FAMILIES)) throw new Error(`unknown family ${family}`);
      if (!categories?.length || new Set(categories).size !== categories.length || categories.some((c) => !c || c.includes('|'))) {
        throw new Error(`family ${family} needs distinct categories`);
      }
      if (categories.length > 1 && categories.includes(ALL)) throw new Error(`family ${family}: "all" is its total, not a category`);
    }
    checkCounts(counts, this.families, new Set(counties));

    const years = new Map<string, Quarter[]>();
    for (const q of quarters) {
      const year = q.slice(0, 4);
      years.set(year, [...(years.get(year) ?? []), q]);
    }
    for (const family of FAMILY_NAMES) {
      const categories = this.families[family];
      if (!categories) continue;
      for (const [year, qs] of years) {
        this.groups.push({ family, categories, year, quarters: qs, ended: qs.includes(`${year}Q4`), byCounty: COUNTY_FAMILIES.includes(family) });
      }
    }

    const seen = new Set<string>();
    for (const { family, categories, year, quarters: qs, ended, byCounty } of this.groups) {
      const add = (county: string, category: string, run: readonly Quarter[]) => {
        const spec = this.spec(family, year, county, category, run);
        if (seen.has(spec.key)) return;
        seen.add(spec.key);
        this.specs.push(spec);
      };
      for (const quarter of qs) {
        for (const category of categories) add(ALL, category, [quarter]);
        add(ALL, ALL, [quarter]);
      }
      if (!ended) continue;
      for (const category of categories) add(ALL, category, qs);
      add(ALL, ALL, qs);
      if (byCounty) for (const county of counties) add(county, ALL, qs);
    }
  }

  /**
   * The cells of the release. Per family and year of the published quarters:
   * - every quarter: statewide quarter × category and the quarter's total (all categories);
   * - only once the year has ended (its fourth quarter is published): statewide year × category, the
   *   year total and, for the families published by county ({@link COUNTY_FAMILIES}: operations and
   *   businesses closed), county × year for every county.
   * There is no year-to-date cell: a year's cells appear once, when it has ended, and never change. A year
   * cell sums the year's published quarters (`partial` when Lantern started publishing after its first
   * quarter). Cells of the same definition are listed once: a single-category family's category cell is
   * its total, and a year with one published quarter has that quarter's cells as its statewide year cells
   * (its county cells are county × that quarter).
   */
  cells(): CellDefinition[] {
    return this.specs.map((spec) => this.cell(spec));
  }

  /**
   * The sums the release does not show but that an attacker can work out by subtraction, to be protected
   * like hidden cells (suppression.ts, `guards`). Quarters are related only through the year cells, so
   * what subtraction yields is a count over a run of quarters: with the year total and two of its
   * quarters published, the sum of the other two is their difference even when both are hidden, and two
   * hidden counts of 2 must not come out as "4". The guards are therefore every run of consecutive
   * published quarters within a year, for each category statewide, for the statewide total and — for the
   * families published by county — for each county (all categories), except the sums the release itself
   * shows. (County × category sums are not guards: no combination of these cells can isolate one.)
   *
   * Frozen quarters make the guards of a closed run identical in every later release, and the suppression
   * check only needs those of the years whose published quarters changed: `years` limits the output to
   * those (all years by default).
   */
  guards(years?: readonly string[]): CellDefinition[] {
    const seen = new Set(this.specs.map((s) => s.key));
    const guards: CellDefinition[] = [];
    for (const { family, categories, year, quarters, byCounty } of this.groups) {
      if (years && !years.includes(year)) continue;
      const add = (county: string, category: string, run: readonly Quarter[]) => {
        const spec = this.spec(family, year, county, category, run);
        if (seen.has(spec.key)) return;
        seen.add(spec.key);
        guards.push(this.cell(spec));
      };
      for (let i = 0; i < quarters.length; i++) {
        for (let j = i; j < quarters.length; j++) {
          const run = quarters.slice(i, j + 1);
          if (byCounty) for (const county of this.input.counties) add(county, ALL, run);
          for (const category of categories) add(ALL, category, run);
          add(ALL, ALL, run);
        }
      }
    }
    return guards;
  }

  private spec(family: Family, year: string, county: string, category: string, quarters: readonly Quarter[]): CellSpec {
    return { key: `${family}/${category}/${county}/${period(year, quarters).key}`, family, year, county, category, quarters };
  }

  /** The atoms of one family, category and quarter, one per county in county order. */
  private atomsAcrossCounties(family: Family, category: string, quarter: Quarter): AtomKey[] {
    const id = `${family}|${category}|${quarter}`;
    let atoms = this.atomKeys.get(id);
    if (!atoms) this.atomKeys.set(id, (atoms = this.input.counties.map((county) => atomKey({ family, category, county, quarter }))));
    return atoms;
  }

  private cell(s: CellSpec): CellDefinition {
    const { counts, counties } = this.input;
    const categories = s.category === ALL ? (this.families[s.family] as readonly string[]) : [s.category];
    const one = s.county === ALL ? -1 : counties.indexOf(s.county);
    const atoms: AtomKey[] = [];
    let value = 0;
    for (const category of categories) {
      for (const quarter of s.quarters) {
        const across = this.atomsAcrossCounties(s.family, category, quarter);
        for (const atom of one < 0 ? across : [across[one] as AtomKey]) {
          atoms.push(atom);
          value += counts.get(atom) ?? 0;
        }
      }
    }
    return { key: s.key, family: s.family, dimensions: { ...period(s.year, s.quarters).dimensions, county: s.county, category: s.category }, atoms, value };
  }
}

/** The cells of one release: {@link ReleaseLayout.cells}. */
export function buildReleaseCells(input: ReleaseLayoutInput): CellDefinition[] {
  return new ReleaseLayout(input).cells();
}

/** The guards of one release: {@link ReleaseLayout.guards}. */
export function buildGuardCells(input: ReleaseLayoutInput, years?: readonly string[]): CellDefinition[] {
  return new ReleaseLayout(input).guards(years);
}

/** A count for a family, category or county the layout does not know would silently vanish from every total. */
function checkCounts(counts: ReadonlyMap<AtomKey, number>, families: Partial<Record<Family, readonly string[]>>, counties: Set<string>) {
  for (const [key, n] of counts) {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`count of ${key} must be a non-negative integer, not ${n}`);
    const atom = parseAtomKey(key);
    const categories = families[atom.family as Family];
    if (!categories) continue;
    if (!categories.includes(atom.category)) throw new Error(`count of ${key}: ${atom.category} is not a category of ${atom.family}`);
    if (!counties.has(atom.county)) throw new Error(`count of ${key}: ${atom.county} is not a listed county`);
  }
}
