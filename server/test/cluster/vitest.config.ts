import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:cluster` (scripts/cluster.sh, HAProxy, a PostgreSQL server of its own): outside `npm test`'s projects.
export default defineConfig({
  test: {
    root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'),
    include: ['server/test/cluster/*.scenario.ts'],
    environment: 'node',
    pool: 'forks',
    // One file, its steps in order; bounds for a loaded two-core machine, never waited out by a pass.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
