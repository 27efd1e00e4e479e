import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attack } from './linear-attacker.ts';
import { historyArb, layoutOf, publish, trueValue } from './histories.test-support.ts';
import { atomKey, ReleaseLayout, type CellDefinition, type CellDimensions } from './statistics.cells.ts';
import { FrozenValueError, LedgerError, LedgerIndex, suppressRelease, type ReleaseCell } from './suppression.ts';

/**
 * A hand-made table of the `persons` family in 2020: rows are quarters, columns are categories, one
 * county, so that every interior cell is one atom. `values[q][c]` is the count of quarter q+1, category c.
 */
function table(values: number[][], categories = ['suspect', 'minor', 'witness'].slice(0, values[0]?.length)): CellDefinition[] {
  const atom = (q: number, c: number) => atomKey({ family: 'persons', category: categories[c] as string, county: '29095', quarter: `2020Q${q + 1}` });
  const cell = (key: string, dimensions: CellDimensions, atoms: string[]): CellDefinition => ({
    key,
    family: 'persons',
    dimensions,
    atoms,
    value: atoms.reduce((s, a) => {
      const [, cat, , quarter] = a.split('|');
      return s + (values[Number(quarter?.slice(5)) - 1]?.[categories.indexOf(cat as string)] as number);
    }, 0),
  });
  const quarters = values.map((_, q) => q);
  const cats = categories.map((_, c) => c);
  return [
    ...quarters.flatMap((q) => cats.map((c) => cell(`r${q}c${c}`, { period: `2020Q${q + 1}`, periodType: 'quarter', county: 'all', category: categories[c] as string }, [atom(q, c)]))),
    ...quarters.map((q) => cell(`r${q}`, { period: `2020Q${q + 1}`, periodType: 'quarter', county: 'all', category: 'all' }, cats.map((c) => atom(q, c)))),
    ...cats.map((c) => cell(`c${c}`, { period: '2020', periodType: 'year', county: 'all', category: categories[c] as string }, quarters.map((q) => atom(q, c)))),
    cell('total', { period: '2020', periodType: 'year', county: 'all', category: 'all' }, quarters.flatMap((q) => cats.map((c) => atom(q, c)))),
  ];
}

const hiddenKeys = (release: ReleaseCell[]) => release.filter((c) => c.suppressed).map((c) => c.key).sort();

