import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { startTestEnv, type Backend, type TestEnv } from './harness.ts';

/**
 * A race harness: fires conflicting requests at the same moment, many rounds over, and checks an
 * invariant after each round. The races matter on PostgreSQL, where requests run side by side on a
 * pool of connections; on SQLite the writers take turns and a race suite only shows that the checks
 * hold in every order.
 */

/** How many rounds a race runs: many on PostgreSQL, a few on SQLite (where writers take turns anyway). */
export function roundsFor(backend: Backend, postgresRounds = 25): number {
  return backend === 'postgres' ? postgresRounds : 3;
}

/**
 * A test server whose connection pool (and audit chains) can serve `concurrency` requests at once, so
 * no request of a race waits for a free connection and the race is a real one.
 */
export function startRaceEnv(backend: Backend, concurrency: number): Promise<TestEnv> {
  return startTestEnv(backend, { env: { LANTERN_DB_POOL: String(concurrency + 2) } });
}

/**
 * Starts every request at the same moment: each waits on one gate, and the gate opens once all are
 * queued. Returns the results in the order given. A request that throws fails the round.
 */
export async function fireTogether<T>(requests: readonly (() => Promise<T>)[]): Promise<T[]> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const running = requests.map(async (request) => {
    await gate;
    return request();
  });
  open();
  return Promise.all(running);
}

/**
 * Runs `rounds` rounds of a race: `prepare` sets the scene (sequentially, nothing racing), `fire`
 * sends the conflicting requests together, `check` asserts the invariant on what came back and on
 * the database. The round number is handed to each step, so a failure names its round.
 */
export async function raceRounds<S, R>(
  rounds: number,
  steps: { prepare: (round: number) => Promise<S>; fire: (scene: S, round: number) => (() => Promise<R>)[]; check: (scene: S, results: R[], round: number) => Promise<void> | void },
): Promise<void> {
  for (let round = 1; round <= rounds; round++) {
    const scene = await steps.prepare(round);
    const results = await fireTogether(steps.fire(scene, round));
    try {
      await steps.check(scene, results, round);
    } catch (err) {
      if (err instanceof Error) err.message = `round ${round} of ${rounds}: ${err.message}`;
      throw err;
    }
  }
}

/** Status codes of responses, in order (for messages and tallies). */
export const statuses = (responses: readonly LightMyRequestResponse[]) => responses.map((r) => r.statusCode);

/**
 * A refused request of a race answers with the JSON error shape and one of the allowed statuses,
 * never a 500 (an unhandled constraint violation is a lost race the code did not expect).
 */
export function expectRefusal(res: LightMyRequestResponse, allowed: readonly number[]) {
  expect(allowed, `status ${res.statusCode}: ${res.body}`).toContain(res.statusCode);
  const err = (res.json() as { error?: { code?: unknown; message?: unknown } }).error;
  expect(typeof err?.code).toBe('string');
  expect(typeof err?.message).toBe('string');
}
