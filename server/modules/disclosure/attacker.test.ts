import { describe, expect, it } from 'vitest';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES } from '../../../common/operations.ts';
import { attack, judge, type AttackedCount } from './attacker.ts';
import { generateOperationHistory, knowledgeOf, trueCount } from './histories.test-support.ts';
import type { PressFigure, PressOperation, PublicKnowledge, PublishedCell, RecordRules } from './knowledge.ts';
import type { Family } from './statistics.cells.ts';

/**
 * The LP attacker on small hand-made releases: for each kind of public knowledge, a release that hides only
 * the counts under 5 (a naive release) and that the attacker breaks with that knowledge, recovering the
 * true value — and, without that knowledge, does not.
 */

const A = '29095';
const B = '29189';
const Q = '2020Q1';

const atom = (family: Family | 'children_protected' | 'tips', category: string, county = A, quarter = Q) => `${family}|${category}|${county}|${quarter}`;

/** A cell of a hand-made release; hidden (value null) when its true value is under 5. */
/** `family` may be one an older layout published (children_protected, tips): a ledger keeps them. */
function naive(key: string, family: Family | 'children_protected' | 'tips', atoms: string[], value: number): PublishedCell {
  return { key, family: family as Family, dimensions: { period: Q, periodType: 'quarter', county: 'all', category: 'all' }, atoms, value: value < 5 ? null : value };
}

const ANY: RecordRules = {
  dispositions: Object.fromEntries(CONTACT_ROLES.map((r) => [r, [...DISPOSITIONS, 'none']])) as unknown as RecordRules['dispositions'],
  services: Object.fromEntries(CONTACT_ROLES.map((r) => [r, [...SERVICES]])) as unknown as RecordRules['services'],
};

function knowledge(releases: PublishedCell[][], extra: Partial<Omit<PublicKnowledge, 'releases'>> = {}): PublicKnowledge {
  return { releases, pressOperations: [], pressFigures: [], rules: ANY, ...extra };
}

function rangeOf(counts: readonly AttackedCount[], key: string): [number, number] {
  const found = counts.find((c) => c.key === key);
  if (!found) throw new Error(`${key} was not attacked; attacked: ${counts.map((c) => c.key).join(', ')}`);
  return [found.lo, found.hi];
}

