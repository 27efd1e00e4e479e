import http from 'node:http';
import autocannon, { type Options } from 'autocannon';

/** The raw outcome of one load run: successful replies' latencies in milliseconds. */
export interface Sample {
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
  /** Replies by status code (`openLoop`, `closedLoop`). */
  statuses?: Record<string, number>;
}

/** One or more runs summed up; latencies in milliseconds. */
export interface LoadStats {
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  durationSec: number;
}

export function summarize(samples: Sample[]): LoadStats {
  const latencies = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const sum = (f: (s: Sample) => number) => samples.reduce((n, s) => n + f(s), 0);
  const seconds = sum((s) => s.seconds);
  return {
    requests: sum((s) => s.ok),
    requestsPerSec: sum((s) => s.ok) / seconds,
    p50Ms: at(50),
    p99Ms: at(99),
    maxMs: latencies.at(-1) ?? NaN,
    non2xx: sum((s) => s.non2xx),
    errors: sum((s) => s.errors),
    durationSec: seconds,
  };
}

/** Closed-loop load with autocannon: each of `connections` clients sends its next request on a reply. */
export async function hammer(opts: Options): Promise<Sample> {
  const latenciesMs: number[] = [];
  const instance = autocannon(opts);
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latenciesMs.push(ms);
  });
  const r = await instance;
  return { ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, seconds: r.duration, latenciesMs };
}

/**
 * Open-loop probe: one GET every 1000/rate ms whatever the server's state (a slow reply does not delay
 * the next request), each timed on its own. Shows whether the event loop keeps serving.
 */
export async function probe(url: string, ratePerSec: number, seconds: number): Promise<Sample> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const sample: Sample = { ok: 0, non2xx: 0, errors: 0, seconds: 0, latenciesMs: [] };
  const inFlight: Promise<void>[] = [];
  const one = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) {
            sample.ok++;
            sample.latenciesMs.push(performance.now() - sent);
          } else {
            sample.non2xx++;
          }
          resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        sample.errors++;
        resolve();
      });
    });
  const start = performance.now();
  const total = Math.round(ratePerSec * seconds);
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / ratePerSec - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one());
  }
  await Promise.all(inFlight);
  agent.destroy();
  sample.seconds = (performance.now() - start) / 1000;
  return sample;
}

/** One request of `openLoop` or `closedLoop`: a path on the base URL, and a JSON body if any. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

function sender(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const origin = new URL(base);
  const sample: Sample = { ok: 0, non2xx: 0, errors: 0, seconds: 0, latenciesMs: [], statuses: {} };
  /**
   * Sends `r`; its latency counts from `from` (default: now). Settles on the reply, an error or a 60 s
   * timeout: long, because a request given up on may still be done by the server, and the benches that
   * count what was written can only reconcile replies they received.
   */
  const send = (r: LoadRequest, from = performance.now()) =>
    new Promise<void>((resolve) => {
      const headers: Record<string, string> = { ...r.headers };
      if (r.body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(r.body));
      }
      const req = http.request({ agent, host: origin.hostname, port: origin.port, method: r.method, path: r.path, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          sample.statuses![status] = (sample.statuses![status] ?? 0) + 1;
          if (status >= 200 && status < 300) {
            sample.ok++;
            sample.latenciesMs.push(performance.now() - from);
          } else {
            sample.non2xx++;
          }
          resolve();
        });
      });
      req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        sample.errors++;
        resolve();
      });
      req.end(r.body);
    });
  return { sample, send, close: () => agent.destroy() };
}

/**
 * Open-loop load at a fixed rate (as wrk2 does): request i is due at start + i/rate whatever the replies,
 * and its latency counts from when it was due, so a stalled server shows as latency (no coordinated
 * omission) rather than as fewer requests. Returns once every request has been answered, so the replies
 * account for every request sent. `next(i)` makes the i-th request.
 */
export async function openLoop(base: string, ratePerSec: number, seconds: number, next: (i: number) => LoadRequest): Promise<Sample> {
  const { sample, send, close } = sender(base);
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.round(ratePerSec * seconds);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / ratePerSec;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(next(i), due));
  }
  await Promise.all(inFlight);
  sample.seconds = (performance.now() - start) / 1000;
  close();
  return sample;
}

/**
 * Closed-loop load with `connections` clients, each sending its next request on a reply, for `seconds`.
 * Unlike autocannon, which drops the requests in flight when time is up, it waits for their replies, so
 * the replies account for every request sent (a bench that counts the rows written relies on it).
 */
export async function closedLoop(base: string, connections: number, seconds: number, next: (i: number) => LoadRequest): Promise<Sample> {
  const { sample, send, close } = sender(base);
  const start = performance.now();
  const until = start + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) await send(next(i++));
    }),
  );
  sample.seconds = (performance.now() - start) / 1000;
  close();
  return sample;
}

/**
 * Splits `seconds` into slices of about `about` seconds. The benches alternate the baseline and the
 * subject slice by slice, so that a neighbour's load on a shared machine (or CPU frequency drift) weighs
 * on both alike, and report the median of the slices' ratios, which one disturbed slice cannot move.
 */
export function slices(seconds: number, about: number): number[] {
  const n = Math.max(1, Math.round(seconds / about));
  return Array.from({ length: n }, () => seconds / n);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
