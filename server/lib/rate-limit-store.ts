import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';

/**
 * Rate-limit counters in the database, so several Lantern processes behind a load balancer share one
 * count (DESIGN.md §8). Fixed windows: one row per key and window, upserted atomically.
 */
export function databaseRateLimitStore(ctx: AppContext, prefix = ''): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(private readonly routePrefix = prefix) {}
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      const now = ctx.clock.now().getTime();
      const windowStart = now - (now % timeWindow);
      ctx.db
        .insertInto('rate_limit')
        .values({ key: `${this.routePrefix}${key}`, window_start: windowStart, hits: 1 })
        .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit.hits + 1` }))
        .returning('hits')
        .executeTakeFirstOrThrow()
        .then((row) => callback(null, { current: Number(row.hits), ttl: windowStart + timeWindow - now }))
        .catch((err: Error) => callback(err));
    }
    child(routeOptions: { path: string; method?: string | string[] }) {
      return new DatabaseStore(`${prefix}${String(routeOptions.method)}${routeOptions.path}:`);
    }
  }
  return DatabaseStore as unknown as FastifyRateLimitStoreCtor;
}

/** Drops counters of windows long past. */
export async function pruneRateLimits(ctx: AppContext) {
  const cutoff = ctx.clock.now().getTime() - 2 * 60 * 60_000;
  await ctx.db.deleteFrom('rate_limit').where('window_start', '<', cutoff).execute();
}
