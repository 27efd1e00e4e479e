import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import type { BusinessIndicatorRow, BusinessRow } from '../../db/schema/index.ts';
import { decodeUpload, uploadBodyLimit } from '../../lib/attachments.ts';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { BUSINESS_LIMITS, type BusinessIndicator } from '../../../common/businesses.ts';
import type { IndicatorDto, IndicatorInput, indicatorList, verifyIndicatorInput, withdrawIndicatorInput } from '../../../common/schemas/businesses.ts';
import { businessRecord, findVisibleBusiness } from './businesses.queries.ts';
import { businessPolicy } from './businesses.policy.ts';
import { scoresFor } from './businesses.score.ts';
import { isRealDay, localDay } from './businesses.pipeline.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

/** The body an indicator with the largest attachment needs: the base64 text and the rest of the JSON. */
export const INDICATOR_BODY_LIMIT = uploadBodyLimit(BUSINESS_LIMITS.attachmentBytesMax);

/** Decodes and checks an attachment: base64, at most BUSINESS_LIMITS.attachmentBytesMax, bytes matching the type. */
export const decodeAttachment = (a: NonNullable<IndicatorInput['attachment']>): Buffer => decodeUpload(a, 'attachment.base64', BUSINESS_LIMITS.attachmentBytesMax);

/** The business of a visible indicator, or 404 (an indicator of a business the actor cannot see does not exist for them). */
async function loadIndicator(db: Queryable, actor: Actor, indicatorId: string): Promise<{ indicator: BusinessIndicatorRow; business: BusinessRow }> {
  const indicator = await db.selectFrom('business_indicator').selectAll().where('id', '=', indicatorId).executeTakeFirst();
  const business = indicator ? await findVisibleBusiness(db, actor, indicator.business_id) : undefined;
  if (!indicator || !business) throw notFound('indicator');
  return { indicator, business };
}

/** Whether the actor may withdraw this piece of evidence: the one who recorded it (still able to record), or a verifier. */
function mayWithdraw(actor: Actor, business: BusinessRow, i: BusinessIndicatorRow) {
  const record = businessRecord(business);
  return (i.recorded_by === actor.userId && can(actor, businessPolicy, 'business.recordIndicator', record)) || can(actor, businessPolicy, 'business.verify', record);
}

type IndicatorJoined = BusinessIndicatorRow & {
  recorder_name: string | null;
  verifier_name: string | null;
  filename: string | null;
  content_type: string | null;
  size: number | null;
};

function indicatorsOf(db: Queryable) {
  return db
    .selectFrom('business_indicator as bi')
    .leftJoin('app_user as r', 'r.id', 'bi.recorded_by')
    .leftJoin('app_user as v', 'v.id', 'bi.verified_by')
    .leftJoin('business_attachment as a', 'a.id', 'bi.attachment_id')
    .selectAll('bi')
    .select(['r.display_name as recorder_name', 'v.display_name as verifier_name', 'a.filename', 'a.content_type', 'a.size']);
}

function toDto(ctx: AppContext, actor: Actor, business: BusinessRow, i: IndicatorJoined): IndicatorDto {
  const open = i.withdrawn_at === null;
  const record = businessRecord(business);
  return {
    id: i.id,
    businessId: i.business_id,
    indicator: i.indicator as BusinessIndicator,
    note: unseal(ctx.keyring, 'business_indicator', 'note', i.id, i.note),
    observedOn: i.observed_on,
    recordedAt: i.recorded_at,
    recordedBy: i.recorder_name ?? 'Unknown',
    recordedByMe: i.recorded_by === actor.userId,
    attachment: i.attachment_id ? { id: i.attachment_id, filename: i.filename ?? 'attachment', contentType: i.content_type ?? 'application/octet-stream', size: Number(i.size ?? 0) } : null,
    verifiedAt: i.verified_at,
    verifiedBy: i.verifier_name,
    withdrawnAt: i.withdrawn_at,
    withdrawnReason: i.withdrawn_reason,
    version: i.version,
    abilities: {
      'business.verify': open && i.verified_at === null && i.recorded_by !== actor.userId && can(actor, businessPolicy, 'business.verify', record),
      'business.withdrawIndicator': open && mayWithdraw(actor, business, i),
    },
  };
}

async function freshDto(ctx: AppContext, actor: Actor, business: BusinessRow, indicatorId: string) {
  const row = await indicatorsOf(ctx.db).where('bi.id', '=', indicatorId).executeTakeFirstOrThrow();
  return toDto(ctx, actor, business, row as IndicatorJoined);
}

