import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm run dev:web` forwards /api while the server runs separately. */
const apiTarget = process.env.LANTERN_API_URL ?? 'http://127.0.0.1:3000';

/**
 * The core libraries every page needs (React, the router, React Query, i18next): one vendor chunk that
 * changes rarely and stays cached. Only these: anything else from node_modules (zod, d3, a chart or
 * map library) goes into the lazy chunks of the pages that import it, never into the first load
 * (DESIGN.md §7: under 250 KB of compressed JavaScript, measured by `npm run bench -- web`).
 */
const VENDOR = /node_modules[\\/](react|react-dom|scheduler|use-sync-external-store|@tanstack|i18next|react-i18next)[\\/]/;

/** Files worth compressing; fonts (woff2) and images are compressed already. */
const COMPRESSIBLE = /\.(js|css|svg|json|txt)$/;

/**
 * Writes `x.br` (brotli, quality 11) and `x.gz` (gzip, level 9) beside each built text file, once at
 * build time: the server sends them as they are (@fastify/static's `preCompressed`), so the smallest
 * encoding costs nothing per request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'lantern-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name.startsWith('.') ? [] : walk(path.join(dir, e.name))) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue;
        const raw = fs.readFileSync(file);
        fs.writeFileSync(`${file}.br`, brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        fs.writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompress()],
  css: {
    preprocessorOptions: {
      scss: {
        loadPaths: [`${repoRoot}node_modules/@uswds/uswds/packages`],
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'if-function'],
      },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every font, icon and image becomes a file under /assets: a strict CSP (`default-src 'self'`)
    // refuses `data:` URLs, so nothing is inlined.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    // web/dist/.vite/manifest.json: which chunks each entry loads (the `web` bench reads the first load's).
    manifest: true,
    rolldownOptions: {
      output: {
        // Pages are split off (web/src/app/router.tsx) and load on first visit.
        codeSplitting: { groups: [{ name: 'vendor', test: VENDOR }] },
      },
    },
  },
  server: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
});
