import { describe, expect, it } from 'vitest';
import { STAT_FAMILIES } from '../../../common/schemas/statistics.ts';
import { jurisdictionOf } from '../../lib/jurisdiction.ts';
import { atomKey, buildGuardCells, buildReleaseCells, COUNTY_FAMILIES, FAMILIES, FAMILY_NAMES, parseAtomKey, ReleaseLayout, type CellDefinition } from './statistics.cells.ts';

const counties = ['29095', '29189'];
const counts = new Map([
  [atomKey({ family: 'persons', category: 'minor', county: '29095', quarter: '2020Q1' }), 3],
  [atomKey({ family: 'persons', category: 'suspect', county: '29189', quarter: '2020Q2' }), 8],
  [atomKey({ family: 'persons', category: 'suspect', county: '29189', quarter: '2020Q4' }), 2],
  [atomKey({ family: 'persons', category: 'suspect', county: '29189', quarter: '2021Q1' }), 100], // not published yet
  [atomKey({ family: 'operations', category: 'all', county: '29095', quarter: '2020Q3' }), 6],
  [atomKey({ family: 'operations', category: 'all', county: '29189', quarter: '2020Q4' }), 7],
]);
const families = { operations: ['all'], persons: ['suspect', 'minor'] };
const input = { counts, quarters: ['2020Q1', '2020Q2'], counties, families };
const year2020 = { ...input, quarters: ['2020Q1', '2020Q2', '2020Q3', '2020Q4'] };
const byKey = (cells: CellDefinition[]) => new Map(cells.map((c) => [c.key, c]));
const keys = (cells: CellDefinition[]) => cells.map((c) => c.key);

describe('the families', () => {
  it('are operations, persons, outcomes, services and businesses closed; operations and businesses closed are published by county', () => {
    expect(FAMILY_NAMES).toEqual(['operations', 'persons', 'outcomes', 'services', 'businesses_closed']);
    expect(FAMILIES.operations).toEqual(['all']);
    expect(FAMILIES.businesses_closed).toEqual(['all']);
    expect(FAMILIES.outcomes).toContain('protective_custody');
    expect(COUNTY_FAMILIES).toEqual(['operations', 'businesses_closed']);
    // The public API's schema, page and CSV accept exactly the families the layout publishes.
    expect([...STAT_FAMILIES]).toEqual(FAMILY_NAMES);
  });

  it('publish businesses closed statewide and by county; ignore counts of families the layout does not know (tips, children protected)', () => {
    const more = new Map([
      ...counts,
      ['tips|all|29095|2020Q1', 9],
      ['businesses_closed|all|29189|2020Q2', 1],
      ['businesses_closed|all|29095|2020Q4', 6],
      ['children_protected|all|29095|2020Q1', 2],
    ]);
    const cells = buildReleaseCells({ ...year2020, counts: more, families: undefined });
    expect(cells.map((c) => c.family).filter((f, i, all) => all.indexOf(f) === i)).toEqual(FAMILY_NAMES);
    expect(cells.flatMap((c) => c.atoms).some((a) => /^(tips|children_protected)\|/.test(a))).toBe(false);
    const cell = byKey(cells);
    expect(keys(cells).filter((k) => k.startsWith('businesses_closed/'))).toEqual([
      'businesses_closed/all/all/2020Q1',
      'businesses_closed/all/all/2020Q2',
      'businesses_closed/all/all/2020Q3',
      'businesses_closed/all/all/2020Q4',
      'businesses_closed/all/all/2020',
      'businesses_closed/all/29095/2020',
      'businesses_closed/all/29189/2020',
    ]);
    expect(cell.get('businesses_closed/all/29095/2020')).toMatchObject({ family: 'businesses_closed', dimensions: { period: '2020', periodType: 'year', county: '29095', category: 'all' }, value: 6 });
    expect(cell.get('businesses_closed/all/29189/2020')?.value).toBe(1);
    expect(cell.get('businesses_closed/all/all/2020Q2')?.value).toBe(1);
    expect(cell.get('businesses_closed/all/all/2020')?.value).toBe(7);
    expect([...(cell.get('businesses_closed/all/29189/2020')?.atoms ?? [])]).toEqual(['2020Q1', '2020Q2', '2020Q3', '2020Q4'].map((q) => `businesses_closed|all|29189|${q}`));
    // Its county runs of quarters are guards, as operations' are.
    const guards = byKey(buildGuardCells({ ...year2020, counts: more, families: undefined }));
    expect(guards.get('businesses_closed/all/29189/2020:Q1-Q2')?.value).toBe(1);
  });
});

