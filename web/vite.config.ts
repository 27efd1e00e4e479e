import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm run dev:web` forwards /api while the server runs separately. */
const apiTarget = process.env.LANTERN_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
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
    rolldownOptions: {
      output: {
        // React, the router, React Query and i18next change rarely: one cacheable vendor chunk. Pages
        // are split off and load on first visit. d3 (the operation map) stays out of the vendor chunk,
        // which loads with the first page: it travels with the map, the only page that draws with it.
        codeSplitting: { groups: [{ name: 'vendor', test: /node_modules[\\/](?!d3-)/ }] },
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
