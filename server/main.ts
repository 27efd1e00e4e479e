import { requirePublicUrl, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { createContext, keyFilePath, type AppContext } from './context.ts';
import { pruneRateLimits } from './lib/rate-limit-store.ts';
import { checkCustodyDeadlines } from './modules/custody/custody.service.ts';
import { checkResponseDeadlines } from './modules/businesses/businesses.reminders.ts';
import { sweepExpiredReleases } from './modules/clients/clients.expiry.ts';
import { recordEarlierPressReleases } from './modules/disclosure/press-releases.service.ts';
import { startEmailDispatch } from './modules/notifications/notifications.dispatch.ts';
import { drainTipQueue, pruneTipIntake } from './modules/tips/tips.public.ts';

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
  const timers = [
    setInterval(() => void ctx.audit.checkpoint().catch((err: Error) => ctx.log.error({ err: err.message }, 'audit checkpoint failed')), CHECKPOINT_EVERY_MS),
    setInterval(() => void pruneRateLimits(ctx).catch(() => {}), 10 * 60_000),
    // RSMo 210.125: the 12-hour written-statement countdown alerts the officer and the coordinators.
    setInterval(() => void checkCustodyDeadlines(ctx).catch((err: Error) => ctx.log.error({ err: err.message }, 'custody deadline check failed')), 60_000),
    // The business campaign (issue #11): a landlord's response deadline coming up, or passed, reminds the campaign's staff.
    setInterval(() => void checkResponseDeadlines(ctx).catch((err: Error) => ctx.log.error({ err: err.message }, 'landlord deadline check failed')), 60_000),
    // Clients' releases (issue #12): an expiry is audited and the release's identifiers leave the index.
    setInterval(() => void sweepExpiredReleases(ctx).catch((err: Error) => ctx.log.error({ err: err.message }, 'release expiry sweep failed')), 60_000),
    // Tips (issue #10): a burst's queued submissions are filed; spent challenges and old IP-hash keys go.
    setInterval(() => void drainTipQueue(ctx).catch((err: Error) => ctx.log.error({ err: err.message }, 'tip queue drain failed')), 30_000),
    setInterval(() => void pruneTipIntake(ctx).catch(() => {}), 10 * 60_000),
  ];
  for (const t of timers) t.unref();
  // Email notification (issue #9), when the operator configured SMTP: a pass every 30 s and after each change.
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
      await ctx.database.close();
      process.exit(0);
    } catch (err) {
      ctx.log.error({ err: (err as Error).message }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = config.publicUrl ?? `http://${shownHost}:${config.port}`;
  ctx.log.info({ url, database: ctx.dialect, location: ctx.database.location, email: email ? 'on' : 'off' }, 'Lantern is listening');
  opts.onListening?.(url, ctx);
  return { app, ctx, url };
}