describe('buildReleaseCells', () => {
  it('while a year has not ended: statewide quarter × category and quarter totals only — no year cells, no county cells', () => {
    const cells = buildReleaseCells(input);
    expect(keys(cells)).toEqual([
      'operations/all/all/2020Q1',
      'operations/all/all/2020Q2',
      'persons/suspect/all/2020Q1',
      'persons/minor/all/2020Q1',
      'persons/all/all/2020Q1',
      'persons/suspect/all/2020Q2',
      'persons/minor/all/2020Q2',
      'persons/all/all/2020Q2',
    ]);
    expect(cells.every((c) => c.dimensions.periodType === 'quarter' && c.dimensions.county === 'all')).toBe(true);
    expect(byKey(cells).get('persons/all/all/2020Q2')).toMatchObject({ dimensions: { period: '2020Q2', periodType: 'quarter', county: 'all', category: 'all' }, value: 8 });
    // Three quarters of the year are still not a year.
    expect(buildReleaseCells({ ...input, quarters: ['2020Q1', '2020Q2', '2020Q3'] }).some((c) => c.dimensions.periodType === 'year')).toBe(false);
  });

  it('once the year has ended: its statewide year cells per category and total, and operations by county', () => {
    const cells = buildReleaseCells(year2020);
    const quarterKeys = (family: string, cats: string[]) => ['2020Q1', '2020Q2', '2020Q3', '2020Q4'].flatMap((q) => [...cats.map((c) => `${family}/${c}/all/${q}`), ...(cats.length > 1 ? [`${family}/all/all/${q}`] : [])]);
    expect(keys(cells)).toEqual([
      ...quarterKeys('operations', ['all']),
      'operations/all/all/2020',
      'operations/all/29095/2020',
      'operations/all/29189/2020',
      ...quarterKeys('persons', ['suspect', 'minor']),
      'persons/suspect/all/2020',
      'persons/minor/all/2020',
      'persons/all/all/2020',
    ]);
    const cell = byKey(cells);
    expect(cell.get('persons/minor/all/2020')).toMatchObject({ family: 'persons', dimensions: { period: '2020', periodType: 'year', county: 'all', category: 'minor' }, value: 3 });
    expect(cell.get('persons/all/all/2020')?.value).toBe(13);
    expect(cell.get('operations/all/29095/2020')).toMatchObject({ dimensions: { period: '2020', periodType: 'year', county: '29095', category: 'all' }, value: 6 });
    expect(cell.get('operations/all/29189/2020')?.value).toBe(7);
    expect(cells.some((c) => c.family === 'persons' && c.dimensions.county !== 'all')).toBe(false);
    // The next year has begun: its quarter, not yet its year.
    const later = keys(buildReleaseCells({ ...input, quarters: [...year2020.quarters, '2021Q1'] }));
    expect(later).toContain('persons/suspect/all/2021Q1');
    expect(later.filter((k) => k.includes('/2021') && !k.endsWith('2021Q1'))).toEqual([]);
  });

  it('lists every atom a cell sums, zero counts included, and sums exactly those', () => {
    const cells = buildReleaseCells(year2020);
    const cell = byKey(cells);
    expect([...(cell.get('operations/all/29095/2020')?.atoms ?? [])].sort()).toEqual(['2020Q1', '2020Q2', '2020Q3', '2020Q4'].map((q) => `operations|all|29095|${q}`));
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

  it('has totals that add up: quarter rows, year columns, the year total and the counties', () => {
    const v = (key: string) => byKey(buildReleaseCells(year2020)).get(key)?.value ?? NaN;
    const qs = ['2020Q1', '2020Q2', '2020Q3', '2020Q4'];
    for (const q of qs) expect(v(`persons/all/all/${q}`)).toBe(v(`persons/suspect/all/${q}`) + v(`persons/minor/all/${q}`));
    for (const c of ['suspect', 'minor', 'all']) expect(v(`persons/${c}/all/2020`)).toBe(qs.reduce((s, q) => s + v(`persons/${c}/all/${q}`), 0));
    expect(v('operations/all/all/2020')).toBe(v('operations/all/29095/2020') + v('operations/all/29189/2020'));
    expect(v('operations/all/all/2020')).toBe(qs.reduce((s, q) => s + v(`operations/all/all/${q}`), 0));
  });

  it('is deterministic, and a key keeps its definition and value in every later release', () => {
    const cells = buildReleaseCells(year2020);
    expect(buildReleaseCells(year2020)).toEqual(cells);
    const later = byKey(buildReleaseCells({ ...input, quarters: [...year2020.quarters, '2021Q1', '2021Q2'] }));
    for (const c of cells) expect(later.get(c.key), c.key).toEqual(c);
  });

  it('a first year begun mid-year: its year cells sum the quarters published, marked partial; one quarter is its own year', () => {
    const partial = byKey(buildReleaseCells({ ...input, quarters: ['2020Q3', '2020Q4'] }));
    expect(partial.get('persons/suspect/all/2020:Q3-Q4')).toMatchObject({ dimensions: { period: '2020', periodType: 'year', county: 'all', category: 'suspect', partial: { from: '2020Q3', through: '2020Q4' } }, value: 2 });
    expect(partial.get('operations/all/29189/2020:Q3-Q4')?.value).toBe(7);
    // Only 2020Q4 published: the year's statewide cells are that quarter's (listed once), the counties' are county × quarter.
    const one = buildReleaseCells({ ...input, quarters: ['2020Q4'] });
    expect(keys(one)).toEqual(['operations/all/all/2020Q4', 'operations/all/29095/2020Q4', 'operations/all/29189/2020Q4', 'persons/suspect/all/2020Q4', 'persons/minor/all/2020Q4', 'persons/all/all/2020Q4']);
    expect(byKey(one).get('operations/all/29189/2020Q4')?.dimensions).toEqual({ period: '2020Q4', periodType: 'quarter', county: '29189', category: 'all' });
  });

  it('refuses quarters out of order, unknown counties and categories, and negative counts', () => {
    expect(() => buildReleaseCells({ ...input, quarters: ['2020Q1', '2020Q3'] })).toThrow(/consecutive/);
    expect(() => buildReleaseCells({ ...input, quarters: ['2020Q5'] })).toThrow(/malformed quarter/);
    const bad = (atom: string, n = 1) => () => buildReleaseCells({ ...input, counts: new Map([[atom, n]]) });
    expect(bad('persons|minor|29001|2020Q1')).toThrow(/not a listed county/);
    expect(bad('persons|witness|29095|2020Q1')).toThrow(/not a category/);
    expect(bad('persons|minor|29095|2020Q1', -1)).toThrow(/non-negative/);
  });

  it('lays out Missouri: 115 counties, every family, five ended years and a year begun', () => {
    const mo = [...jurisdictionOf('MO').countyFips];
    expect(mo).toHaveLength(115);
    const quarters = [...[2020, 2021, 2022, 2023, 2024].flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`)), '2025Q1', '2025Q2'];
    const all = buildReleaseCells({ counts: new Map(), quarters, counties: mo });
    const perQuarter = (c: number) => (c === 1 ? 1 : c + 1);
    const endedYear = FAMILY_NAMES.reduce((n, f) => n + 4 * perQuarter(FAMILIES[f].length) + perQuarter(FAMILIES[f].length) + ((COUNTY_FAMILIES as readonly string[]).includes(f) ? 115 : 0), 0);
    const openYear = FAMILY_NAMES.reduce((n, f) => n + 2 * perQuarter(FAMILIES[f].length), 0);
    expect(all).toHaveLength(5 * endedYear + openYear);
    expect(all.filter((c) => c.dimensions.county !== 'all')).toHaveLength(5 * 2 * 115);
    expect(new Set(all.map((c) => c.key)).size).toBe(all.length);
  });
});

describe('guard cells', () => {
  it('are the unshown runs of quarters: per category statewide, statewide, and per county for operations only', () => {
    const guards = buildGuardCells(year2020);
    const shown = new Set(keys(buildReleaseCells(year2020)));
    expect(keys(guards).filter((k) => shown.has(k))).toEqual([]);
    const g = byKey(guards);
    // Persons: statewide runs only, per category and in all.
    expect(g.get('persons/suspect/all/2020:Q2-Q4')?.value).toBe(10);
    expect(g.get('persons/all/all/2020:Q1-Q2')?.value).toBe(11);
    expect(keys(guards).filter((k) => k.startsWith('persons/') && !k.includes('/all/2020'))).toEqual([]);
    // Operations: per county too, over every run but the whole year (shown).
    expect(g.get('operations/all/29095/2020Q3')?.value).toBe(6);
    expect(g.get('operations/all/29189/2020:Q1-Q3')?.value).toBe(0);
    expect(g.has('operations/all/29095/2020')).toBe(false);
    // Statewide, runs of one quarter and the whole year are shown cells: the 3 + 2 runs of 2 and 3 quarters
    // are guards. A county shows only its year: its 4 + 3 + 2 shorter runs are guards.
    expect(keys(guards).filter((k) => k.startsWith('persons/minor/'))).toHaveLength(5);
    expect(keys(guards).filter((k) => k.startsWith('operations/all/29095/'))).toHaveLength(9);
  });

  it('cover a year that has not ended, and only the years asked for', () => {
    const layout = new ReleaseLayout({ ...input, quarters: ['2019Q4', '2020Q1', '2020Q2', '2020Q3'] });
    const guardKeys = keys(layout.guards());
    expect(guardKeys).toContain('persons/minor/all/2020:Q2-Q3');
    expect(guardKeys).toContain('operations/all/29095/2020:Q1-Q2');
    expect(guardKeys).toContain('operations/all/29095/2020Q1');
    expect(guardKeys).not.toContain('operations/all/29095/2019Q4'); // shown: the county's 2019, one quarter long
    expect(layout.guards(['2020']).every((g) => g.dimensions.period.startsWith('2020'))).toBe(true);
  });
});
