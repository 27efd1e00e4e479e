import type { TestProject } from 'vitest/node';
import { postgresAvailable, PG_ADMIN_URL } from './databases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAvailable: boolean;
  }
}

/** Says loudly, once, which back ends the run covers, and tells the test files. */
export default async function setup(project: TestProject) {
  const pgUp = await postgresAvailable();
  if (!pgUp) {
    if (process.env.CI) throw new Error(`CI requires PostgreSQL, but ${PG_ADMIN_URL} is not reachable`);
    const line = '!'.repeat(100);
    console.warn(
      `${line}\n!! PostgreSQL is not reachable at ${PG_ADMIN_URL}: every PostgreSQL integration suite is SKIPPED.\n` +
        `!! Start it (scripts/ensure-postgres.sh does) or set LANTERN_TEST_PG_URL.\n${line}`,
    );
  }
  project.provide('pgAvailable', pgUp);
}
