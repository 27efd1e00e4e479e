import { describe, expect, it } from 'vitest';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES } from '../../../common/operations.ts';
import { anyPairing } from './knowledge.ts';
import { pressFiguresDisclose, planRelease } from './release-plan.ts';
import { atomKey } from './statistics.cells.ts';
import { LedgerIndex, type ReleaseCell } from './suppression.ts';

const A = '29095';
const B = '29189';
const counties = [A, B];
const rules = anyPairing(CONTACT_ROLES, DISPOSITIONS, SERVICES);

describe('the press-release check against the statistics already out', () => {
  // 2021Q1, one operation: 5 suspects (3 detained, 2 cited: both hidden) and 10 adult victims offered
  // services, 15 in all. On its own the outcomes table leaves detained anywhere in [0, 5].
  const counts = new Map([
    [atomKey({ family: 'outcomes', category: 'detained', county: A, quarter: '2021Q1' }), 3],
    [atomKey({ family: 'outcomes', category: 'cited', county: A, quarter: '2021Q1' }), 2],
    [atomKey({ family: 'outcomes', category: 'offered_services', county: A, quarter: '2021Q1' }), 10],
    [atomKey({ family: 'persons', category: 'suspect', county: A, quarter: '2021Q1' }), 5],
    [atomKey({ family: 'persons', category: 'adult_victim', county: A, quarter: '2021Q1' }), 10],
    [atomKey({ family: 'operations', category: 'all', county: A, quarter: '2021Q1' }), 1],
  ]);
  const cell = (category: string, value: number): ReleaseCell => {
    const categories = category === 'all' ? [...DISPOSITIONS] : [category];
    return {
      key: `outcomes/${category}/all/2021Q1`,
      family: 'outcomes',
      dimensions: { period: '2021Q1', periodType: 'quarter', county: 'all', category },
      atoms: categories.flatMap((c) => counties.map((county) => atomKey({ family: 'outcomes', category: c, county, quarter: '2021Q1' }))),
      suppressed: value < 5,
      value: value < 5 ? null : value,
    };
  };
  const ledger = LedgerIndex.of([[...DISPOSITIONS.map((d) => cell(d, counts.get(atomKey({ family: 'outcomes', category: d, county: A, quarter: '2021Q1' })) ?? 0)), cell('all', 15)]]);
  const operation = { operation: 'op-1', county: A, quarter: '2021Q1' };
  const check = (figures: { disposition: 'detained' | 'offered_services'; value: number }[]) =>
    pressFiguresDisclose({ counts, counties, ledger, pressOperations: [], pressFigures: [], candidate: { operation, figures: figures.map((f) => ({ ...f, ...operation, exact: true })) }, rules });

  it('refuses "3 detained": with the table, no one else could have been detained beyond 2 more, nor cited beyond 2', async () => {
    const found = await check([
      { disposition: 'offered_services', value: 10 },
      { disposition: 'detained', value: 3 },
    ]);
    expect(found.map((f) => f.key)).toEqual(expect.arrayContaining(['outcomes/detained/all/2021Q1', 'outcomes/cited/all/2021Q1']));
    // The figure to blame is the second one: the services figure alone discloses nothing.
    for (const f of found) expect(f.figures).toEqual([1]);
  });

  it('lets "10 offered services" through: it is a published count already', async () => {
    expect(await check([{ disposition: 'offered_services', value: 10 }])).toEqual([]);
  });

  it('a release planned after the press release protects what the press release named', async () => {
    const plan = await planRelease({
      counts,
      quarters: ['2021Q1'],
      counties,
      ledger: new LedgerIndex(),
      pressOperations: [operation],
      pressFigures: [{ ...operation, release: 'r1', disposition: 'detained', exact: true, value: 3 }],
      rules,
    });
    const shown = new Map(plan.cells.map((c) => [c.key, c]));
    // Publishing 10 and 15 would leave detained + cited + the rest = 5, short of [3, 3 + 4]: one is withheld.
    expect(shown.get('outcomes/all/all/2021Q1')?.suppressed || shown.get('outcomes/offered_services/all/2021Q1')?.suppressed).toBe(true);
    expect(plan.audit.alreadyDisclosed).toEqual([]);
  });
});