/**
 * Records one Polaris indicator with its evidence (issue #11, item 2): the note sealed, an optional photo
 * or document checked (size, and bytes matching its type) and stored sealed with its SHA-256. Anyone in
 * the campaign may report what they saw; a second person verifies it.
 */
export async function recordIndicator(ctx: AppContext, actor: Actor, businessId: string, input: IndicatorInput, meta: RequestMeta): Promise<IndicatorDto> {
  const business = await findVisibleBusiness(ctx.db, actor, businessId);
  if (!business) throw notFound('business');
  authorize(actor, businessPolicy, 'business.recordIndicator', businessRecord(business));
  if (!isRealDay(input.observedOn)) throw invalid('observedOn', 'must be a date (YYYY-MM-DD)');
  const today = localDay(ctx, ctx.clock.now());
  if (input.observedOn > today) throw invalid('observedOn', `cannot be in the future (today is ${today})`);
  const bytes = input.attachment ? decodeAttachment(input.attachment) : null;
  const now = ctx.clock.now().toISOString();
  const id = newId();
  const attachmentId = bytes ? newId() : null;
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    if (bytes && attachmentId && input.attachment) {
      await tx.db
        .insertInto('business_attachment')
        .values({
          id: attachmentId,
          business_id: businessId,
          agency_id: business.agency_id,
          filename: input.attachment.filename,
          content_type: input.attachment.contentType,
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          content: seal(ctx.keyring, 'business_attachment', 'content', attachmentId, bytes.toString('base64')),
          uploaded_by: actor.userId,
          uploaded_at: now,
        })
        .execute();
    }
    await tx.db
      .insertInto('business_indicator')
      .values({
        id,
        business_id: businessId,
        agency_id: business.agency_id,
        indicator: input.indicator,
        note: seal(ctx.keyring, 'business_indicator', 'note', id, input.note),
        observed_on: input.observedOn,
        attachment_id: attachmentId,
        recorded_by: actor.userId,
        recorded_at: now,
        verified_by: null,
        verified_at: null,
        withdrawn_by: null,
        withdrawn_at: null,
        withdrawn_reason: null,
        version: 1,
      })
      .execute();
    const detail = { indicatorId: id, indicator: input.indicator, observedOn: input.observedOn, attachment: attachmentId !== null };
    await tx.db
      .insertInto('business_event')
      .values({ id: newId(), business_id: businessId, agency_id: business.agency_id, at: now, kind: 'indicator', from_stage: null, to_stage: null, outcome: null, actor_user_id: actor.userId, detail: JSON.stringify(detail) })
      .execute();
    tx.audit({ action: 'business.recordIndicator', recordType: 'business', recordId: businessId, recordAgencyId: business.agency_id, changedFields: ['indicators'], detail });
  });
  return freshDto(ctx, actor, business, id);
}

/** A business's evidence, withdrawn pieces included (marked), newest observation first, with the score: an audited read. */
export async function listIndicators(ctx: AppContext, actor: Actor, businessId: string, meta: RequestMeta): Promise<z.infer<typeof indicatorList>> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const business = await findVisibleBusiness(tx.db, actor, businessId);
    if (!business) throw notFound('business');
    authorize(actor, businessPolicy, 'business.read', businessRecord(business));
    const rows = (await indicatorsOf(tx.db).where('bi.business_id', '=', businessId).orderBy('bi.observed_on', 'desc').orderBy('bi.id', 'desc').execute()) as IndicatorJoined[];
    const score = (await scoresFor(tx.db, [businessId], ctx.clock.now())).get(businessId)!;
    tx.audit({ action: 'business.read', recordType: 'business', recordId: businessId, recordAgencyId: business.agency_id, detail: { view: 'indicators', indicators: rows.length } });
    return { items: rows.map((r) => toDto(ctx, actor, business, r)), score };
  });
}

/** 409 naming the indicator's state now, when someone else changed it first. */
async function indicatorChanged(db: Queryable, id: string): Promise<never> {
  const now = await db.selectFrom('business_indicator').select(['verified_at', 'withdrawn_at', 'version']).where('id', '=', id).executeTakeFirst();
  const state = !now ? '' : now.withdrawn_at ? ' (it is now withdrawn)' : now.verified_at ? ' (it is now verified)' : ` (version ${now.version})`;
  throw conflict(`version: this indicator was changed by someone else a moment ago${state}; reload it`, 'version');
}

/**
 * A second person confirms a piece of evidence (issue #11, item 2): a coordinator or analyst of the
 * campaign who did not record it. The recorder is refused: the rule exists so that one person's word
 * never moves a business to "verified".
 */