describe('attack', () => {
  it('uses cross-family identities: children protected are the minors in protective custody', async () => {
    // County A: 5 children protected (published); county B: 2 (hidden). Statewide, 7 protective-custody
    // outcomes. No combination of these cells isolates B's children, but with custody only for minors,
    // outcomes = children protected in each county and quarter, so B's = 7 − 5.
    const release = [
      naive('cp/A', 'children_protected', [atom('children_protected', 'all', A)], 5),
      naive('cp/B', 'children_protected', [atom('children_protected', 'all', B)], 2),
      naive('pc/state', 'outcomes', [atom('outcomes', 'protective_custody', A), atom('outcomes', 'protective_custody', B)], 7),
    ];
    const custodyForMinorsOnly: RecordRules = { ...ANY, dispositions: { ...ANY.dispositions, suspect: ['arrested', 'none'], adult_victim: ['none'], witness: ['none'] } };
    const { counts } = await attack(knowledge([release], { rules: custodyForMinorsOnly }));
    expect(rangeOf(counts, 'cp/B')).toEqual([2, 2]);
    // Without the rule only the identity's inequality is left (children protected ≤ custody outcomes): still narrowed to [0, 2].
    expect(rangeOf((await attack(knowledge([release]))).counts, 'cp/B')).toEqual([0, 2]);
  });

  it('uses non-negativity: a total equal to the sum of its published parts makes the hidden parts 0', async () => {
    const persons = (role: string) => atom('persons', role);
    const release = [
      naive('suspect', 'persons', [persons('suspect')], 10),
      naive('adult_victim', 'persons', [persons('adult_victim')], 7),
      naive('minor', 'persons', [persons('minor')], 0),
      naive('witness', 'persons', [persons('witness')], 0),
      naive('total', 'persons', CONTACT_ROLES.map(persons), 17),
    ];
    const { counts } = await attack(knowledge([release]));
    expect(rangeOf(counts, 'minor')).toEqual([0, 0]);
    expect(rangeOf(counts, 'witness')).toEqual([0, 0]);
  });

  it('uses the record rules: outcomes never exceed persons, and only witnesses go without a disposition', async () => {
    // Persons: 12 suspects, 6 adult victims, 3 minors and no witness (21 in all); outcomes: 12 arrests,
    // 6 offered services, 3 protective custody (21 in all). The minors and witnesses sum to 3 either way.
    const persons = (role: string) => atom('persons', role);
    const outcomes = (d: string) => atom('outcomes', d);
    const release = [
      naive('p/suspect', 'persons', [persons('suspect')], 12),
      naive('p/adult_victim', 'persons', [persons('adult_victim')], 6),
      naive('p/minor', 'persons', [persons('minor')], 3),
      naive('p/witness', 'persons', [persons('witness')], 0),
      naive('p/all', 'persons', CONTACT_ROLES.map(persons), 21),
      naive('o/arrested', 'outcomes', [outcomes('arrested')], 12),
      naive('o/offered_services', 'outcomes', [outcomes('offered_services')], 6),
      naive('o/protective_custody', 'outcomes', [outcomes('protective_custody')], 3),
      ...(['detained', 'cited', 'released'] as const).map((d) => naive(`o/${d}`, 'outcomes', [outcomes(d)], 0)),
      naive('o/all', 'outcomes', DISPOSITIONS.map(outcomes), 21),
    ];
    // A reader who knows that every suspect, victim and minor gets a disposition and no witness does:
    // 21 outcomes = suspects + adult victims + minors, so the minors are 3.
    const rules: RecordRules = {
      dispositions: { suspect: ['arrested', 'detained', 'cited', 'released'], adult_victim: ['offered_services', 'released'], minor: ['protective_custody', 'offered_services'], witness: ['none'] },
      services: { suspect: [], adult_victim: [...SERVICES], minor: [...SERVICES], witness: [] },
    };
    const { counts } = await attack(knowledge([release], { rules }));
    expect(rangeOf(counts, 'p/minor')).toEqual([3, 3]);
    expect(rangeOf(counts, 'p/witness')).toEqual([0, 0]);
    // With any pairing allowed, a witness could hold the custody outcomes: the minors keep [0, 3].
    expect(rangeOf((await attack(knowledge([release]))).counts, 'p/minor')).toEqual([0, 3]);
  });

  it('uses the record rules on services: a service is offered at most once to each person of a role that receives it', async () => {
    // 14 suspects, 3 minors and 1 adult victim (18 in all; minors, victims and witnesses hidden); 4 offered
    // lodging and 4 medical care (both hidden, 8 in all). Only victims and minors receive services, at most
    // once each: lodging ≤ 4 and medical care ≤ 4, so both are 4, and no witness is left.
    const release = [
      naive('p/suspect', 'persons', [atom('persons', 'suspect')], 14),
      naive('p/minor', 'persons', [atom('persons', 'minor')], 3),
      naive('p/adult_victim', 'persons', [atom('persons', 'adult_victim')], 1),
      naive('p/witness', 'persons', [atom('persons', 'witness')], 0),
      naive('p/all', 'persons', CONTACT_ROLES.map((r) => atom('persons', r)), 18),
      naive('s/lodging', 'services', [atom('services', 'lodging')], 4),
      naive('s/medical', 'services', [atom('services', 'medical')], 4),
      naive('s/all', 'services', [atom('services', 'lodging'), atom('services', 'medical')], 8),
    ];
    const rules: RecordRules = { dispositions: ANY.dispositions, services: { suspect: [], adult_victim: ['lodging', 'medical'], minor: ['lodging', 'medical'], witness: [] } };
    const { counts } = await attack(knowledge([release], { rules }));
    expect(rangeOf(counts, 's/lodging')).toEqual([4, 4]);
    expect(rangeOf(counts, 'p/witness')).toEqual([0, 0]);
    // Without the rule a suspect could have been offered lodging: nothing is pinned.
    const loose = (await attack(knowledge([release]))).counts;
    expect(rangeOf(loose, 's/lodging')).toEqual([0, 8]);
    expect(rangeOf(loose, 'p/witness')).toEqual([0, 4]);
  });

  it('uses press figures: an exact figure about one operation is a lower bound on its county and quarter', async () => {
    // Statewide 15 persons, 12 suspects; minors, adult victims and witnesses (3 in all) hidden. A press
    // release said operation X in county B took 3 minors into protective custody.
    const persons = (role: string) => [A, B].map((c) => atom('persons', role, c));
    const release = [
      naive('p/suspect', 'persons', persons('suspect'), 12),
      naive('p/minor', 'persons', persons('minor'), 3),
      naive('p/adult_victim', 'persons', persons('adult_victim'), 0),
      naive('p/witness', 'persons', persons('witness'), 0),
      naive('p/all', 'persons', CONTACT_ROLES.flatMap(persons), 15),
    ];
    const operation: PressOperation = { operation: 'X', county: B, quarter: Q };
    const figure: PressFigure = { ...operation, release: 'pr-1', role: 'minor', disposition: 'protective_custody', exact: true, value: 3 };
    const { counts } = await attack(knowledge([release], { pressOperations: [operation], pressFigures: [figure] }));
    expect(rangeOf(counts, 'p/minor')).toEqual([3, 3]);
    expect(rangeOf(counts, 'p/adult_victim')).toEqual([0, 0]);
    // A figure that names a sex too is a lower bound only: "2 girls" leaves the minors in [2, 3].
    const girls: PressFigure = { ...figure, value: 2, exact: false };
    expect(rangeOf((await attack(knowledge([release], { pressOperations: [operation], pressFigures: [girls] }))).counts, 'p/minor')).toEqual([2, 3]);
    // Without the press release the minors keep [0, 3].
    expect(rangeOf((await attack(knowledge([release]))).counts, 'p/minor')).toEqual([0, 3]);
  });

  it('subtracts one release from another: a year to date that moves from 20 to 21 reveals a count of 1', async () => {
    const q1 = atom('persons', 'minor', A, '2020Q1');
    const q2 = atom('persons', 'minor', A, '2020Q2');
    const { counts } = await attack(knowledge([[naive('ytd', 'persons', [q1], 20)], [naive('ytd-2', 'persons', [q1, q2], 21)]]));
    expect(counts).toEqual([expect.objectContaining({ key: 'sum:persons/29095/minor/2020Q2-Q2', kind: 'natural-sum', atoms: [q2], lo: 1, hi: 1 })]);
  });

  it('claims nothing the knowledge does not give: two hidden cells sharing every equation keep their whole range', async () => {
    const release = [
      naive('p', 'tips', [atom('tips', 'all', A)], 3),
      naive('q', 'tips', [atom('tips', 'all', B)], 9),
      naive('both', 'tips', [atom('tips', 'all', A), atom('tips', 'all', B)], 12),
    ];
    release[1] = { ...(release[1] as PublishedCell), value: null };
    const { counts } = await attack(knowledge([release]));
    expect(rangeOf(counts, 'p')).toEqual([0, 12]);
    expect(rangeOf(counts, 'q')).toEqual([0, 12]);
  });

  it('reports a year whose record rules the published data contradict, and attacks it without them', async () => {
    // 6 persons in protective custody, of 8 persons of whom 6 adult victims: custody for minors only cannot be true.
    const release = [
      naive('pc', 'outcomes', [atom('outcomes', 'protective_custody')], 6),
      naive('av', 'persons', [atom('persons', 'adult_victim')], 6),
      naive('m', 'persons', [atom('persons', 'minor')], 2),
      naive('all', 'persons', CONTACT_ROLES.map((r) => atom('persons', r)), 8),
    ];
    const rules: RecordRules = { ...ANY, dispositions: { suspect: ['arrested', 'none'], adult_victim: ['none', 'released'], minor: ['protective_custody', 'none'], witness: ['none'] } };
    const result = await attack(knowledge([release], { rules }));
    expect(result.infeasibleYears).toEqual([{ year: '2020', dropped: 'rules' }]);
    expect(rangeOf(result.counts, 'm')).toEqual([0, 2]);
  });

  it('gives each target the range it gets alone: the warm-started solves of a batch change nothing', { timeout: 60_000 }, async () => {
    const h = await generateOperationHistory(3, { quarters: 6 });
    const all = await attack(knowledgeOf(h));
    // Every range holds the true value.
    for (const c of all.counts) expect(trueCount(h, c.atoms), c.key).toSatisfy((v: number) => c.lo <= v && v <= c.hi);
    const sample = all.counts.filter((_, i) => i % Math.ceil(all.counts.length / 25) === 0);
    for (const c of sample) {
      const alone = await attack(knowledgeOf(h), { select: (t) => t.key === c.key });
      expect(alone.counts.map((x) => [x.key, x.lo, x.hi]), c.key).toEqual([[c.key, c.lo, c.hi]]);
    }
  });

  it('judges ranges against the true value', () => {
    expect(judge({ lo: 3, hi: 3 }, 3)).toBe('recovered');
    expect(judge({ lo: 0, hi: 3 }, 2)).toBe('narrowed');
    expect(judge({ lo: 1, hi: 9 }, 2)).toBe('narrowed');
    expect(judge({ lo: 0, hi: 4 }, 2)).toBe('protected');
    expect(judge({ lo: 10, hi: 12 }, 11)).toBe('narrowed');
    expect(judge({ lo: 8, hi: Infinity }, 11)).toBe('protected');
  });
});
