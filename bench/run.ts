/**
 * Runs Lantern's benchmarks (bench/README.md): all of them, or those named.
 *   node --import tsx bench/run.ts [web] [me] [login] [statistics] [operations] [tips] [links] [letters] [campaign] [releases] [cluster] [--pg | --all] [--duration 10] [--warmup 3] [--connections 32] [--profile]
 * Prints a table per bench and back end and writes bench/results/<name>-<timestamp>.json.
 * A missed ratio target is reported, not an error: the exit code is non-zero when a bench could not
 * run or exceeded a hard limit (the web app's first load).
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lettersBench } from './letters.bench.ts';
import { campaignBench } from './campaign.bench.ts';
import { clusterBench } from './cluster.bench.ts';
import { releasesBench } from './releases.bench.ts';
import { linksBench } from './links.bench.ts';
import { loginBench } from './login.bench.ts';
import { meBench } from './me.bench.ts';
import { operationsBench } from './operations.bench.ts';
import { statisticsBench } from './statistics.bench.ts';
import { tipsBench } from './tips.bench.ts';
import { webBench } from './web.bench.ts';
import { printOutcome, writeResults, type Bench, type BenchOptions, type BenchOutcome } from './lib/report.ts';
import { REPO, stopAll, type Backend } from './lib/target.ts';

const BENCHES: Bench[] = [webBench, meBench, loginBench, statisticsBench, operationsBench, tipsBench, linksBench, lettersBench, campaignBench, releasesBench, clusterBench];

const USAGE = `usage: npm run bench -- [name ...] [options]
benches: ${BENCHES.map((b) => `\n  ${b.name.padEnd(10)} ${b.summary}`).join('')}
options:
  --pg               on PostgreSQL (LANTERN_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres)
  --all              on SQLite, then on PostgreSQL (default: SQLite only)
  --duration <s>     seconds of each measured run (default 10)
  --warmup <s>       seconds of warm-up load before measuring (default 3, at most the duration)
  --connections <n>  concurrent connections of the throughput runs (default 32)
  --profile          after measuring, profile the server under the bench's load for one more run and
                     write the V8 CPU profile to bench/results/profiles/ (see bench/profile-summary.ts)
  -h, --help`;

function positive(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number ≥ ${min}, not ${JSON.stringify(value)}\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    pg: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = positionals.filter((p) => !BENCHES.some((b) => b.name === p));
if (unknown.length) {
  console.error(`no bench named ${unknown.join(', ')}\n\n${USAGE}`);
  process.exit(2);
}

const durationSec = positive('duration', values.duration, 10, 1);
const opts: BenchOptions = {
  durationSec,
  warmupSec: Math.min(positive('warmup', values.warmup, 3, 0), durationSec),
  connections: Math.round(positive('connections', values.connections, 32, 1)),
  ...(values.profile ? { profileDir: path.join(REPO, 'bench/results/profiles') } : {}),
};
const backends: Backend[] = values.all ? ['sqlite', 'postgres'] : values.pg ? ['postgres'] : ['sqlite'];
// The cluster bench starts its own PostgreSQL server and HAProxy and takes minutes: only when named.
const selected = positionals.length ? BENCHES.filter((b) => positionals.includes(b.name)) : BENCHES.filter((b) => b !== clusterBench);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and dropping their databases`);
    void stopAll().finally(() => process.exit(130));
  });
}

let failed = false;
const summary: string[] = [];
for (const bench of selected) {
  const startedAt = new Date();
  const outcomes: BenchOutcome[] = [];
  for (const backend of bench.backendFree ? (['build'] as const) : backends) {
    // Before the server starts, the load average is other jobs': they compete with the bench for the CPUs.
    const loadBefore = os.loadavg()[0]!;
    if (!bench.backendFree && loadBefore > os.cpus().length / 2) {
      console.warn(`\nwarning: the machine is busy before ${bench.name} [${backend}] (load average ${loadBefore.toFixed(1)} on ${os.cpus().length} cores): expect noisy numbers`);
    }
    try {
      // A backend-free bench (`build`) ignores the argument.
      const outcome = await bench.run(backend as Backend, opts);
      outcome.data = { loadAverageBefore: loadBefore, ...outcome.data };
      outcomes.push(outcome);
      printOutcome(bench, outcome, opts);
      summary.push(`${bench.name} [${backend}]: ${outcome.verdict[0]}`);
      if (outcome.failed) failed = true;
    } catch (err) {
      failed = true;
      console.error(`\n${bench.name} [${backend}] could not run: ${(err as Error).stack ?? err}`);
      summary.push(`${bench.name} [${backend}]: could not run`);
    }
  }
  if (outcomes.length) console.log(`\nwritten: ${writeResults(bench, startedAt, opts, outcomes)}`);
}
console.log(`\nsummary\n${summary.map((s) => `  ${s}`).join('\n')}`);
process.exit(failed ? 1 : 0);