export async function verifyIndicator(ctx: AppContext, actor: Actor, indicatorId: string, input: z.infer<typeof verifyIndicatorInput>, meta: RequestMeta): Promise<IndicatorDto> {
  const { indicator, business } = await loadIndicator(ctx.db, actor, indicatorId);
  authorize(actor, businessPolicy, 'business.verify', businessRecord(business));
  if (indicator.recorded_by === actor.userId) throw forbidden('A second person must verify this evidence: you recorded it.');
  if (input.version !== indicator.version) await indicatorChanged(ctx.db, indicatorId);
  if (indicator.withdrawn_at) throw conflict('version: this indicator was withdrawn; there is nothing to verify', 'version');
  if (indicator.verified_at) throw conflict('version: this indicator is already verified', 'version');
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const res = await tx.db
      .updateTable('business_indicator')
      .set({ verified_by: actor.userId, verified_at: now, version: indicator.version + 1 })
      .where('id', '=', indicatorId)
      .where('version', '=', indicator.version)
      .where('verified_at', 'is', null)
      .where('withdrawn_at', 'is', null)
      .where('recorded_by', '<>', actor.userId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) await indicatorChanged(tx.db, indicatorId);
    const detail = { indicatorId, indicator: indicator.indicator };
    await tx.db
      .insertInto('business_event')
      .values({ id: newId(), business_id: business.id, agency_id: business.agency_id, at: now, kind: 'verified', from_stage: null, to_stage: null, outcome: null, actor_user_id: actor.userId, detail: JSON.stringify(detail) })
      .execute();
    tx.audit({ action: 'business.verify', recordType: 'business', recordId: business.id, recordAgencyId: business.agency_id, changedFields: ['verifiedAt', 'verifiedBy'], detail });
  });
  return freshDto(ctx, actor, business, indicatorId);
}

/**
 * Withdraws a piece of evidence with a reason (entered on the wrong business, mistaken): it stays in the
 * history, marked, and no longer counts in the score. Its recorder may withdraw it, and so may a verifier.
 */
export async function withdrawIndicator(ctx: AppContext, actor: Actor, indicatorId: string, input: z.infer<typeof withdrawIndicatorInput>, meta: RequestMeta): Promise<IndicatorDto> {
  const { indicator, business } = await loadIndicator(ctx.db, actor, indicatorId);
  if (!mayWithdraw(actor, business, indicator)) throw forbidden('Only the one who recorded this evidence, or a coordinator or analyst of the campaign, may withdraw it.');
  if (input.version !== indicator.version) await indicatorChanged(ctx.db, indicatorId);
  if (indicator.withdrawn_at) throw conflict('version: this indicator is already withdrawn', 'version');
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const res = await tx.db
      .updateTable('business_indicator')
      .set({ withdrawn_by: actor.userId, withdrawn_at: now, withdrawn_reason: input.reason, version: indicator.version + 1 })
      .where('id', '=', indicatorId)
      .where('version', '=', indicator.version)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) await indicatorChanged(tx.db, indicatorId);
    await tx.db
      .insertInto('business_event')
      .values({
        id: newId(),
        business_id: business.id,
        agency_id: business.agency_id,
        at: now,
        kind: 'indicator_withdrawn',
        from_stage: null,
        to_stage: null,
        outcome: null,
        actor_user_id: actor.userId,
        detail: JSON.stringify({ indicatorId, indicator: indicator.indicator, reason: input.reason }),
      })
      .execute();
    tx.audit({
      action: 'business.withdrawIndicator',
      recordType: 'business',
      recordId: business.id,
      recordAgencyId: business.agency_id,
      changedFields: ['withdrawnAt', 'withdrawnBy', 'withdrawnReason'],
      detail: { indicatorId, indicator: indicator.indicator },
    });
  });
  return freshDto(ctx, actor, business, indicatorId);
}

/** An attachment's bytes for download, to whoever reads its business: an audited read. */
export async function downloadAttachment(ctx: AppContext, actor: Actor, attachmentId: string, meta: RequestMeta) {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const a = await tx.db.selectFrom('business_attachment').selectAll().where('id', '=', attachmentId).executeTakeFirst();
    const business = a ? await findVisibleBusiness(tx.db, actor, a.business_id) : undefined;
    if (!a || !business) throw notFound('attachment');
    authorize(actor, businessPolicy, 'business.read', businessRecord(business));
    tx.audit({ action: 'business.read', recordType: 'business', recordId: business.id, recordAgencyId: business.agency_id, detail: { view: 'attachment', attachmentId } });
    const bytes = Buffer.from(unseal(ctx.keyring, 'business_attachment', 'content', a.id, a.content), 'base64');
    return { bytes, contentType: a.content_type, filename: a.filename, sha256: a.sha256 };
  });
}
