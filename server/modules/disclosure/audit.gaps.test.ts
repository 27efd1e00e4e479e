import { describe, expect, it } from 'vitest';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES } from '../../../common/operations.ts';
import { attack } from './attacker.ts';
import { auditYear, type AuditCell, type YearAuditInput } from './audit.ts';
import { anyPairing, type PressFigure, type PressOperation, type RecordRules } from './knowledge.ts';
import { planRelease, pressFiguresDisclose } from './release-plan.ts';
import { LedgerIndex } from './suppression.ts';
import { atomKey, type Family } from './statistics.cells.ts';

/**
 * Gaps between the auditor (audit.ts) and the project's attacker (attacker.ts) found on the generated
 * histories (attacker.histories.test.ts), each as the smallest year that shows it. Every case is a count
 * the attacker narrows past the documented rule (under k: lo ≤ floor and hi ≥ floor + k − 1, floor = what
 * the press releases alone say) while the auditor, asked with nothing hideable, reports nothing disclosed.
 */

const A = '29095';
const B = '29189';
const C = '29510';
const COUNTIES = [A, B, C];
const loose = anyPairing(CONTACT_ROLES, DISPOSITIONS, SERVICES);
const Q = '2021Q1';

class Year {
  counts = new Map<string, number>();
  cells: AuditCell[] = [];

  set(family: string, category: string, county: string, n: number) {
    this.counts.set(atomKey({ family, category, county, quarter: Q }), n);
    return this;
  }

  /** A statewide cell of one quarter, over the categories given. */
  cell(family: Family, categories: readonly string[], published: boolean) {
    const atoms = categories.flatMap((category) => COUNTIES.map((county) => atomKey({ family, category, county, quarter: Q })));
    const value = atoms.reduce((n, a) => n + (this.counts.get(a) ?? 0), 0);
    const category = categories.length > 1 ? 'all' : (categories[0] as string);
    this.cells.push({ key: `${family}/${category}/all/${Q}`, family, dimensions: { period: Q, periodType: 'quarter', county: 'all', category }, atoms, published, value, hideable: false });
    return this;
  }

  input(extra: Partial<YearAuditInput>): YearAuditInput {
    return { year: '2021', cells: this.cells, counts: this.counts, counties: COUNTIES, pressOperations: [], pressFigures: [], rules: loose, k: 5, suppress: false, ...extra };
  }
}

/** The attacker's range and floor for one natural sum of the year (attacker.ts keys). */
async function attacked(y: Year, figures: Omit<PressFigure, 'release'>[], key: string) {
  const releases = [y.cells.map((c) => ({ key: c.key, family: c.family, dimensions: c.dimensions, atoms: c.atoms, value: c.published ? c.value : null }))];
  const result = await attack({ releases, pressOperations: [op], pressFigures: figures.map((f) => ({ ...f, release: 'press-1' })), rules: loose }, { k: 5 });
  const found = result.counts.find((c) => c.key === key);
  if (!found) throw new Error(`the attacker has no target ${key}`);
  return { lo: found.lo, hi: found.hi, floor: found.floor };
}

const op: PressOperation = { operation: 'op1', county: A, quarter: Q };

