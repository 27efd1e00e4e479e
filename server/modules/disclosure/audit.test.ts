import { describe, expect, it } from 'vitest';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES } from '../../../common/operations.ts';
import { auditYear, type AuditCell, type YearAuditInput } from './audit.ts';
import { anyPairing, type RecordRules } from './knowledge.ts';
import { atomKey, type Family } from './statistics.cells.ts';

/**
 * The auditor against each kind of knowledge the outside attacker of issue #8 used: non-negativity,
 * record rules, identities between families, press releases, subtraction across releases. Each case is
 * a release a per-family linear check passes; the auditor must find what a reader learns, and hide
 * enough that every protected count keeps its interval.
 */

const A = '29095';
const B = '29189';
const C = '29510';
const COUNTIES = [A, B, C];
const loose = anyPairing(CONTACT_ROLES, DISPOSITIONS, SERVICES);

/** Rules where each role has exactly the listed dispositions and services go to adult victims only. */
function rules(dispositions: Partial<RecordRules['dispositions']>): RecordRules {
  const d = { ...loose.dispositions, ...dispositions };
  const s = { ...loose.services, suspect: [], minor: [], witness: [] };
  return { dispositions: d, services: s };
}

class Year {
  counts = new Map<string, number>();
  cells: AuditCell[] = [];

  /** Puts `n` in county A (the rest of the counties 0) for one category and quarter. */
  set(family: string, category: string, quarter: string, n: number, county = A) {
    this.counts.set(atomKey({ family, category, county, quarter }), n);
    return this;
  }

  /** A statewide cell (all counties) over the categories and quarters given. */
  cell(family: Family, categories: string[], quarters: string[], opts: { published: boolean; hideable?: boolean; counties?: string[]; label?: string }) {
    const counties = opts.counties ?? COUNTIES;
    const atoms = categories.flatMap((category) => quarters.flatMap((quarter) => counties.map((county) => atomKey({ family, category, county, quarter }))));
    const value = atoms.reduce((n, a) => n + (this.counts.get(a) ?? 0), 0);
    const period = quarters.length === 1 ? (quarters[0] as string) : (quarters[0] as string).slice(0, 4);
    const key = opts.label ?? `${family}/${categories.length > 1 ? 'all' : categories[0]}/${counties.length > 1 ? 'all' : counties[0]}/${period}`;
    this.cells.push({
      key,
      family,
      dimensions: { period, periodType: quarters.length === 1 ? 'quarter' : 'year', county: counties.length > 1 ? 'all' : (counties[0] as string), category: categories.length > 1 ? 'all' : (categories[0] as string) },
      atoms,
      published: opts.published,
      value,
      hideable: opts.hideable ?? true,
    });
    return this;
  }

  input(extra: Partial<YearAuditInput> = {}): YearAuditInput {
    return { year: '2021', cells: this.cells, counts: this.counts, counties: COUNTIES, pressOperations: [], pressFigures: [], rules: loose, k: 5, suppress: true, ...extra };
  }
}

const roles = [...CONTACT_ROLES];
const Q1 = ['2021Q1'];

