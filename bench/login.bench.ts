import { hashPassword } from '../server/auth/passwords.ts';
import { hammer, median, probe, slices, summarize, type LoadStats, type Sample } from './lib/load.ts';
import { fmt, type Bench, type BenchOptions } from './lib/report.ts';
import { startTarget, type Backend } from './lib/target.ts';
import { combineUsage, type AuthCounts, type Credentials, type Usage } from './lib/protocol.ts';

/** Distinct accounts the storm cycles through: each signs in a few times, none fails. */
const USERS = 200;
/** Logins in flight: enough to keep every argon2 thread busy while others wait on the database. */
const LOGIN_CONNECTIONS = 32;
/** Hashes in flight for the ceiling: more than libuv's 4 threads, so none ever idles. */
const HASH_CONCURRENCY = 16;
/** The separate, light client that checks the event loop keeps serving during the storm. */
const HEALTHZ_RATE = 50;

/** One argon2id hash alone (median of five), with Lantern's own parameters (hashPassword). */
async function hashCost() {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await hashPassword(`bench-${i}-alone`);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2]!;
}

/** argon2id as fast as the machine allows for `seconds`: HASH_CONCURRENCY hashes always in flight. */
async function hashFlat(seconds: number) {
  let hashes = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: HASH_CONCURRENCY }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await hashPassword(`bench-${w}-${i}`);
        hashes++;
      }
    }),
  );
  return { hashes, seconds: (performance.now() - start) / 1000 };
}

function storm(url: string, users: Credentials[], duration: number) {
  let next = 0;
  return hammer({
    url: `${url}/api/auth/login`,
    connections: LOGIN_CONNECTIONS,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(users[next++ % users.length]) }),
      },
    ],
  });
}

/**
 * Full sign-in (step one: lock check, user read, argon2id verify, session insert and audit row in one
 * transaction) under a storm of correct passwords, against the machine's argon2id ceiling with the same
 * parameters; meanwhile `/healthz` is probed at a low rate to show the event loop keeps serving.
 */
export const loginBench: Bench = {
  name: 'login',
  summary: 'POST /api/auth/login throughput against the argon2id ceiling; /healthz latency meanwhile',
  async run(backend: Backend, opts: BenchOptions) {
    const target = await startTarget(backend, { profileDir: opts.profileDir });
    try {
      const users = await target.call<Credentials[]>('createUsers', { count: USERS });
      const msPerHashAlone = await hashCost();
      const healthIdle = summarize([await probe(`${target.url}/healthz`, HEALTHZ_RATE, Math.min(3, opts.durationSec))]);

      if (opts.warmupSec > 0) await storm(target.url, users, opts.warmupSec);
      const flat = { hashes: 0, seconds: 0 };
      const logins: Sample[] = [];
      const probes: Sample[] = [];
      const usages: Usage[] = [];
      const roundRatios: number[] = [];
      for (const [i, seconds] of slices(opts.durationSec, 2).entries()) {
        const ceilingFirst = i % 2 === 0;
        const ceilingSlice = async () => {
          const h = await hashFlat(seconds);
          flat.hashes += h.hashes;
          flat.seconds += h.seconds;
          return h.hashes / h.seconds;
        };
        const stormSlice = async () => {
          await target.call('mark');
          const [l, p] = await Promise.all([storm(target.url, users, seconds), probe(`${target.url}/healthz`, HEALTHZ_RATE, seconds)]);
          usages.push(await target.call<Usage>('usage'));
          // Logins still in flight when the client stopped finish their argon2 work before the next slice.
          await new Promise((r) => setTimeout(r, 250));
          logins.push(l);
          probes.push(p);
          return l.ok / l.seconds;
        };
        const first = ceilingFirst ? await ceilingSlice() : await stormSlice();
        const second = ceilingFirst ? await stormSlice() : await ceilingSlice();
        roundRatios.push(ceilingFirst ? second / first : first / second);
      }
      // Profiling slows the server down: it gets a run of its own, after the measured ones.
      if (opts.profileDir) await target.profiled('login', () => storm(target.url, users, opts.durationSec));

      const ceiling = { hashesPerSec: flat.hashes / flat.seconds, hashes: flat.hashes, msPerHashAlone, concurrency: HASH_CONCURRENCY };
      const login = summarize(logins);
      const healthBusy = summarize(probes);
      const server = combineUsage(usages);
      const counts = await target.call<AuthCounts>('authCounts');

      const problems = [
        login.requests === 0 && 'no sign-in completed (try a longer --duration)',
        login.non2xx + login.errors > 0 && `${login.non2xx} logins refused and ${login.errors} errors`,
        counts.locks > 0 && `${counts.locks} accounts locked`,
        counts.failures > 0 && `${counts.failures} failed attempts recorded`,
        healthBusy.non2xx + healthBusy.errors > 0 && `/healthz: ${healthBusy.non2xx} non-2xx, ${healthBusy.errors} errors`,
      ].filter(Boolean);
      if (problems.length) throw new Error(`login storm was not clean: ${problems.join('; ')}`);

      const ratio = median(roundRatios);
      const row = (label: string, s: LoadStats) => [label, fmt.int(s.requestsPerSec), fmt.ms(s.p50Ms), fmt.ms(s.p99Ms), fmt.ms(s.maxMs)];
      return {
        backend,
        table: {
          headers: ['measure', 'per s', 'p50 ms', 'p99 ms', 'max ms'],
          rows: [
            [`argon2id ceiling (${HASH_CONCURRENCY} in flight; ${fmt.ms(msPerHashAlone)} ms alone)`, fmt.int(ceiling.hashesPerSec), '', '', ''],
            row(`POST /api/auth/login (${LOGIN_CONNECTIONS} connections, ${USERS} users)`, login),
            row(`GET /healthz at ${HEALTHZ_RATE}/s, idle`, healthIdle),
            row(`GET /healthz at ${HEALTHZ_RATE}/s, during the storm`, healthBusy),
          ],
        },
        verdict: [
          `ratio login/argon2 ${fmt.ratio(ratio)}; /healthz p99 during the storm ${fmt.ms(healthBusy.p99Ms)} ms (idle ${fmt.ms(healthIdle.p99Ms)} ms)`,
          `server during the storm: CPU ${fmt.pct(server.cpuPercent)} of one core (argon2 threads included), event-loop delay p99 ${fmt.ms(server.loopDelayP99Ms)} ms, max ${fmt.ms(server.loopDelayMaxMs)} ms`,
          `ratio: median of ${roundRatios.length} alternating 2 s slices (${fmt.ratio(Math.min(...roundRatios))}–${fmt.ratio(Math.max(...roundRatios))}); totals ${fmt.ratio(login.requestsPerSec / ceiling.hashesPerSec)}`,
          `checks: ${login.requests} sign-ins, all 200; ${counts.failures} failed attempts, ${counts.locks} lockouts`,
        ],
        data: {
          users: USERS,
          loginConnections: LOGIN_CONNECTIONS,
          healthzRate: HEALTHZ_RATE,
          argon2: ceiling,
          login,
          healthzIdle: healthIdle,
          healthzDuringStorm: healthBusy,
          server,
          authCounts: counts,
          ratio,
          roundRatios,
        },
      };
    } finally {
      await target.stop();
    }
  },
};