describe('auditor gaps: person counts of a county a press release singles out', () => {
  // Persons and outcomes are published statewide only, so the auditor models the persons of all counties
  // as one latent table and only targets statewide sums. A press release names the county of its
  // operation, which splits the persons by county for a reader: the counts of a single county become
  // natural sums the attacker targets (and the rule protects), but the auditor neither splits its table by
  // the press county nor targets them.

  it('upper end: a lower-bound figure in county A bounds the persons of every other county from above', async () => {
    // Truth: A's operation has 5 suspects; county B has 2 witnesses; the state publishes its total, 7.
    const y = new Year().set('persons', 'suspect', A, 5).set('persons', 'witness', B, 2);
    for (const role of CONTACT_ROLES) y.cell('persons', [role], false);
    y.cell('persons', CONTACT_ROLES, true);
    // "At least five persons" (the figure names a sex too: a lower bound).
    const figures: Omit<PressFigure, 'release'>[] = [{ ...op, exact: false, value: 5 }];
    // A reader: B + C = 7 − (A ≥ 5) ≤ 2, so the persons of B (2) keep [0, 2], short of [0, 4].
    expect(await attacked(y, figures, `sum:persons/${B}/*/${Q}-Q1`)).toEqual({ lo: 0, hi: 2, floor: 0 });
    const audit = await auditYear(y.input({ pressOperations: [op], pressFigures: figures }));
    // B and C are the rest of the state (no cell and no press release tells them apart): one count stands
    // for any one of them, and its high end is short.
    const keys = audit.alreadyDisclosed.map((d) => d.key);
    expect(keys).toContain(`sum:persons/all/any-other-county/${Q}`);
  });

  it('lower end: the statewide identity persons = outcomes gives the press operation a disposition', async () => {
    // Truth: A's operation has 1 suspect, arrested; county B has 6 adult victims offered services. The
    // state publishes 7 persons and 7 outcomes: everyone has a disposition. The press release says only
    // "one suspect" (the press tables alone allow him none: floor 0), yet a reader learns that the
    // outcomes of A are at least 1.
    const y = new Year().set('persons', 'suspect', A, 1).set('outcomes', 'arrested', A, 1).set('persons', 'adult_victim', B, 6).set('outcomes', 'offered_services', B, 6);
    for (const role of CONTACT_ROLES) y.cell('persons', [role], false);
    y.cell('persons', CONTACT_ROLES, true);
    for (const d of DISPOSITIONS) y.cell('outcomes', [d], false);
    y.cell('outcomes', DISPOSITIONS, true);
    const figures: Omit<PressFigure, 'release'>[] = [{ ...op, role: 'suspect', exact: true, value: 1 }];
    expect(await attacked(y, figures, `sum:outcomes/${A}/*/${Q}-Q1`)).toEqual({ lo: 1, hi: 7, floor: 0 });
    const audit = await auditYear(y.input({ pressOperations: [op], pressFigures: figures }));
    const keys = audit.alreadyDisclosed.map((d) => d.key);
    expect(keys).toContain(`sum:outcomes/all/${A}/${Q}`);
  });
});

describe('the press-release check with the county split', () => {
  it('does not refuse a release for county counts it did not narrow (counts the record rules alone make 0)', async () => {
    // No person was ever arrested (the rules say so): "arrested" is 0 statewide and in every county before
    // any press release. A harmless draft in county A must not be refused because the county split makes
    // the arrested count of each county a protected count of the audit with the draft only.
    const counts = new Map<string, number>([
      [atomKey({ family: 'persons', category: 'suspect', county: A, quarter: Q }), 6],
      [atomKey({ family: 'outcomes', category: 'detained', county: A, quarter: Q }), 6],
      [atomKey({ family: 'persons', category: 'suspect', county: B, quarter: Q }), 3],
      [atomKey({ family: 'outcomes', category: 'detained', county: B, quarter: Q }), 3],
    ]);
    const rules = { ...loose, dispositions: Object.fromEntries(CONTACT_ROLES.map((r) => [r, loose.dispositions[r].filter((d) => d !== 'arrested')])) as unknown as RecordRules['dispositions'] };
    const families = { persons: ['suspect'], outcomes: ['detained', 'arrested'] };
    const ledger = new LedgerIndex();
    const plan = await planRelease({ counts, quarters: [Q], counties: [A, B], families, ledger, pressOperations: [], pressFigures: [], rules, k: 5 });
    ledger.add(plan.cells);
    const operation: PressOperation = { operation: 'op1', county: A, quarter: Q };
    const disclosed = await pressFiguresDisclose({
      counts,
      counties: [A, B],
      ledger,
      pressOperations: [],
      pressFigures: [],
      candidate: { operation, figures: [{ ...operation, role: 'suspect', exact: false, value: 2 }] },
      rules,
      k: 5,
    });
    expect(disclosed.map((d) => d.key)).toEqual([]);
  });
});
