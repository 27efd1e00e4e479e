/**
 * Measures the release check (issue #4, "Measured"): one new release of realistic size checked against
 * 100 earlier releases. Missouri's 115 counties, every family, five years of quarters; counts drawn so
 * that big counties have most of the cases and most rural county-quarters are small or zero.
 *   node --import tsx server/modules/disclosure/release-check.measure.ts [--releases 100] [--years 5] [--scale 1]
 * Prints CPU time (the machines are shared: wall time is printed too but swings with load) of building
 * the ledger release by release and of the measured release, from the raw ledger and from a kept index.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { jurisdictionOf } from '../../lib/jurisdiction.ts';
import { atomKey, FAMILIES, FAMILY_NAMES, ReleaseLayout, type CellDefinition, type Family } from './statistics.cells.ts';
import { LedgerIndex, suppressRelease, type ReleaseCell } from './suppression.ts';

const { values } = parseArgs({ options: { releases: { type: 'string', default: '100' }, years: { type: 'string', default: '5' }, scale: { type: 'string', default: '1' } } });
const earlierReleases = Number(values.releases);
const years = Number(values.years);
/** Multiplies every mean count: 10 gives a state with ten times the cases and far fewer small cells. */
const scale = Number(values.scale);

/** Missouri's counties (the demo's state); LANTERN_STATE=KS (say) measures another state's layout. */
const counties = [...jurisdictionOf(process.env.LANTERN_STATE ?? 'MO').countyFips];

let seed = 20201031;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
/** Poisson by inversion for the small means of a county-quarter, a rounded normal for large ones. */
const poisson = (mean: number) => {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())));
  let n = 0;
  let p = Math.exp(-mean);
  let sum = p;
  const u = random();
  while (u > sum) {
    n++;
    p *= mean / n;
    sum += p;
  }
  return n;
};

/** Statewide count per quarter of each family, spread over its categories. */
const PER_QUARTER: Record<Family, number> = {
  operations: 25,
  persons: 260,
  outcomes: 260,
  services: 320,
  businesses_closed: 6,
};
const countyWeight = new Map(counties.map((c, i) => [c, 1 / (1 + ((i * 37) % counties.length)) ** 1.1]));
const totalWeight = [...countyWeight.values()].reduce((a, b) => a + b, 0);

const quarters: string[] = [];
for (let y = 0; y < years; y++) for (let q = 1; q <= 4; q++) quarters.push(`${2020 + y}Q${q}`);
const counts = new Map<string, number>();
for (const family of FAMILY_NAMES) {
  const categories = FAMILIES[family];
  for (const category of categories) {
    const catShare = random() * 2 / categories.length;
    for (const county of counties) {
      for (const quarter of quarters) {
        const mean = (scale * PER_QUARTER[family] * catShare * (countyWeight.get(county) as number)) / totalWeight;
        const n = poisson(mean);
        if (n) counts.set(atomKey({ family, category, county, quarter }), n);
      }
    }
  }
}

// Earlier releases cover the first quarters, several releases per quarter (a monthly page re-published
// while the quarter set is unchanged); the measured release adds the last quarter.
const covered = (release: number) => Math.min(quarters.length - 1, 1 + Math.floor((release * (quarters.length - 1)) / earlierReleases));
const interned = new Map<string, string[]>();
const intern = (cells: ReleaseCell[]) => cells.map((c) => {
  const atoms = interned.get(c.key) ?? c.atoms;
  interned.set(c.key, atoms);
  return { ...c, atoms };
});
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let layoutCpu = 0;
/** The layout of a release covering the first n quarters; guards only for the year whose quarters changed. */
const build = (n: number, previous: number) => {
  const c0 = cpu();
  const input = { counts, quarters: quarters.slice(0, n), counties };
  const changed = n === previous ? [] : [...new Set(quarters.slice(previous, n).map((q) => q.slice(0, 4)))];
  const release = new ReleaseLayout(input);
  const layout = { cells: release.cells(), guards: release.guards(changed) };
  layoutCpu += cpu() - c0;
  return layout;
};

const ledger: ReleaseCell[][] = [];
const index = new LedgerIndex();
let ledgerCpu = 0;
let slowest = 0;
for (let r = 0; r < earlierReleases; r++) {
  const { cells, guards } = build(covered(r), r === 0 ? 0 : covered(r - 1));
  const c0 = cpu();
  const release = intern(suppressRelease(cells, index, { guards }));
  index.add(release);
  const spent = cpu() - c0;
  ledgerCpu += spent;
  slowest = Math.max(slowest, spent);
  ledger.push(release);
}

layoutCpu = 0;
const { cells, guards } = build(quarters.length, covered(earlierReleases - 1));
/** The median of five runs: the function is pure, and the machines are shared. */
const timed = (ledgerArg: ReleaseCell[][] | LedgerIndex, arithmetic: 'auto' | 'bigint' = 'auto') => {
  const runs = Array.from({ length: 5 }, () => {
    const c0 = cpu();
    const w0 = performance.now();
    const release = suppressRelease(cells, ledgerArg, { guards, arithmetic });
    return { release, cpu: cpu() - c0, wall: performance.now() - w0 };
  });
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[2] as number;
  return { release: (runs[0] as { release: ReleaseCell[] }).release, cpu: median(runs.map((r) => r.cpu)), wall: median(runs.map((r) => r.wall)) };
};
const fromScratch = timed(ledger);
const withIndex = timed(index);
const inBigInt = timed(index, 'bigint');
const indexCpu = (() => {
  const c0 = cpu();
  LedgerIndex.of(ledger);
  return cpu() - c0;
})();
if (JSON.stringify(fromScratch.release) !== JSON.stringify(withIndex.release) || JSON.stringify(inBigInt.release) !== JSON.stringify(withIndex.release)) {
  throw new Error('the runs disagree');
}

const hidden = (r: ReleaseCell[]) => r.filter((c) => c.suppressed).length;
const primary = (cs: CellDefinition[]) => cs.filter((c) => c.value < 5).length;
const ms = (x: number) => `${x.toFixed(0)} ms`;
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs; times are medians of 5 runs`);
console.log(`${counties.length} counties, ${years} years, ${FAMILY_NAMES.length} families, ${counts.size} non-zero atoms`);
console.log(`ledger: ${earlierReleases} releases, each checked against those before it (index kept): CPU ${ms(ledgerCpu)} in all, slowest ${ms(slowest)}`);
console.log(`measured release: ${cells.length} cells (${primary(cells)} under 5), ${guards.length} guards of the changed year (${primary(guards)} under 5), ${hidden(withIndex.release)} suppressed`);
console.log(`against ${earlierReleases} earlier releases given as arrays: CPU ${ms(fromScratch.cpu)}, wall ${ms(fromScratch.wall)} (of which indexing the ledger: CPU ${ms(indexCpu)})`);
console.log(`against the same ledger as a kept LedgerIndex: CPU ${ms(withIndex.cpu)}, wall ${ms(withIndex.wall)}`);
console.log(`the same, all in BigInt (no double-precision fast path): CPU ${ms(inBigInt.cpu)}, wall ${ms(inBigInt.wall)}`);
console.log(`layout and guards of the release (statistics.cells.ts): CPU ${ms(layoutCpu)}`);
