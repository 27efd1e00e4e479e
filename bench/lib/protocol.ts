/** Messages between a bench (parent) and its target server (bench/lib/server-process.ts). */
import type { Dialect } from '../../server/db/database.ts';

export type Request = { id: number } & (
  | { op: 'signIn'; role: string }
  | { op: 'createUsers'; count: number }
  | { op: 'authCounts' }
  | { op: 'mark' }
  | { op: 'usage' }
  | { op: 'profileStart' }
  | { op: 'profileStop'; file: string }
  | { op: 'operationsFixture'; officerUserId: string; coordinatorUserId: string; active: number; closed: number }
  | { op: 'deconflict'; plans: PlanSample[] }
  | { op: 'contactCount' }
  | { op: 'tipProofs'; count: number }
  | { op: 'tipCount' }
  | { op: 'tipBatches' }
  | { op: 'contactBatches' }
);

export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface ServerReady {
  type: 'ready';
  url: string;
  bareUrl: string;
  dialect: Dialect;
}

export interface SignedIn {
  cookie: string;
  userId: string;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface AuthCounts {
  failures: number;
  locks: number;
  sessions: number;
}

/** The target's CPU time and event-loop delay since the last `mark`. */
export interface Usage {
  cpuMs: number;
  wallMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** Several slices' usage: CPU as a percentage of one core, the worst slice's event-loop delay. */
export function combineUsage(usages: Usage[]) {
  const sum = (f: (u: Usage) => number) => usages.reduce((n, u) => n + f(u), 0);
  return {
    cpuMs: sum((u) => u.cpuMs),
    cpuPercent: (sum((u) => u.cpuMs) / sum((u) => u.wallMs)) * 100,
    loopDelayP99Ms: Math.max(...usages.map((u) => u.loopDelayP99Ms)),
    loopDelayMaxMs: Math.max(...usages.map((u) => u.loopDelayMaxMs)),
  };
}

/** A new operation's plan, for timing deconfliction in the server process (not saved). */
export interface PlanSample {
  startsAt: string;
  endsAt: string;
  locations: { lat: number; lng: number; radiusM: number }[];
  subjects: { kind: 'phone' | 'plate' | 'address' | 'business' | 'handle'; value: string }[];
}

/** Per plan: `findConflicts` and the naive scan, in milliseconds; conflicts found; plans where the two disagreed. */
export interface DeconflictTimes {
  indexedMs: number[];
  naiveMs: number[];
  conflicts: number[];
  mismatches: number;
}

/** The `operations` bench's operations: running ones the officer is now assigned to, closed ones to read. */
export interface OperationsFixture {
  active: { id: string; contacts: number }[];
  closed: { id: string; contacts: number }[];
  taskForceId: string;
  data: Record<string, number>;
}