describe('the audit', () => {
  it('non-negativity: a total equal to its published parts pins the hidden parts at 0, so more is hidden', async () => {
    const y = new Year().set('persons', 'suspect', '2021Q1', 6).set('persons', 'adult_victim', '2021Q1', 7);
    for (const r of roles) y.cell('persons', [r], Q1, { published: r === 'suspect' || r === 'adult_victim' });
    y.cell('persons', roles, Q1, { published: true });

    const naive = await auditYear(y.input({ suppress: false }));
    expect(naive.alreadyDisclosed.map((d) => d.key)).toContain('persons/minor/all/2021Q1');
    expect(naive.alreadyDisclosed.find((d) => d.key === 'persons/minor/all/2021Q1')).toMatchObject({ lo: 0, hi: 0 });

    const audited = await auditYear(y.input());
    expect(audited.hidden.length).toBeGreaterThan(0);
    expect(audited.alreadyDisclosed).toEqual([]);
    const minor = audited.ranges.find((r) => r.key === 'persons/minor/all/2021Q1');
    expect(minor?.lo).toBe(0);
    expect(minor?.hi).toBeGreaterThanOrEqual(4);
  });

  it('record rules: services go to adult victims only, so two services adding up to six narrow the adults to 3–5', async () => {
    const y = new Year().set('persons', 'suspect', '2021Q1', 15).set('persons', 'adult_victim', '2021Q1', 3).set('persons', 'witness', '2021Q1', 2).set('services', 'food', '2021Q1', 3).set('services', 'lodging', '2021Q1', 3);
    for (const r of roles) y.cell('persons', [r], Q1, { published: r === 'suspect' });
    y.cell('persons', roles, Q1, { published: true });
    y.cell('services', ['food'], Q1, { published: false }).cell('services', ['lodging'], Q1, { published: false });
    y.cell('services', ['food', 'lodging'], Q1, { published: true });
    const r = rules({});

    // Without the rule nothing is narrowed; with it the reader has adults ≥ 3 and each service ≥ 1.
    expect((await auditYear(y.input({ suppress: false }))).alreadyDisclosed).toEqual([]);
    const naive = await auditYear(y.input({ suppress: false, rules: r }));
    expect(naive.alreadyDisclosed.map((d) => d.key)).toEqual(expect.arrayContaining(['persons/adult_victim/all/2021Q1', 'services/food/all/2021Q1']));

    const audited = await auditYear(y.input({ rules: r }));
    expect(audited.alreadyDisclosed).toEqual([]);
    expect(audited.hidden.map((h) => h.key)).toEqual(expect.arrayContaining([expect.stringMatching(/^(persons|services)\//)]));
  });

  it('identities between families: minors are the protective-custody outcome, so a published minor count pins it', async () => {
    const y = new Year()
      .set('persons', 'minor', '2021Q1', 6)
      .set('persons', 'suspect', '2021Q1', 2)
      .set('outcomes', 'protective_custody', '2021Q1', 6)
      .set('outcomes', 'detained', '2021Q1', 2);
    y.cell('persons', ['minor'], Q1, { published: true }).cell('persons', ['suspect'], Q1, { published: false }).cell('persons', ['minor', 'suspect'], Q1, { published: true });
    y.cell('outcomes', ['protective_custody'], Q1, { published: false }).cell('outcomes', ['detained'], Q1, { published: false }).cell('outcomes', ['protective_custody', 'detained'], Q1, { published: true });
    const r = rules({ minor: ['protective_custody'], suspect: ['detained'], adult_victim: ['offered_services'], witness: ['released'] });

    const naive = await auditYear(y.input({ suppress: false, rules: r }));
    expect(naive.alreadyDisclosed.map((d) => d.key)).toEqual(expect.arrayContaining(['outcomes/detained/all/2021Q1', 'outcomes/protective_custody/all/2021Q1']));
    const audited = await auditYear(y.input({ rules: r }));
    expect(audited.alreadyDisclosed).toEqual([]);
    expect(audited.hidden.map((h) => h.key).some((k) => k.startsWith('persons/'))).toBe(true);
  });

  it('press releases: the persons a release names are known, and everyone else keeps the interval', async () => {
    const y = new Year().set('outcomes', 'detained', '2021Q1', 3).set('outcomes', 'offered_services', '2021Q1', 10);
    for (const d of DISPOSITIONS) y.cell('outcomes', [d], Q1, { published: d === 'offered_services' });
    y.cell('outcomes', [...DISPOSITIONS], Q1, { published: true });
    const press = {
      pressOperations: [{ operation: 'op1', county: A, quarter: '2021Q1' }],
      pressFigures: [{ operation: 'op1', county: A, quarter: '2021Q1', disposition: 'detained' as const, exact: true, value: 3 }],
    };
    // Without the press release, detained keeps [0, 3] only: it is already short of 4.
    const naive = await auditYear(y.input({ suppress: false, ...press }));
    expect(naive.alreadyDisclosed.find((d) => d.key === 'outcomes/detained/all/2021Q1')).toMatchObject({ lo: 3, hi: 3 });
    const audited = await auditYear(y.input(press));
    expect(audited.alreadyDisclosed).toEqual([]);
    const detained = audited.ranges.find((r) => r.key === 'outcomes/detained/all/2021Q1');
    expect(detained?.hi).toBeGreaterThanOrEqual(3 + 4);
  });

  it('subtraction across releases: three published quarters and a new year total pin the fourth, so the total is hidden', async () => {
    const y = new Year().set('operations', 'all', '2021Q1', 6).set('operations', 'all', '2021Q2', 7).set('operations', 'all', '2021Q3', 5).set('operations', 'all', '2021Q4', 2);
    for (const q of ['2021Q1', '2021Q2', '2021Q3']) y.cell('operations', ['all'], [q], { published: true, hideable: false });
    y.cell('operations', ['all'], ['2021Q4'], { published: false });
    y.cell('operations', ['all'], ['2021Q1', '2021Q2', '2021Q3', '2021Q4'], { published: true });
    const audited = await auditYear(y.input());
    expect(audited.hidden).toEqual([{ key: 'operations/all/all/2021', protects: 'operations/all/all/2021Q4' }]);
  });

  it('a county map: two hidden counties that add up to 2 are pinned below 4, so a published county is hidden too', async () => {
    const y = new Year();
    const quarters = ['2021Q1', '2021Q2', '2021Q3', '2021Q4'];
    y.set('operations', 'all', '2021Q1', 5, A).set('operations', 'all', '2021Q3', 4, A).set('operations', 'all', '2021Q3', 1, B).set('operations', 'all', '2021Q2', 1, B);
    for (const q of quarters) y.cell('operations', ['all'], [q], { published: q === '2021Q1' || q === '2021Q3', hideable: false });
    y.cell('operations', ['all'], quarters, { published: true });
    for (const c of COUNTIES) y.cell('operations', ['all'], quarters, { published: c === A, counties: [c] });
    const audited = await auditYear(y.input());
    expect(audited.alreadyDisclosed).toEqual([]);
    expect(audited.hidden.map((h) => h.key)).toContain(`operations/all/${A}/2021`);
    for (const c of [B, C]) {
      const r = audited.ranges.find((x) => x.key === `operations/all/${c}/2021`);
      expect(r?.lo).toBe(0);
      expect(r?.hi).toBeGreaterThanOrEqual(4);
    }
  });
});