describe('suppressRelease: classic cases', () => {
  it('2×2 table with totals and one small cell: the other cells of its row and column go too, and the fourth', () => {
    const release = suppressRelease(table([[2, 30], [40, 50]]), []);
    // Hiding the small cell's row neighbour and column neighbour leaves the fourth cell
    // determined by its row total, and through it everything else: all four interior cells go, no total.
    expect(hiddenKeys(release)).toEqual(['r0c0', 'r0c1', 'r1c0', 'r1c1']);
    expect(attack([release])).toEqual([]);
    expect(release.find((c) => c.key === 'total')).toMatchObject({ suppressed: false, value: 122 });
  });

  it('3×3 table with totals: one small cell costs a rectangle of four, the smallest one available', () => {
    const release = suppressRelease(table([[3, 20, 9], [11, 30, 40], [8, 60, 70]]), []);
    const hidden = hiddenKeys(release);
    expect(hidden).toContain('r0c0');
    expect(hidden.filter((k) => k.startsWith('r0c'))).toHaveLength(2); // a second cell in the same row
    expect(hidden.filter((k) => k.startsWith('r') && k.endsWith('c0'))).toHaveLength(2); // and in the same column
    expect(hidden).toEqual(['r0c0', 'r0c2', 'r2c0', 'r2c2']); // 9 and 8 are the smallest partners
    expect(attack([release])).toEqual([]);
  });

  it('a small cell whose only other cell in the row is its total: the total is hidden', () => {
    // One category, one county: the quarter cell is the quarter total; 2020Q1–Q3 were published earlier.
    const counts = new Map(
      [12, 20, 30, 3].map((n, i) => [atomKey({ family: 'operations', category: 'all', county: '29095', quarter: `2020Q${i + 1}` }), n] as const),
    );
    const input = (n: number) => new ReleaseLayout({ counts, quarters: ['2020Q1', '2020Q2', '2020Q3', '2020Q4'].slice(0, n), counties: ['29095'], families: { operations: ['all'] } });
    const first = suppressRelease(input(3).cells(), [], { guards: input(3).guards() });
    expect(hiddenKeys(first)).toEqual([]);
    const second = suppressRelease(input(4).cells(), [first], { guards: input(4).guards() });
    // 2020 = Q1 + Q2 + Q3 + Q4 and Q1–Q3 are already out: the year totals (statewide and the county's) must go.
    expect(hiddenKeys(second)).toEqual(['operations/all/29095/2020', 'operations/all/all/2020', 'operations/all/all/2020Q4']);
    expect(attack([first, second])).toEqual([]);
  });

  it('DESIGN.md §4: two hidden quarters must not come out as their sum when the year total is published', () => {
    // Operations in two counties: 2020Q1 and Q2 hold 2 each statewide (hidden), Q3 and Q4 are large. Once
    // the year has ended, year − Q3 − Q4 = Q1 + Q2 = 4 — a count under 5 that no single cell shows.
    const counts = new Map<string, number>();
    const set = (county: string, quarter: string, n: number) => counts.set(atomKey({ family: 'operations', category: 'all', county, quarter }), n);
    for (const county of ['29095', '29189']) {
      set(county, '2020Q1', 1);
      set(county, '2020Q2', 1);
      set(county, '2020Q3', 10);
      set(county, '2020Q4', 12);
    }
    const layout = (n: number) => new ReleaseLayout({ counts, quarters: ['2020Q1', '2020Q2', '2020Q3', '2020Q4'].slice(0, n), counties: ['29095', '29189'], families: { operations: ['all'] } });
    const first = suppressRelease(layout(3).cells(), [], { guards: layout(3).guards() });
    expect(hiddenKeys(first)).toEqual(['operations/all/all/2020Q1', 'operations/all/all/2020Q2']);
    expect(first.find((c) => c.key === 'operations/all/all/2020Q3')).toMatchObject({ suppressed: false, value: 20 });

    // Without the guards the engine sees no hidden cell at risk in release 2 and publishes the year: the attack finds the 4.
    const naive = suppressRelease(layout(4).cells(), [first]);
    expect(naive.find((c) => c.key === 'operations/all/all/2020')).toMatchObject({ suppressed: false, value: 48 });
    expect(attack([first, naive])).toEqual([expect.objectContaining({ key: 'sum:operations/*/*/2020Q1-Q2', kind: 'natural-sum', value: 4 })]);

    const second = suppressRelease(layout(4).cells(), [first], { guards: layout(4).guards() });
    // Hiding the new quarter is enough: year − Q3 now only gives Q1 + Q2 + Q4.
    expect(hiddenKeys(second)).toEqual(['operations/all/all/2020Q1', 'operations/all/all/2020Q2', 'operations/all/all/2020Q4']);
    expect(second.find((c) => c.key === 'operations/all/all/2020')).toMatchObject({ suppressed: false, value: 48 });
    expect(attack([first, second])).toEqual([]);
  });

  it('the same cell across releases keeps its value and its suppression, even when no longer needed', () => {
    const counts = new Map<string, number>();
    const set = (category: string, quarter: string, n: number) => counts.set(atomKey({ family: 'persons', category, county: '29095', quarter }), n);
    set('suspect', '2020Q1', 2);
    set('minor', '2020Q1', 30);
    set('suspect', '2020Q2', 50);
    set('minor', '2020Q2', 60);
    const layout = (n: number) => new ReleaseLayout({ counts, quarters: ['2020Q1', '2020Q2'].slice(0, n), counties: ['29095'], families: { persons: ['suspect', 'minor'] } });
    const first = suppressRelease(layout(1).cells(), [], { guards: layout(1).guards() });
    const second = suppressRelease(layout(2).cells(), [first], { guards: layout(2).guards() });
    const both = first.filter((cell) => second.some((c) => c.key === cell.key));
    expect(both.map((c) => c.key)).toContain('persons/minor/all/2020Q1');
    for (const cell of both) {
      const again = second.find((c) => c.key === cell.key);
      expect({ key: again?.key, suppressed: again?.suppressed, value: again?.value }).toEqual({ key: cell.key, suppressed: cell.suppressed, value: cell.value });
    }
    // 30 minors in 2020Q1 was hidden to protect the 2 suspects, and stays hidden.
    expect(first.find((c) => c.key === 'persons/minor/all/2020Q1')).toMatchObject({ suppressed: true, value: null });
    expect(attack([first, second])).toEqual([]);
  });

  it('gives the same answer from the raw ledger and from a kept LedgerIndex', () => {
    const h = fc.sample(historyArb(), { seed: 42, numRuns: 1 })[0];
    if (!h) throw new Error('no sample');
    const ledger: ReleaseCell[][] = [];
    const index = new LedgerIndex();
    h.covered.forEach((_, r) => {
      const layout = layoutOf(h, r);
      const fromArrays = suppressRelease(layout.cells(), ledger, { guards: layout.guards() });
      expect(suppressRelease(layout.cells(), index, { guards: layout.guards() })).toEqual(fromArrays);
      ledger.push(fromArrays);
      index.add(fromArrays);
    });
  });
});

