import { describe, expect, it } from 'vitest';
import { jurisdictionOf } from '../../lib/jurisdiction.ts';
import { atomKey, buildGuardCells, buildReleaseCells, FAMILIES, FAMILY_NAMES, parseAtomKey, ReleaseLayout, type CellDefinition } from './statistics.cells.ts';

const counties = ['29095', '29189'];
const counts = new Map([
  [atomKey({ family: 'persons', category: 'minor', county: '29095', quarter: '2020Q1' }), 3],
  [atomKey({ family: 'persons', category: 'suspect', county: '29189', quarter: '2020Q2' }), 8],
  [atomKey({ family: 'persons', category: 'suspect', county: '29189', quarter: '2020Q3' }), 100], // not published yet
]);
const input = { counts, quarters: ['2020Q1', '2020Q2'], counties, families: { persons: ['suspect', 'minor'] } };
const byKey = (cells: CellDefinition[]) => new Map(cells.map((c) => [c.key, c]));

describe('buildReleaseCells', () => {
  const cells = buildReleaseCells(input);

  it('lays out quarter × category with row, column and grand totals, and county × year', () => {
    expect(cells.map((c) => c.key)).toEqual([
      'persons/suspect/all/2020Q1',
      'persons/minor/all/2020Q1',
      'persons/all/all/2020Q1',
      'persons/suspect/all/2020Q2',
      'persons/minor/all/2020Q2',
      'persons/all/all/2020Q2',
      'persons/suspect/all/2020:Q1-Q2',
      'persons/minor/all/2020:Q1-Q2',
      'persons/all/all/2020:Q1-Q2',
      'persons/all/29095/2020:Q1-Q2',
      'persons/all/29189/2020:Q1-Q2',
    ]);
    const cell = byKey(cells);
    expect(cell.get('persons/minor/all/2020:Q1-Q2')).toMatchObject({
      family: 'persons',
      dimensions: { period: '2020', periodType: 'year', county: 'all', category: 'minor', partial: { from: '2020Q1', through: '2020Q2' } },
      value: 3,
    });
    expect(cell.get('persons/all/29189/2020:Q1-Q2')?.value).toBe(8);
    expect(cell.get('persons/all/all/2020Q2')?.dimensions).toEqual({ period: '2020Q2', periodType: 'quarter', county: 'all', category: 'all' });
  });

  it('lists every atom a cell sums, zero counts included, and sums exactly those', () => {
    const cell = byKey(cells);
    expect([...(cell.get('persons/all/29095/2020:Q1-Q2')?.atoms ?? [])].sort()).toEqual(
      ['persons|minor|29095|2020Q1', 'persons|minor|29095|2020Q2', 'persons|suspect|29095|2020Q1', 'persons|suspect|29095|2020Q2'].sort(),
    );
    for (const c of cells) {
      expect(new Set(c.atoms).size, c.key).toBe(c.atoms.length);
      expect(c.value, c.key).toBe(c.atoms.reduce((s, a) => s + (counts.get(a) ?? 0), 0));
      for (const atom of c.atoms) {
        const { family, quarter } = parseAtomKey(atom);
        expect(family).toBe(c.family);
        expect(quarter.slice(0, 4)).toBe(c.dimensions.period.slice(0, 4));
      }
    }
  });

  it('has totals that add up: rows, columns and the grand total', () => {
    const v = (key: string) => byKey(cells).get(key)?.value;
    for (const q of ['2020Q1', '2020Q2']) expect(v(`persons/all/all/${q}`)).toBe((v(`persons/suspect/all/${q}`) ?? 0) + (v(`persons/minor/all/${q}`) ?? 0));
    for (const c of ['suspect', 'minor']) expect(v(`persons/${c}/all/2020:Q1-Q2`)).toBe((v(`persons/${c}/all/2020Q1`) ?? 0) + (v(`persons/${c}/all/2020Q2`) ?? 0));
    expect(v('persons/all/all/2020:Q1-Q2')).toBe((v('persons/all/29095/2020:Q1-Q2') ?? 0) + (v('persons/all/29189/2020:Q1-Q2') ?? 0));
  });

  it('is deterministic, and keeps a key while its definition stays and changes it when a quarter is added', () => {
    expect(buildReleaseCells(input)).toEqual(cells);
    const later = byKey(buildReleaseCells({ ...input, quarters: ['2020Q1', '2020Q2', '2020Q3', '2020Q4', '2021Q1'] }));
    for (const key of ['persons/minor/all/2020Q1', 'persons/all/all/2020Q2']) expect(later.get(key)).toEqual(byKey(cells).get(key));
    expect(later.has('persons/minor/all/2020:Q1-Q2')).toBe(false);
    expect(later.get('persons/minor/all/2020')?.dimensions).toEqual({ period: '2020', periodType: 'year', county: 'all', category: 'minor' });
    // A year with one published quarter: its statewide year cells are that quarter's cells, listed once.
    expect(later.get('persons/all/29189/2021Q1')?.dimensions).toEqual({ period: '2021Q1', periodType: 'quarter', county: '29189', category: 'all' });
    expect([...later.keys()].filter((k) => k.endsWith('2021:Q1-Q1'))).toEqual([]);
  });

  it('gives a single-category family one cell per quarter and county-year, its category being its total', () => {
    const ops = buildReleaseCells({ counts: new Map(), quarters: ['2020Q1', '2020Q2'], counties, families: { operations: ['all'] } });
    expect(ops.map((c) => c.key)).toEqual(['operations/all/all/2020Q1', 'operations/all/all/2020Q2', 'operations/all/all/2020:Q1-Q2', 'operations/all/29095/2020:Q1-Q2', 'operations/all/29189/2020:Q1-Q2']);
  });

  it('refuses quarters out of order, unknown counties and categories, and negative counts', () => {
    expect(() => buildReleaseCells({ ...input, quarters: ['2020Q1', '2020Q3'] })).toThrow(/consecutive/);
    expect(() => buildReleaseCells({ ...input, quarters: ['2020Q5'] })).toThrow(/malformed quarter/);
    const bad = (atom: string, n = 1) => () => buildReleaseCells({ ...input, counts: new Map([[atom, n]]) });
    expect(bad('persons|minor|29001|2020Q1')).toThrow(/not a listed county/);
    expect(bad('persons|witness|29095|2020Q1')).toThrow(/not a category/);
    expect(bad('persons|minor|29095|2020Q1', -1)).toThrow(/non-negative/);
  });

  it('lays out Missouri: 115 counties, every family, five years', () => {
    const mo = [...jurisdictionOf('MO').countyFips];
    expect(mo).toHaveLength(115);
    const quarters = [2020, 2021, 2022, 2023, 2024].flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`));
    const all = buildReleaseCells({ counts: new Map(), quarters, counties: mo });
    const perYear = FAMILY_NAMES.reduce((n, f) => {
      const c = FAMILIES[f].length;
      const statewide = c === 1 ? 4 + 1 : 4 * c + 4 + c + 1;
      return n + statewide + 115;
    }, 0);
    expect(all).toHaveLength(5 * perYear);
    expect(new Set(all.map((c) => c.key)).size).toBe(all.length);
  });
});

describe('guard cells', () => {
  it('are the unshown runs of quarters: per county, per category statewide and statewide', () => {
    const guards = byKey(buildGuardCells(input));
    const shown = new Set(buildReleaseCells(input).map((c) => c.key));
    expect([...guards.keys()].filter((k) => shown.has(k))).toEqual([]);
    // The county's counts per quarter: what moves its year to date from one release to the next.
    expect(guards.get('persons/all/29095/2020Q1')?.value).toBe(3);
    expect(guards.get('persons/all/29189/2020Q2')?.value).toBe(8);
    expect([...guards.keys()].sort()).toEqual(['persons/all/29095/2020Q1', 'persons/all/29095/2020Q2', 'persons/all/29189/2020Q1', 'persons/all/29189/2020Q2']);
  });

  it('cover runs that do not start the year once there are three quarters, and only the years asked for', () => {
    const layout = new ReleaseLayout({ ...input, quarters: ['2019Q4', '2020Q1', '2020Q2', '2020Q3'] });
    const keys = layout.guards().map((g) => g.key);
    expect(keys).toContain('persons/minor/all/2020:Q2-Q3');
    expect(keys).toContain('persons/all/29095/2020:Q1-Q2');
    expect(keys).not.toContain('persons/all/29095/2019Q4'); // shown: the county's 2019, one quarter long
    expect(layout.guards(['2020']).every((g) => g.dimensions.period.startsWith('2020'))).toBe(true);
  });
});
