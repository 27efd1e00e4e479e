/**
 * What the project's own attacker (attacker.ts) gets out of the release plan, over generated histories
 * (histories.test-support.ts): `npm run attack [-- --histories 20 --quarters 20 --seed 1 --k 5]`.
 *
 * For each history (every release published through planRelease, press releases, record rules), the
 * attacker holds everything public at the end and computes the range of every protected count: every
 * hidden cell and every natural sum under k (counts the record rules alone make 0 are left out: no release
 * can protect them). A range is narrowed when a count under k keeps less than [0, k − 1], or another count
 * fewer than k possible values; recovered when lo = hi. It is a report: the exit code is 0 whatever it finds.
 */
import { parseArgs } from 'node:util';
import { attack, judge } from './attacker.ts';
import { generateOperationHistory, knowledgeOf, ruledOut, trueCount, oneCountyZero } from './histories.test-support.ts';

const { values } = parseArgs({
  options: {
    histories: { type: 'string', default: '20' },
    quarters: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    k: { type: 'string', default: '5' },
  },
});
const histories = Number(values.histories);
const quarters = Number(values.quarters);
const firstSeed = Number(values.seed);
const k = Number(values.k);

interface Narrowest {
  seed: number;
  key: string;
  value: number;
  lo: number;
  hi: number;
}

const totals = { releases: 0, hiddenCells: 0, attacked: 0, ruledOut: 0, narrowed: 0, recovered: 0, recoveredNonZero: 0, solves: 0, ms: 0, infeasibleYears: 0 };
let narrowest: Narrowest | null = null;
const examples: string[] = [];
const started = performance.now();

console.log(`Attacking ${histories} generated histories of ${quarters} quarters (seeds ${firstSeed}–${firstSeed + histories - 1}), k = ${k}`);
for (let seed = firstSeed; seed < firstSeed + histories; seed++) {
  const h = await generateOperationHistory(seed, { quarters, k });
  const hiddenKeys = new Set(h.releases.flatMap((r) => r.cells.filter((c) => c.value === null).map((c) => c.key)));
  const result = await attack(knowledgeOf(h), { k, select: (t) => t.kind === 'hidden-cell' || trueCount(h, t.atoms) < k });
  let attacked = 0;
  let narrowed = 0;
  let recovered = 0;
  let recoveredNonZero = 0;
  let skipped = 0;
  for (const c of result.counts) {
    if (c.atoms.every((a) => ruledOut(h.rules, a))) {
      skipped++;
      continue;
    }
    const value = trueCount(h, c.atoms);
    if (oneCountyZero(c, value)) {
      skipped++;
      continue;
    }
    attacked++;
    const verdict = judge(c, value, k);
    if (verdict === 'protected') continue;
    narrowed++;
    if (verdict === 'recovered') {
      recovered++;
      if (value > 0) recoveredNonZero++;
    }
    if (examples.length < 20) examples.push(`  history ${seed}: ${c.key} = ${value}, ${verdict === 'recovered' ? 'recovered exactly' : `range [${c.lo}, ${c.hi}] (floor ${c.floor ?? 0})`}`);
    const width = c.hi - c.lo;
    if (!narrowest || width < narrowest.hi - narrowest.lo || (width === narrowest.hi - narrowest.lo && value > narrowest.value)) narrowest = { seed, key: c.key, value, lo: c.lo, hi: c.hi };
  }
  totals.releases += h.releases.length;
  totals.hiddenCells += hiddenKeys.size;
  totals.attacked += attacked;
  totals.ruledOut += skipped;
  totals.narrowed += narrowed;
  totals.recovered += recovered;
  totals.recoveredNonZero += recoveredNonZero;
  totals.solves += result.solves;
  totals.ms += result.ms;
  totals.infeasibleYears += result.infeasibleYears.length;
  const infeasible = result.infeasibleYears.length ? `, infeasible years ${result.infeasibleYears.map((y) => `${y.year} (without ${y.dropped})`).join(' ')}` : '';
  console.log(
    `history ${seed}: ${h.counties.length} ${h.counties.length === 1 ? 'county' : 'counties'}, ${h.releases.length} releases, ${hiddenKeys.size} hidden cells, ` +
      `${attacked} protected counts attacked, ${narrowed} narrowed, ${recovered} recovered (${recoveredNonZero} non-zero), ${result.solves} LP solves in ${(result.ms / 1000).toFixed(1)} s${infeasible}`,
  );
}

console.log('');
console.log(`releases:                 ${totals.releases}`);
console.log(`hidden cells:             ${totals.hiddenCells} (distinct keys of each history, summed)`);
console.log(`protected counts attacked: ${totals.attacked} (${totals.ruledOut} more are 0 by the record rules alone and left out)`);
console.log(`ranges narrowed:          ${totals.narrowed}`);
console.log(`values recovered:         ${totals.recovered} (${totals.recoveredNonZero} of them non-zero)`);
const n = narrowest as Narrowest | null;
console.log(`narrowest range:          ${n ? `[${n.lo}, ${n.hi}] for ${n.key} = ${n.value} (history ${n.seed})` : 'none narrowed'}`);
console.log(`LP solves:                ${totals.solves} in ${(totals.ms / 1000).toFixed(1)} s (whole run ${((performance.now() - started) / 1000).toFixed(1)} s)`);
if (totals.infeasibleYears) console.log(`infeasible years:         ${totals.infeasibleYears} (rules or press figures false for the data: attacked without them)`);
if (totals.recovered) {
  console.log('');
  console.log(`RECOVERED: the attacker recovered ${totals.recovered} protected counts exactly (${totals.recoveredNonZero} non-zero).`);
  for (const line of examples) console.log(line);
} else if (totals.narrowed) {
  console.log('');
  console.log(`NARROWED: nothing recovered exactly, but ${totals.narrowed} protected counts were narrowed.`);
  for (const line of examples) console.log(line);
} else {
  console.log('');
  console.log('Nothing recovered or narrowed.');
}
