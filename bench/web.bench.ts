import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { fmt, type Bench, type BenchOutcome } from './lib/report.ts';
import { REPO } from './lib/target.ts';

/** DESIGN.md §7: the web app's first load is under 250 KB of compressed JavaScript. */
export const FIRST_LOAD_JS_LIMIT_BYTES = 250_000;

/** The sign-in page: what a browser loads before anyone has signed in. */
const SIGN_IN_PAGE = 'src/features/auth/SignInPage.tsx';

const DIST = path.join(REPO, 'web/dist');

/** One entry of Vite's build manifest (web/dist/.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

interface Sizes {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
  /** What @fastify/compress would send at its default quality (4), had the build not compressed the file. */
  brotliOnTheFly: number;
  onTheFlyMs: number;
}

/**
 * The chunks a browser loads for the sign-in page: the entry (index.html's script) with everything it
 * imports statically, and, should the sign-in page ever become a lazy route, its chunk and its static
 * imports too. Dynamic imports (the other pages) are left out: they load on first visit.
 */
export function firstLoadChunks(manifest: Manifest): { js: string[]; css: string[] } {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the build manifest has no entry ${key}`);
    seen.add(key);
    for (const k of chunk.imports ?? []) visit(k);
  };
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry in the build manifest, found ${entries.length}`);
  visit(entries[0]![0]);
  if (manifest[SIGN_IN_PAGE]) visit(SIGN_IN_PAGE);
  const chunks = [...seen].map((k) => manifest[k]!);
  return { js: chunks.map((c) => c.file).filter((f) => f.endsWith('.js')), css: [...new Set(chunks.flatMap((c) => c.css ?? []))] };
}

function sizesOf(file: string): Sizes {
  const full = path.join(DIST, file);
  const raw = fs.readFileSync(full);
  const built = (ext: string) => {
    if (!fs.existsSync(full + ext)) throw new Error(`${file}${ext} is missing: the build writes a compressed copy of each file (web/vite.config.ts)`);
    return fs.statSync(full + ext).size;
  };
  const t0 = performance.now();
  const q4 = brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }).length;
  return { file, raw: raw.length, gzip: built('.gz'), brotli: built('.br'), brotliOnTheFly: q4, onTheFlyMs: performance.now() - t0 };
}

const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;

/**
 * The web app's first load: builds it (scripts/build-web.sh, skipped when nothing changed), reads the
 * build manifest, follows the sign-in page's static imports and adds up the compressed bytes the server
 * sends (the build's own `.br` and `.gz` files). Over the limit, the bench fails.
 */
export const webBench: Bench = {
  name: 'web',
  summary: 'compressed JavaScript of the web app’s first load (the sign-in page), from the build manifest',
  backendFree: true,
  async run(): Promise<BenchOutcome> {
    const build = spawnSync(path.join(REPO, 'scripts/build-web.sh'), { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
    if (build.status !== 0) throw new Error(`scripts/build-web.sh failed (exit ${build.status})`);
    const manifestFile = path.join(DIST, '.vite/manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    const first = firstLoadChunks(manifest);
    const js = first.js.map(sizesOf).sort((a, b) => b.brotli - a.brotli);
    const css = first.css.map(sizesOf);
    const sum = (list: Sizes[], k: keyof Omit<Sizes, 'file'>) => list.reduce((n, s) => n + s[k], 0);
    const total = { raw: sum(js, 'raw'), gzip: sum(js, 'gzip'), brotli: sum(js, 'brotli'), brotliOnTheFly: sum(js, 'brotliOnTheFly'), onTheFlyMs: sum(js, 'onTheFlyMs') };

    const firstFiles = new Set([...first.js, ...first.css]);
    const lazy = Object.values(manifest)
      .filter((c) => c.file.endsWith('.js') && !firstFiles.has(c.file))
      .map((c) => sizesOf(c.file))
      .sort((a, b) => b.brotli - a.brotli);

    // Served as brotli to every current browser; gzip only to the rare one without it. Both must fit.
    const worst = Math.max(total.brotli, total.gzip);
    const pass = worst <= FIRST_LOAD_JS_LIMIT_BYTES;
    const row = (label: string, s: Omit<Sizes, 'file'>) => [label, kb(s.raw), kb(s.gzip), kb(s.brotli), kb(s.brotliOnTheFly), fmt.ms(s.onTheFlyMs)];
    return {
      backend: 'build',
      failed: !pass,
      table: {
        headers: ['first load (sign-in page)', 'raw', 'gzip -9', 'brotli 11 (sent)', 'brotli 4 (on the fly)', 'br 4 ms'],
        rows: [
          ...js.map((s) => row(s.file, s)),
          row(`JavaScript, ${js.length} files`, total),
          ...css.map((s) => row(`${s.file} (CSS, not counted)`, s)),
          ...lazy.slice(0, 5).map((s) => row(`largest lazy: ${s.file}`, s)),
        ],
      },
      verdict: [
        `first-load JavaScript: ${kb(total.brotli)} brotli, ${kb(total.gzip)} gzip; limit ${kb(FIRST_LOAD_JS_LIMIT_BYTES)} (DESIGN.md §7): ${pass ? 'PASS' : 'FAIL'}`,
        `${lazy.length} lazy chunks, ${kb(sum(lazy, 'brotli'))} brotli in all, load on first visit of their pages`,
      ],
      data: { limitBytes: FIRST_LOAD_JS_LIMIT_BYTES, firstLoad: { js, css, total }, lazy },
    };
  },
};
