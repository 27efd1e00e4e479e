import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Backend } from './target.ts';
import { REPO } from './target.ts';

export interface BenchOptions {
  /** Seconds of each measured run. */
  durationSec: number;
  /** Seconds of load before measuring, discarded. */
  warmupSec: number;
  /** Concurrent connections of the closed-loop throughput runs (`me`, `operations`). */
  connections: number;
  /** Where to write the server's CPU profile, when asked for. */
  profileDir?: string;
}

export interface Table {
  headers: string[];
  rows: (string | number)[][];
}

/** What one bench measured on one back end: a table for people and the raw numbers for the JSON file. */
export interface BenchOutcome {
  /** The database it ran on; `build` for a bench of the built web app, which has none. */
  backend: Backend | 'build';
  /** A hard limit was exceeded (not a ratio target missed): `npm run bench` exits non-zero. */
  failed?: boolean;
  table: Table;
  /** One line each: the ratio against the baseline, the target and PASS/MISS, checks. */
  verdict: string[];
  data: Record<string, unknown>;
}

export interface Bench {
  name: string;
  summary: string;
  /** Runs once, whatever back ends were asked for (it starts no server). */
  backendFree?: boolean;
  run(backend: Backend, opts: BenchOptions): Promise<BenchOutcome>;
}

export const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–'),
  ms: (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '–'),
  ratio: (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–'),
  pct: (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : '–'),
};

export function renderTable({ headers, rows }: Table): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function printOutcome(bench: Bench, outcome: BenchOutcome, opts: BenchOptions) {
  console.log(`\n${bench.name} [${outcome.backend}]: ${bench.summary}`);
  console.log(bench.backendFree ? '' : `(${opts.durationSec} s measured per run after ${opts.warmupSec} s of warm-up)\n`);
  console.log(renderTable(outcome.table));
  for (const v of outcome.verdict) console.log(v);
}

export function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

/** Writes bench/results/<name>-<timestamp>.json; returns its path relative to the repository. */
export function writeResults(bench: Bench, startedAt: Date, opts: BenchOptions, outcomes: BenchOutcome[]): string {
  const dir = path.join(REPO, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${bench.name}-${stamp}.json`);
  const { profileDir: _profileDir, ...options } = opts;
  const body = {
    bench: bench.name,
    summary: bench.summary,
    startedAt: startedAt.toISOString(),
    machine: machine(),
    options,
    runs: outcomes.map((o) => ({ backend: o.backend, verdict: o.verdict, ...o.data })),
  };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return path.relative(REPO, file);
}

/** A phase's group commits, from how many there were of each size: how many, the mean and the largest. */
export function summarizeBatches(countsBySize: number[]) {
  const batches = countsBySize.reduce((a, n) => a + n, 0);
  const records = countsBySize.reduce((a, n, size) => a + n * size, 0);
  const max = countsBySize.reduce((m, n, size) => (n > 0 ? size : m), 0);
  const stats = { batches, records, mean: batches ? records / batches : 0, max };
  return { stats, text: batches ? `mean ${stats.mean.toFixed(1)}, max ${max} (${batches.toLocaleString('en-US')} batches)` : 'none recorded' };
}
