import type { AppContext } from '../../context.ts';
import { unindexRelease } from './clients.index.ts';

const SYSTEM = { actor: null, meta: { ip: null, userAgent: null, requestId: null } };

/**
 * The expiry sweep (issue #12, items 2 and 4), every minute from main.ts. Reads already refuse a release
 * past its expiry by time, at once; the sweep records the end: the release's identifiers leave the index
 * and one `release.expire` audit row is written. One transaction per release, claimed by a conditional
 * update on `expiry_recorded_at`, so two sweeps at once (two processes) record each expiry once.
 * Revoked releases left the index when revoked and are not swept. Returns how many it recorded.
 */
export async function sweepExpiredReleases(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const due = await ctx.db
    .selectFrom('client_release')
    .select(['id', 'agency_id', 'client_id', 'expires_at'])
    .where('status', '=', 'active')
    .where('expires_at', '<=', now)
    .where('expiry_recorded_at', 'is', null)
    .orderBy('expires_at')
    .execute();
  let recorded = 0;
  for (const r of due) {
    const done = await ctx.audit.transact(SYSTEM, async (tx) => {
      const claimed = await tx.db
        .updateTable('client_release')
        .set({ expiry_recorded_at: now })
        .where('id', '=', r.id)
        .where('status', '=', 'active')
        .where('expires_at', '<=', now)
        .where('expiry_recorded_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      await unindexRelease(tx.db, r.id);
      tx.audit({ action: 'release.expire', recordType: 'client_release', recordId: r.id, recordAgencyId: r.agency_id, detail: { clientId: r.client_id, expiresAt: r.expires_at } });
      return true;
    });
    if (done) recorded++;
  }
  return recorded;
}
