/**
 * Summarises a V8 CPU profile (`npm run bench -- me --profile` writes the server's to
 * bench/results/profiles/): self time by package or source file, and the heaviest functions.
 *   node --import tsx bench/profile-summary.ts bench/results/profiles/<file>.cpuprofile [--top 30]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { renderTable } from './lib/report.ts';
import { REPO } from './lib/target.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' } } });
if (positionals.length !== 1) {
  console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top 30]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(positionals[0]!, 'utf8')) as Profile;
const top = Number(values.top);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  if (!url) return '(native / V8)';
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1]!;
  if (path.startsWith('node:')) return path;
  return path.startsWith(REPO) ? path.slice(REPO.length + 1) : path;
}

const byPlace = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (!us) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const place = where(url);
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  const fn = `${functionName || '(anonymous)'}  ${place}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
}

const rows = (m: Map<string, number>) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => [k, `${(us / 1000).toFixed(0)} ms`, `${((us / total) * 100).toFixed(1)}%`]);

console.log(`${positionals[0]}: ${(total / 1e6).toFixed(1)} s sampled\n`);
console.log(renderTable({ headers: ['self time by package or file', 'time', 'share'], rows: rows(byPlace) }));
console.log();
console.log(renderTable({ headers: ['self time by function', 'time', 'share'], rows: rows(byFunction) }));