describe('suppressRelease: refusals', () => {
  const cells = table([[20, 30], [40, 50]]);
  const published = suppressRelease(cells, []);

  it('throws when a published cell comes back with another value (a frozen quarter changed)', () => {
    const changed = cells.map((c) => (c.key === 'r0c0' ? { ...c, value: 21 } : c));
    expect(() => suppressRelease(changed, [published])).toThrow(FrozenValueError);
  });

  it('throws on a ledger that publishes and suppresses the same key', () => {
    const hidden = published.map((c) => (c.key === 'r0c0' ? { ...c, suppressed: true, value: null } : c));
    expect(() => suppressRelease(cells, [published, hidden])).toThrow(LedgerError);
  });

  it('throws on a cell whose atoms span two years or two families', () => {
    const spanning = { ...(cells[0] as CellDefinition), key: 'x', atoms: ['persons|suspect|29095|2020Q4', 'persons|suspect|29095|2021Q1'] };
    expect(() => suppressRelease([spanning], [])).toThrow(/more than one family or year/);
    const twoFamilies = { ...(cells[0] as CellDefinition), key: 'y', atoms: ['persons|suspect|29095|2020Q1', 'operations|all|29095|2020Q1'] };
    expect(() => suppressRelease([twoFamilies], [])).toThrow(/more than one family or year/);
  });

  it('throws on a key listed twice and on a definition that changed under the same key', () => {
    expect(() => suppressRelease([cells[0] as CellDefinition, cells[0] as CellDefinition], [])).toThrow(/twice/);
    const redefined = cells.map((c) => (c.key === 'total' ? { ...c, atoms: c.atoms.slice(1), value: c.value - 20 } : c));
    expect(() => suppressRelease(redefined, [published])).toThrow(LedgerError);
  });
});

describe('suppressRelease: properties over random histories', () => {
  it('for every release, the attacker holding all releases so far recovers nothing; primary cells are hidden; published values are true', () => {
    fc.assert(
      fc.property(historyArb(), (h) => {
        const releases = publish(h);
        const seen = new Map<string, ReleaseCell>();
        releases.forEach(({ cells, release }, r) => {
          release.forEach((cell, i) => {
            const def = cells[i] as CellDefinition;
            expect(cell.key).toBe(def.key);
            if (def.value < 5) expect(cell.suppressed, cell.key).toBe(true);
            if (!cell.suppressed) expect(cell.value, cell.key).toBe(trueValue(h, cell.atoms));
            const before = seen.get(cell.key);
            if (before) expect({ key: cell.key, suppressed: cell.suppressed, value: cell.value }).toEqual({ key: before.key, suppressed: before.suppressed, value: before.value });
            seen.set(cell.key, cell);
          });
          const recovered = attack(releases.slice(0, r + 1).map((x) => x.release));
          expect(recovered, `release ${r}: ${JSON.stringify(recovered[0])}`).toEqual([]);
        });
      }),
      { numRuns: 120 },
    );
  });

  it('with no count under k nothing is hidden', () => {
    fc.assert(
      fc.property(historyArb(fc.integer({ min: 5, max: 60 })), (h) => {
        for (const { release } of publish(h)) expect(release.filter((c) => c.suppressed)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('hides no more than primary suppression when the only small cells cannot be worked out anyway', () => {
    // One quarter, one county, several categories: each small category count is alone in its column,
    // the quarter total covers them all; with two or more small counts their sum is not a single cell.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 4 }), fc.array(fc.integer({ min: 5, max: 50 }), { minLength: 1, maxLength: 3 }), (small, large) => {
        const categories = ['food', 'lodging', 'medical', 'counseling', 'shelter', 'legal', 'interpreter'].slice(0, small.length + large.length);
        const counts = new Map(categories.map((category, i) => [atomKey({ family: 'services', category, county: '29095', quarter: '2020Q1' }), [...small, ...large][i] as number]));
        const layout = new ReleaseLayout({ counts, quarters: ['2020Q1'], counties: ['29095'], families: { services: categories } });
        const release = suppressRelease(layout.cells(), [], { guards: layout.guards() });
        const expected = layout.cells().filter((c) => c.value < 5).map((c) => c.key).sort();
        expect(hiddenKeys(release)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('computes the same suppression in BigInt as in checked doubles', () => {
    fc.assert(
      fc.property(historyArb(), (h) => {
        const auto = publish(h).map((x) => x.release);
        const big = publish(h, { arithmetic: 'bigint' }).map((x) => x.release);
        expect(big).toEqual(auto);
      }),
      { numRuns: 30 },
    );
  });
});
