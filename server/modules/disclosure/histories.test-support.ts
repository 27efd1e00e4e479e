import fc from 'fast-check';
import { atomKey, FAMILIES, FAMILY_NAMES, ReleaseLayout, type CellDefinition, type Family } from './statistics.cells.ts';
import { suppressRelease, type ReleaseCell, type SuppressOptions } from './suppression.ts';

/** Random release histories for the property tests of suppression.ts and attacker.ts. */

export const COUNTY_POOL = ['29095', '29189', '29510'];
const FIRST_QUARTERS = ['2019Q3', '2019Q4', '2020Q1', '2020Q2', '2020Q3', '2020Q4', '2021Q1', '2021Q2', '2021Q3'];

export interface History {
  families: Partial<Record<Family, readonly string[]>>;
  counties: string[];
  /** Quarters covered by each release: the first quarters of FIRST_QUARTERS. */
  covered: number[];
  counts: Map<string, number>;
}

/** Mostly small counts (0 … 4), so that primary and complementary suppression both happen often. */
export const smallCounts = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 2, arbitrary: fc.integer({ min: 5, max: 40 }) });

/**
 * 1–2 families with 1–3 of their categories, 1–3 counties, 2–6 releases each adding a quarter (or, now
 * and then, publishing the same quarters again), starting in mid-2019 so that years turn over.
 */
export function historyArb(counts: fc.Arbitrary<number> = smallCounts): fc.Arbitrary<History> {
  return fc
    .record({
      families: fc.uniqueArray(fc.record({ family: fc.constantFrom(...FAMILY_NAMES), from: fc.nat(10), size: fc.integer({ min: 1, max: 3 }) }), {
        minLength: 1,
        maxLength: 2,
        selector: (f) => f.family,
      }),
      counties: fc.integer({ min: 1, max: COUNTY_POOL.length }),
      first: fc.integer({ min: 1, max: 2 }),
      steps: fc.array(fc.constantFrom(0, 1, 1, 1), { minLength: 1, maxLength: 5 }),
      values: fc.array(counts, { minLength: 64, maxLength: 64 }),
    })
    .map(({ families, counties, first, steps, values }) => {
      const chosen: Partial<Record<Family, readonly string[]>> = {};
      for (const { family, from, size } of families) {
        const all = FAMILIES[family];
        const start = from % all.length;
        chosen[family] = all.slice(start, start + size);
      }
      const covered = [first];
      for (const step of steps) covered.push(Math.min(FIRST_QUARTERS.length, (covered[covered.length - 1] as number) + step));
      const fips = COUNTY_POOL.slice(0, counties);
      const map = new Map<string, number>();
      let i = 0;
      for (const [family, categories] of Object.entries(chosen)) {
        for (const category of categories) {
          for (const county of fips) {
            for (const quarter of FIRST_QUARTERS) map.set(atomKey({ family, category, county, quarter }), values[i++ % values.length] as number);
          }
        }
      }
      return { families: chosen, counties: fips, covered, counts: map };
    });
}

export function layoutOf(h: History, release: number): ReleaseLayout {
  return new ReleaseLayout({ counts: h.counts, quarters: FIRST_QUARTERS.slice(0, h.covered[release]), counties: h.counties, families: h.families });
}

/** Publishes every release of the history in turn, each checked against those before it. */
export function publish(h: History, options: SuppressOptions = {}): { cells: CellDefinition[]; release: ReleaseCell[] }[] {
  const ledger: ReleaseCell[][] = [];
  return h.covered.map((_, r) => {
    const layout = layoutOf(h, r);
    const cells = layout.cells();
    const release = suppressRelease(cells, ledger, { guards: layout.guards(), ...options });
    ledger.push(release);
    return { cells, release };
  });
}

/** The true value of a cell, summed here from the counts rather than taken from the layout. */
export function trueValue(h: History, atoms: readonly string[]): number {
  return atoms.reduce((sum, a) => sum + (h.counts.get(a) ?? 0), 0);
}
