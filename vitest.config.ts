import { configDefaults, defineConfig } from 'vitest/config';

/*
 * Budgets for a slow, loaded two-core machine (issue #9, item 16). Timeouts bound a test that hangs; they
 * are never waited out by a passing test, so they are set for the worst machine the suite must pass on
 * (`npm test` beside another CPU-heavy job), not for a quiet one. Tests wait on conditions, never on time.
 *
 * Two workers: vitest's default is one fewer than the cores, which is one on these machines, so every
 * file ran after the other while most of a server test's time is spent waiting on PostgreSQL, fsync and
 * argon2's threads. Measured on six server files under load 15–20: 184 s with one worker, 148 s with two
 * (means of two runs each).
 *
 * The server's files share each worker's modules (`isolate: false`): every file imported the whole server
 * anew, 234 s of a run's 590 s (vitest's own `import` phase), and with the modules shared the server
 * files took 321 s instead. A file's state is its own test servers and databases (each file starts its
 * own), never a module's: what a module keeps is per app (WeakMaps keyed by the context or database) or
 * per world (server/test/operations-fixtures.ts). The two files that replace a module with `vi.mock` run
 * apart, isolated, since a mock cannot apply to a module another file has already loaded.
 */
const MOCKING = ['server/modules/businesses/businesses.watch-call.test.ts', 'server/modules/disclosure/press-releases.statistics.test.ts'];

const serverProject = {
  environment: 'node' as const,
  globalSetup: ['server/test/global-setup.ts'],
  // A test's own steps: the slowest seen under load 20 took 15 s.
  testTimeout: 60_000,
  // A beforeAll may migrate two databases and load the demo (30 s under load 20).
  hookTimeout: 120_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...serverProject,
          name: 'server',
          include: ['server/**/*.test.ts', 'common/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...MOCKING],
          isolate: false,
        },
      },
      {
        test: { ...serverProject, name: 'server-mocked', include: MOCKING },
      },
      {
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          testTimeout: 30_000,
        },
      },
    ],
  },
});
