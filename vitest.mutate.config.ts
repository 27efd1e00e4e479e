import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutate` runs against each mutant: the pure policy tables and the access layer's
 * unit tests (in-memory SQLite, no server) — seconds, so Stryker finishes in minutes. The property test
 * on both real databases runs in `npm test`, not here.
 */
export default defineConfig({
  test: {
    include: ['server/**/*.policy.test.ts', 'server/auth/policy.test.ts', 'server/auth/access.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
