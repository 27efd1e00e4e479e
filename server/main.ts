import { requirePublicUrl, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { createContext, keyFilePath, type AppContext } from './context.ts';
import { releaseLeases, runLeased } from './lib/job-lease.ts';
import { pruneIdempotencyKeys } from './lib/idempotency.ts';
import { pruneRateLimits } from './lib/rate-limit-store.ts';
import { checkCustodyDeadlines } from './modules/custody/custody.service.ts';
import { checkResponseDeadlines } from './modules/businesses/businesses.reminders.ts';
import { sweepExpiredReleases } from './modules/clients/clients.expiry.ts';
import { recordEarlierPressReleases } from './modules/disclosure/press-releases.service.ts';
import { startEmailDispatch } from './modules/notifications/notifications.dispatch.ts';
import { drainTipQueue, pruneTipIntake } from './modules/tips/tips.public.ts';
import { preloadZipCodes } from './modules/tips/tips.routing.ts';
import { preloadGazetteer } from './modules/geocoding/gazetteer.ts';

const CHECKPOINT_EVERY_MS = 60_000;

/** Starts the HTTP server; resolves once it listens. SIGTERM and SIGINT drain requests, then exit. */
export async function startServer(config: Config, opts: { onListening?: (url: string, ctx: AppContext) => void } = {}) {
  requirePublicUrl(config);
  const ctx = await createContext(config);
  await ctx.audit.start();
  // Press releases published before their figures were recorded join the ledger (migration 0007).
  const earlier = await recordEarlierPressReleases(ctx);
  if (earlier > 0) ctx.log.info({ releases: earlier }, 'recorded the figures of press releases published earlier');
  if (ctx.dialect === 'postgres' && !config.keys) {
    ctx.log.warn({ keyFile: keyFilePath(config) }, 'field keys come from a key file: set LANTERN_KEYS so every Lantern process shares the same keys');
  }
  if (ctx.dialect === 'postgres' && !config.auditKey) {
    ctx.log.warn({ keyFile: ctx.audit.keys.source }, 'the audit key comes from a key file: set LANTERN_AUDIT_KEY so every Lantern process shares the same audit key');
  }
  const app = await buildApp(ctx);
  // Jobs on the database's records run once across processes (issue #13, item 2): each tick, only the
  // process holding the job's lease runs it (server/lib/job-lease.ts).
  const leased = (name: string, everyMs: number, run: () => Promise<unknown>, failure: string | null) =>
    setInterval(() => {
      void runLeased(ctx, { name, everyMs, run }).catch((err: Error) => {
        if (failure) ctx.log.error({ err: err.message }, failure);
      });
    }, everyMs);
  const timers = [
    // Per process, not leased: a checkpoint seals this process's own writes (it is skipped when the
    // process wrote nothing) and goes to this process's anchors file; processes already take turns
    // through a lock in the database (AuditLog.checkpoint).
    setInterval(() => void ctx.audit.checkpoint().catch((err: Error) => ctx.log.error({ err: err.message }, 'audit checkpoint failed')), CHECKPOINT_EVERY_MS),
    leased('rate-limit-prune', 10 * 60_000, () => pruneRateLimits(ctx), null),
    // RSMo 210.125: the 12-hour written-statement countdown alerts the officer and the coordinators.
    leased('custody-deadlines', 60_000, () => checkCustodyDeadlines(ctx), 'custody deadline check failed'),
    // The business campaign (issue #11): a landlord's response deadline coming up, or passed, reminds the campaign's staff.
    leased('landlord-deadlines', 60_000, () => checkResponseDeadlines(ctx), 'landlord deadline check failed'),
    // Clients' releases (issue #12): an expiry is audited and the release's identifiers leave the index.
    leased('release-expiry', 60_000, () => sweepExpiredReleases(ctx), 'release expiry sweep failed'),
    // Tips (issue #10): a burst's queued submissions are filed; spent challenges and old IP-hash keys go.
    leased('tip-queue-drain', 30_000, () => drainTipQueue(ctx), 'tip queue drain failed'),
    leased('tip-intake-prune', 10 * 60_000, () => pruneTipIntake(ctx), null),
    // Keys of creates sent with an Idempotency-Key header are kept 24 hours (issue #13, item 4).
    leased('idempotency-prune', 10 * 60_000, () => pruneIdempotencyKeys(ctx), 'idempotency key prune failed'),
  ];
  for (const t of timers) t.unref();
  // Email notification (issue #9), when the operator configured SMTP: a pass every 30 s and after each change.
  // Not leased: every process passes, and each notice and delivery is claimed by a conditional write, so
  // none is mailed twice; a pass must also follow this process's own changes at once.
  const email = startEmailDispatch(ctx);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    ctx.log.info({ signal }, 'shutting down: finishing requests in flight');
    for (const t of timers) clearInterval(t);
    email?.stop();
    try {
      await app.close();
      await ctx.audit.checkpoint();
      // The other processes take this one's jobs at their next tick rather than after the leases expire.
      await releaseLeases(ctx.db).catch(() => {});
      await ctx.database.close();
      process.exit(0);
    } catch (err) {
      ctx.log.error({ err: (err as Error).message }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  // The ZIP code table and the place names are built before the server listens. Built on the first tip
  // instead, they held every request of the process for two to three seconds, and made that tip wait.
  const loading = performance.now();
  await Promise.all([preloadZipCodes(), preloadGazetteer()]);
  ctx.log.info({ ms: Math.round(performance.now() - loading) }, 'ZIP codes and place names loaded');

  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = config.publicUrl ?? `http://${shownHost}:${config.port}`;
  ctx.log.info({ url, database: ctx.dialect, location: ctx.database.location, email: email ? 'on' : 'off' }, 'Lantern is listening');
  opts.onListening?.(url, ctx);
  return { app, ctx, url };
}
