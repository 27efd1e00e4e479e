import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { seal, unseal } from '../../lib/sealed.ts';

/**
 * Rate limits of the public tip routes (issue #10, item 2). A tipster's IP address is never stored: it is
 * hashed under the key of the day (`tip_ip_key`, random, deleted when the day is over) and only the hash
 * is counted, in fixed windows. On PostgreSQL the counters live in `rate_limit` under the `tip:` prefix,
 * so every process shares one count (DESIGN.md §8); SQLite has one process, which counts in memory.
 * `rate_limit` rows are pruned two hours after their window, so a hash lives a few hours at most.
 */
export interface TipLimit {
  max: number;
  windowMs: number;
}

const HOUR = 3_600_000;
export const TIP_LIMITS_PER_IP = {
  /** A tip sent with a solved proof of work (the JavaScript form and the JSON API). */
  withProof: { max: 20, windowMs: HOUR },
  /** A tip from the form without JavaScript, which cannot solve the proof: stricter. */
  withoutProof: { max: 3, windowMs: HOUR },
  /** Challenges fetched. */
  challenge: { max: 60, windowMs: 10 * 60_000 },
} as const satisfies Record<string, TipLimit>;
/** Every public tip, whoever sends it: a flood from many addresses meets this. */
export const TIP_LIMIT_GLOBAL: TipLimit = { max: 1_200, windowMs: 60_000 };

/** A refused request: 429, and when to try again (the JSON route sends it as Retry-After). */
export class RateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 429, `Too many tips from here; try again in ${retryAfterSeconds} seconds, or call the hotline.`);
  }
}

interface Counters {
  windows: Map<string, { start: number; hits: number }>;
  ipKey: { day: string; key: Buffer } | null;
}
const perContext = new WeakMap<AppContext, Counters>();
function countersOf(ctx: AppContext): Counters {
  let c = perContext.get(ctx);
  if (!c) perContext.set(ctx, (c = { windows: new Map(), ipKey: null }));
  return c;
}

const dayOf = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

/** The key of the day: made by whichever process asks first, read by the others. */
async function ipKeyOfToday(ctx: AppContext): Promise<Buffer> {
  const c = countersOf(ctx);
  const day = dayOf(ctx);
  if (c.ipKey?.day === day) return c.ipKey.key;
  await ctx.db
    .insertInto('tip_ip_key')
    .values({ id: day, secret: seal(ctx.keyring, 'tip_ip_key', 'secret', day, randomBytes(32).toString('base64')) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await ctx.db.selectFrom('tip_ip_key').select('secret').where('id', '=', day).executeTakeFirstOrThrow();
  const key = Buffer.from(unseal(ctx.keyring, 'tip_ip_key', 'secret', day, row.secret), 'base64');
  c.ipKey = { day, key };
  return key;
}

/** The keyed hash of an IP address, good for today only. */
export async function ipHash(ctx: AppContext, ip: string): Promise<string> {
  return createHmac('sha256', await ipKeyOfToday(ctx)).update(ip).digest('base64url').slice(0, 32);
}

/**
 * Counts one hit on each key and returns the hits of each key's current window, in order. PostgreSQL:
 * one statement upserting every counter; SQLite: in memory.
 */
async function hit(ctx: AppContext, keys: { key: string; windowMs: number }[]): Promise<{ hits: number; resetAt: number }[]> {
  const now = ctx.clock.now().getTime();
  const rows = keys.map(({ key, windowMs }) => ({ key, window_start: now - (now % windowMs), windowMs }));
  if (ctx.dialect === 'postgres') {
    const counted = await ctx.db
      .insertInto('rate_limit')
      .values(rows.map((r) => ({ key: r.key, window_start: r.window_start, hits: 1 })))
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit.hits + 1` }))
      .returning(['key', 'hits'])
      .execute();
    const byKey = new Map(counted.map((r) => [r.key, Number(r.hits)]));
    return rows.map((r) => ({ hits: byKey.get(r.key) ?? 1, resetAt: r.window_start + r.windowMs }));
  }
  const { windows } = countersOf(ctx);
  if (windows.size > 50_000) for (const [k, w] of windows) if (w.start < now - 2 * HOUR) windows.delete(k);
  return rows.map((r) => {
    const mapKey = `${r.key}@${r.window_start}`;
    const w = windows.get(mapKey) ?? { start: r.window_start, hits: 0 };
    w.hits++;
    windows.set(mapKey, w);
    return { hits: w.hits, resetAt: r.window_start + r.windowMs };
  });
}

/**
 * Counts a public request from `ip` against its per-address limit and, for tips, the global one; throws
 * RateLimited past either. Off when the operator turned rate limiting off (LANTERN_RATE_LIMIT=off).
 */
export async function checkTipRate(ctx: AppContext, ip: string | null, kind: keyof typeof TIP_LIMITS_PER_IP): Promise<void> {
  if (!ctx.config.rateLimit) return;
  const perIp = TIP_LIMITS_PER_IP[kind];
  const limits: { key: string; limit: TipLimit }[] = [{ key: `tip:${kind}:${await ipHash(ctx, ip ?? 'unknown')}`, limit: perIp }];
  if (kind !== 'challenge') limits.push({ key: 'tip:global', limit: TIP_LIMIT_GLOBAL });
  const counts = await hit(
    ctx,
    limits.map((l) => ({ key: l.key, windowMs: l.limit.windowMs })),
  );
  const now = ctx.clock.now().getTime();
  let retryAt = 0;
  counts.forEach((c, i) => {
    if (c.hits > limits[i]!.limit.max) retryAt = Math.max(retryAt, c.resetAt);
  });
  if (retryAt) throw new RateLimited(Math.max(1, Math.ceil((retryAt - now) / 1000)));
}

/** Deletes the keys of days gone: the hashes made under them can no longer be linked to an address. */
export async function pruneIpKeys(ctx: AppContext): Promise<void> {
  await ctx.db.deleteFrom('tip_ip_key').where('id', '<', dayOf(ctx)).execute();
}
