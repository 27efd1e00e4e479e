import { hammer, median, slices, summarize, type LoadStats, type Sample } from './lib/load.ts';
import { fmt, type Bench, type BenchOptions } from './lib/report.ts';
import { startTarget, type Backend } from './lib/target.ts';
import { combineUsage, type SignedIn, type Usage } from './lib/protocol.ts';

/** DESIGN.md §7: the authenticated read path keeps at least half of a bare one-row read's throughput. */
export const ME_TARGET = 0.5;

/**
 * `GET /api/me` with a signed-in session (the session lookup joining user, agency, roles and task
 * forces; the actor; navigation abilities; the task forces' names; helmet headers; zod serialisation)
 * against a bare Fastify route that reads one `app_user` row by primary key through the same Kysely
 * instance (the same SQLite connection or PostgreSQL pool). Read-only once warm: the session's
 * last-seen time is written at most once a minute.
 */
export const meBench: Bench = {
  name: 'me',
  summary: 'authenticated GET /api/me against a bare one-row read on the same database',
  async run(backend: Backend, opts: BenchOptions) {
    const target = await startTarget(backend, { profileDir: opts.profileDir });
    try {
      // The demo coordinator belongs to the demo task force, so /api/me also reads the task forces.
      const { cookie, userId } = await target.call<SignedIn>('signIn', { role: 'coordinator' });
      const routes = {
        bare: { url: `${target.bareUrl}/user/${userId}`, headers: {} },
        me: { url: `${target.url}/api/me`, headers: { cookie } },
      };
      type Route = keyof typeof routes;
      const load = (route: Route, duration: number) => hammer({ ...routes[route], connections: opts.connections, duration });

      if (opts.warmupSec > 0) {
        await load('bare', opts.warmupSec / 2);
        await load('me', opts.warmupSec / 2);
      }
      const samples: Record<Route, Sample[]> = { bare: [], me: [] };
      const usage: Record<Route, Usage[]> = { bare: [], me: [] };
      const sliceRatios: number[] = [];
      for (const [i, seconds] of slices(opts.durationSec, 1).entries()) {
        for (const route of i % 2 === 0 ? (['bare', 'me'] as const) : (['me', 'bare'] as const)) {
          await target.call('mark');
          samples[route].push(await load(route, seconds));
          usage[route].push(await target.call<Usage>('usage'));
        }
        const rate = (s: Sample) => s.ok / s.seconds;
        sliceRatios.push(rate(samples.me[i]!) / rate(samples.bare[i]!));
      }
      // Profiling slows the server down: it gets a run of its own, after the measured ones.
      if (opts.profileDir) await target.profiled('me', () => load('me', opts.durationSec));

      const measure = (route: Route) => {
        const stats = summarize(samples[route]);
        const server = combineUsage(usage[route]);
        if (stats.non2xx + stats.errors > 0) throw new Error(`${route}: ${stats.non2xx} non-2xx replies and ${stats.errors} errors`);
        return { ...stats, server: { ...server, cpuUsPerRequest: (server.cpuMs * 1000) / stats.requests } };
      };
      const measured = { bare: measure('bare'), me: measure('me') };
      const ratio = median(sliceRatios);
      const pass = ratio >= ME_TARGET;
      const row = (label: string, s: LoadStats & { server: { cpuPercent: number; cpuUsPerRequest: number } }) => [
        label,
        fmt.int(s.requestsPerSec),
        fmt.ms(s.p50Ms),
        fmt.ms(s.p99Ms),
        fmt.pct(s.server.cpuPercent),
        fmt.int(s.server.cpuUsPerRequest),
      ];
      const cpuRatio = measured.bare.server.cpuUsPerRequest / measured.me.server.cpuUsPerRequest;
      return {
        backend,
        table: {
          headers: [`${opts.connections} connections`, 'req/s', 'p50 ms', 'p99 ms', 'server CPU', 'CPU µs/req'],
          rows: [row('bare: select app_user by id', measured.bare), row('GET /api/me', measured.me)],
        },
        verdict: [
          `ratio me/bare ${fmt.ratio(ratio)} (target ≥ ${ME_TARGET}): ${pass ? 'PASS' : 'MISS'}`,
          `median of ${sliceRatios.length} alternating 1 s slices (${fmt.ratio(Math.min(...sliceRatios))}–${fmt.ratio(Math.max(...sliceRatios))}); ` +
            `totals ${fmt.ratio(measured.me.requestsPerSec / measured.bare.requestsPerSec)}, server CPU per request ${fmt.ratio(cpuRatio)}`,
        ],
        data: { connections: opts.connections, bare: measured.bare, me: measured.me, ratio, sliceRatios, cpuRatio, target: ME_TARGET, pass },
      };
    } finally {
      await target.stop();
    }
  },
};
