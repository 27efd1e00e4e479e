import { describe, expect, it } from 'vitest';
import { attack, type AttackedCount } from './attacker.ts';
import { generateOperationHistory, knowledgeOf, ruledOut, trueCount, oneCountyZero, type OperationHistory } from './histories.test-support.ts';

/**
 * The release plan against the project's own attacker (attacker.ts), on histories generated at the level
 * of operations (histories.test-support.ts): 20 quarters, a release at the start of each and some
 * re-published, late records, corrections, press releases. The attacker holds everything public at the end
 * of the history — every release, every press figure, the record rules — and computes the range of every
 * hidden cell and of every natural sum under k. Protection means: no hidden non-zero count is pinned or
 * narrowed to two values, and every count under k keeps [floor, floor + k − 1] within its range, where
 * floor is what the published press releases alone say it is at least (attacker.ts, AttackedCount.floor;
 * 0 without press releases). Each press release went through the press-release guard first, as in
 * production: one it refused was not published (stats.pressRefused).
 */

const K = 5;
/** One history with each number of counties (1, 2, 3); about 5–10 s each on a 2-CPU machine. */
const SEEDS = [7, 1, 2];

const UNDER_K = `under ${K}, range short of [floor, floor + ${K - 1}]`;

interface Breach {
  seed: number;
  key: string;
  value: number;
  lo: number;
  hi: number;
  floor: number;
  why: string;
}

function breaches(h: OperationHistory, counts: readonly AttackedCount[]): Breach[] {
  const out: Breach[] = [];
  for (const c of counts) {
    // A count of pairings the record rules exclude (no person was ever detained) is 0 for every reader of
    // the rules: no release can protect it, so it is not the release plan's to protect.
    if (c.atoms.every((a) => ruledOut(h.rules, a))) continue;
    const value = trueCount(h, c.atoms);
    // A county's 0 pinned by published figures (a statewide count equal to a press release's) is what the
    // two publications say together (docs/disclosure.md): not a disclosure the release plan must prevent.
    if (oneCountyZero(c, value)) continue;
    const at = { seed: h.seed, key: c.key, value, lo: c.lo, hi: c.hi, floor: c.floor };
    if (value < c.lo || value > c.hi) throw new Error(`attacker is wrong about ${c.key} in history ${h.seed}: ${value} is outside [${c.lo}, ${c.hi}]`);
    if (value > 0 && c.hi - c.lo <= 1) out.push({ ...at, why: c.lo === c.hi ? 'recovered' : 'two values' });
    else if (value < K && !(c.lo <= c.floor && c.hi >= c.floor + K - 1)) out.push({ ...at, why: UNDER_K });
  }
  return out;
}

describe('release plan against the LP attacker, on generated histories', () => {
  const generated = SEEDS.map((seed) => generateOperationHistory(seed));

  it('generates histories with everything the attacker must face', async () => {
    for (const h of await Promise.all(generated)) {
      console.log(`history ${h.seed}: ${h.counties.length} counties, ${h.releases.length} releases, ${JSON.stringify(h.stats)}`);
      expect(h.releases.length).toBeGreaterThanOrEqual(20);
      expect(h.stats.late).toBeGreaterThan(0);
      expect(h.stats.corrections).toBeGreaterThan(0);
      expect(h.stats.negativeDeltas).toBeGreaterThan(0);
      expect(h.stats.pressFigures).toBeGreaterThan(0);
      expect(h.stats.thinPlaces).toBeGreaterThan(0);
      expect(h.stats.republished).toBeGreaterThan(0);
    }
    expect(new Set((await Promise.all(generated)).map((h) => h.counties.length))).toEqual(new Set([1, 2, 3]));
  });

  it('no hidden count is recovered or narrowed', { timeout: 120_000 }, async () => {
    const found: Breach[] = [];
    for (const h of await Promise.all(generated)) {
      const result = await attack(knowledgeOf(h), { k: K, select: (t) => t.kind === 'hidden-cell' || trueCount(h, t.atoms) < K });
      // The rules and figures are true of the data, so every year's full model has a solution.
      expect(result.infeasibleYears).toEqual([]);
      found.push(...breaches(h, result.counts));
    }
    const kinds = ['recovered', 'two values', UNDER_K];
    const summary = kinds.map((why) => `${found.filter((b) => b.why === why).length} ${why}`).join(', ');
    const sample = kinds.flatMap((why) => found.filter((b) => b.why === why).slice(0, 40));
    const lines = sample.map((b) => `history ${b.seed}: ${b.key} = ${b.value}, attacker's range [${b.lo}, ${b.hi}], floor ${b.floor} (${b.why})`);
    expect(found.length, `${found.length} protected counts broken (${summary}), e.g.\n${lines.join('\n')}`).toBe(0);
  });
});
