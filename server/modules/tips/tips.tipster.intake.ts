import { createHmac, randomInt } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { TIP_LIMITS } from '../../../common/tips.ts';
import { KeyError } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import { routeTip } from './tips.routing.ts';

/**
 * The intake helper's functions the tipster's pages use (branch h/intake): `submitPublicTip` from
 * tips.public.routes.ts, `receiptHash`, `normalizeReceipt` and `queuedReceiptExists` from tips.intake.ts.
 *
 * STUB until h/intake is merged: at the merge this file becomes re-exports of those four, e.g.
 *   export { submitPublicTip } from './tips.public.routes.ts';
 *   export { normalizeReceipt, queuedReceiptExists, receiptHash } from './tips.intake.ts';
 * The stub files a tip with the least that lets the pages be built and tested: no proof-of-work check,
 * no rate limit, no identifier index, no triage.
 */

export interface PublicTipSubmission {
  /** The caller's address, only ever kept as a keyed hash. */
  ip: string;
  fields: TipFields;
  /** The solved ALTCHA payload; null when the browser ran no script (a stricter limit applies). */
  altcha: string | null;
}

/** Receipts are typed back with spaces or dashes between the groups; those do not count. */
export function normalizeReceipt(text: string): string {
  return text.replace(/[\s\u00a0-]/g, '').toLowerCase();
}

/** The receipt's keyed hash: the only form in which it is stored. */
export function receiptHash(ctx: AppContext, receipt: string): string {
  if (!ctx.keyring.indexKey) throw new KeyError('no blind-index key: set LANTERN_INDEX_KEY (or use the key file)');
  return createHmac('sha256', ctx.keyring.indexKey).update(`receipt\u0000${normalizeReceipt(receipt)}`).digest('hex');
}

/** Whether a submission of a burst still waits in the intake queue under this receipt hash. */
export async function queuedReceiptExists(ctx: AppContext, hash: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('tip_intake_queue').select('id').where('receipt_hash', '=', hash).executeTakeFirst();
  return row !== undefined;
}

export async function submitPublicTip(ctx: AppContext, input: PublicTipSubmission): Promise<{ status: 201 | 202; receipt: string }> {
  const receipt = Array.from({ length: TIP_LIMITS.receiptDigits }, () => String(randomInt(10))).join('');
  const { fields } = input;
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, async (tx) => {
    const routed = await routeTip(ctx, tx.db, { zip: fields.zip || undefined, countyFips: fields.countyFips, county: fields.county, city: fields.city, address: fields.address });
    const { narrative, contact, ...details } = fields;
    await tx.db
      .insertInto('tip')
      .values({
        id,
        agency_id: routed.agencyId,
        task_force_id: routed.taskForceId,
        source: 'web',
        status: 'new',
        version: 1,
        urgent: fields.minorInvolved || fields.immediateDanger ? 1 : 0,
        minor_involved: fields.minorInvolved ? 1 : 0,
        immediate_danger: fields.immediateDanger ? 1 : 0,
        language: fields.language,
        zip: fields.zip || null,
        county_fips: routed.countyFips,
        score: 0,
        score_reasons: '[]',
        routing: JSON.stringify(routed.routing),
        narrative: seal(ctx.keyring, 'tip', 'narrative', id, narrative),
        details: seal(ctx.keyring, 'tip', 'details', id, JSON.stringify(details)),
        contact: seal(ctx.keyring, 'tip', 'contact', id, contact ? JSON.stringify(contact) : null),
        receipt_hash: receiptHash(ctx, receipt),
        external_ref: null,
        assigned_user_id: null,
        close_reason: null,
        closed_at: null,
        received_at: now,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx.db.insertInto('tip_event').values({ id: newId(), tip_id: id, agency_id: routed.agencyId, at: now, kind: 'received', actor_user_id: null, detail: '{}' }).execute();
    tx.audit({ action: 'tip.create', recordType: 'tip', recordId: id, recordAgencyId: routed.agencyId, detail: { source: 'web' } });
  });
  return { status: 201, receipt };
}
