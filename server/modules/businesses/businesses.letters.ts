import type { z } from 'zod';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import type { BusinessRow, NoticeLetterRow } from '../../db/schema/index.ts';
import { AppError, conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { BUSINESS_INDICATOR_LABELS, type BusinessIndicator, type DeliveryMethod, type BusinessStage, type LetterMergeField } from '../../../common/businesses.ts';
import type { letterDeliveredInput, letterSentInput, NoticeLetterDto } from '../../../common/schemas/businesses.ts';
import { businessPolicy } from './businesses.policy.ts';
import { advanceStage } from './businesses.pipeline.ts';
import { businessRecord, findVisibleBusiness, visibleBusinesses } from './businesses.queries.ts';
import { insertContact, unsealLandlord, who } from './businesses.landlords.ts';
import { mergeFieldsUsed, templateForLetter } from './businesses.template.ts';
import { letterPdf, paragraphsOf, type LetterText } from './businesses.letters.pdf.ts';
import { letterDocx } from './businesses.letters.docx.ts';

/**
 * Notice letters (issue #11, item 4): merged from the task force's template, refused when a merge field
 * the template uses would be empty (naming it), numbered per task force and year (HOPE-2026-0007, never
 * shared), rendered as a tagged PDF and a Word document, both sealed in `notice_letter`; then how each was
 * sent and when it was delivered. Sending the first letter moves a business to `landlord_notified`.
 */

/** The prefix of every letter number: the attorney general's Hope Initiative. */
export const LETTER_PREFIX = 'HOPE';
/** Stages before a letter may go out: the evidence must be verified and the landlord identified first. */
const TOO_EARLY: readonly BusinessStage[] = ['identified', 'verified'];

const DELIVERY_LABELS: Record<DeliveryMethod, string> = {
  certified_mail: 'certified mail',
  first_class_mail: 'first-class mail',
  email: 'email',
  hand_delivered: 'hand delivery',
  process_server: 'process server',
};

// ---------------------------------------------------------------------------------------------- dates

/** The calendar day of an instant in the jurisdiction's time zone (YYYY-MM-DD). */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** "June 4, 2026". */
export const longDate = (day: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
const monthOf = (day: string) => new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

// --------------------------------------------------------------------------------------------- merge

/** A letter refused because a merge field its template uses would be empty (400, the field named). */
export const unfilledMergeField = (field: string, why: string) =>
  new AppError('unfilled_merge_field', 400, `The letter's {{${field}}} merge field would be empty: ${why}. Fill it in, or take it out of the template, and try again.`, field);

const WHY_EMPTY: Record<LetterMergeField, string> = {
  owner: "the business has no landlord recorded (set the property owner on the business's landlord panel)",
  agent: "the landlord has no agent recorded (add one on the landlord's page)",
  property: 'the business has no address',
  business_name: 'the business has no name',
  evidence_summary: 'the business has no indicator still standing (record the evidence first)',
  legal_basis: 'the template has no legal basis',
  response_deadline: 'the template has no response time',
  letter_number: 'no number could be given',
  date: 'no date could be given',
};

/**
 * What the letter says about the evidence: each indicator still standing, the month it was last observed
 * and whether a second person verified it. Never the notes, the people or anything about victims.
 */
export async function evidenceSummary(db: Queryable, businessId: string): Promise<string> {
  const rows = await db
    .selectFrom('business_indicator')
    .select(['indicator', 'observed_on', 'verified_at'])
    .where('business_id', '=', businessId)
    .where('withdrawn_at', 'is', null)
    .execute();
  const by = new Map<string, { latest: string; verified: boolean }>();
  for (const r of rows) {
    const seen = by.get(r.indicator);
    by.set(r.indicator, { latest: !seen || r.observed_on > seen.latest ? r.observed_on : seen.latest, verified: (seen?.verified ?? false) || r.verified_at !== null });
  }
  return [...by.entries()]
    .sort((a, b) => (a[1].latest < b[1].latest ? 1 : a[1].latest > b[1].latest ? -1 : a[0].localeCompare(b[0])))
    .map(([indicator, v]) => `• ${BUSINESS_INDICATOR_LABELS[indicator as BusinessIndicator] ?? indicator} — last observed ${monthOf(v.latest)}${v.verified ? ', confirmed by a second investigator' : ''}`)
    .join('\n');
}

const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, name: string) => values[name] ?? '');

// ------------------------------------------------------------------------------------------- drafting

/** The next letter number of a task force's year: one upsert, so two letters at once never share one. */
export async function nextLetterNumber(db: Queryable, taskForceId: string, year: number): Promise<string> {
  const row = await db
    .insertInto('notice_counter')
    .values({ task_force_id: taskForceId, year, last_number: 1 })
    .onConflict((oc) => oc.columns(['task_force_id', 'year']).doUpdateSet({ last_number: sql<number>`notice_counter.last_number + 1` }))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return `${LETTER_PREFIX}-${year}-${String(row.last_number).padStart(4, '0')}`;
}

export interface DraftOptions {
  batchId?: string;
  /** Called inside the letter's transaction once the letter is written (the batch counts it there). */
  onWritten?: (tx: Tx) => Promise<void>;
}

/**
 * Drafts one letter inside the caller's transaction: the caller has loaded the business through the
 * actor's visible scope and authorised `business.draftLetter`. Refusals are thrown as 4xx AppErrors.
 */
export async function draftLetterIn(ctx: AppContext, tx: Tx, actor: Actor, business: BusinessRow, opts: DraftOptions = {}): Promise<NoticeLetterRow> {
  if (TOO_EARLY.includes(business.stage as BusinessStage)) {
    throw conflict(`This business is still at "${business.stage}": a notice goes out once the evidence is verified and the landlord identified.`, 'stage');
  }
  const landlordRow = business.landlord_id ? await tx.db.selectFrom('landlord').selectAll().where('id', '=', business.landlord_id).executeTakeFirst() : undefined;
  const template = await templateForLetter(ctx, tx.db, business.task_force_id, actor.agencyId, actor.userId);
  const now = ctx.clock.now();
  const today = localDay(now, ctx.jurisdiction.timeZone);
  const responseDue = addDays(today, template.response_days);
  const landlord = landlordRow ? unsealLandlord(ctx, landlordRow) : null;
  const values: Record<LetterMergeField, string> = {
    owner: landlord?.name.trim() ?? '',
    agent: landlord?.agent?.trim() ?? '',
    property: [business.address, business.city, business.zip].filter((v) => v && v.trim()).join(', '),
    business_name: business.name.trim(),
    evidence_summary: await evidenceSummary(tx.db, business.id),
    legal_basis: template.legal_basis.trim(),
    response_deadline: longDate(responseDue),
    letter_number: 'pending',
    date: longDate(today),
  };
  const used = mergeFieldsUsed(template.title, template.body);
  for (const field of used) {
    if (field in values && !values[field as LetterMergeField]) throw unfilledMergeField(field, WHY_EMPTY[field as LetterMergeField]);
  }
  // A letter goes to the property owner, whether or not the template names them.
  if (!landlordRow) throw unfilledMergeField('owner', WHY_EMPTY.owner);

  const number = await nextLetterNumber(tx.db, business.task_force_id, Number(today.slice(0, 4)));
  values.letter_number = number;
  const text: LetterText = { agencyName: actor.agencyName, number, title: fill(template.title, values), paragraphs: paragraphsOf(fill(template.body, values)) };
  const [pdf, docx] = await Promise.all([letterPdf(text), letterDocx(text)]);
  const id = newId();
  const at = now.toISOString();
  const row: NoticeLetterRow = {
    id,
    number,
    business_id: business.id,
    landlord_id: landlordRow.id,
    agency_id: actor.agencyId,
    task_force_id: business.task_force_id,
    template_id: template.id,
    batch_id: opts.batchId ?? null,
    merge: seal(ctx.keyring, 'notice_letter', 'merge', id, JSON.stringify({ ...values, templateVersion: template.version })),
    pdf: seal(ctx.keyring, 'notice_letter', 'pdf', id, pdf.toString('base64')),
    docx: seal(ctx.keyring, 'notice_letter', 'docx', id, docx.toString('base64')),
    response_due: responseDue,
    created_by: actor.userId,
    created_at: at,
    sent_via: null,
    sent_at: null,
    sent_by: null,
    tracking: null,
    delivered_at: null,
    version: 1,
  };
  await tx.db.insertInto('notice_letter').values(row).execute();
  await insertEvent(tx, business, actor, at, { step: 'drafted', letterId: id, number, batchId: opts.batchId ?? null });
  tx.audit({
    action: 'business.draftLetter',
    recordType: 'business',
    recordId: business.id,
    recordAgencyId: business.agency_id,
    detail: { letterId: id, number, templateVersion: template.version, batchId: opts.batchId ?? null },
  });
  if (opts.onWritten) await opts.onWritten(tx);
  return row;
}

async function insertEvent(tx: Tx, business: Pick<BusinessRow, 'id' | 'agency_id'>, actor: Actor, at: string, detail: Record<string, unknown>) {
  await tx.db
    .insertInto('business_event')
    .values({ id: newId(), business_id: business.id, agency_id: business.agency_id, at, kind: 'letter', from_stage: null, to_stage: null, outcome: null, actor_user_id: actor.userId, detail: JSON.stringify(detail) })
    .execute();
}

/** POST /api/businesses/:id/letters: one letter, drafted now (201). */
export async function draftLetter(ctx: AppContext, actor: Actor, businessId: string, meta: RequestMeta): Promise<NoticeLetterDto> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const business = await findVisibleBusiness(tx.db, actor, businessId);
    if (!business) throw notFound('business');
    authorize(actor, businessPolicy, 'business.draftLetter', businessRecord(business));
    const row = await draftLetterIn(ctx, tx, actor, business);
    return letterDto(actor, { ...row, business_name: business.name, b_agency_id: business.agency_id, b_task_force_id: business.task_force_id, b_stage: business.stage });
  });
}

// -------------------------------------------------------------------------------------------- reading

type LetterWithBusiness = NoticeLetterRow & { business_name: string; b_agency_id: string; b_task_force_id: string; b_stage: string };

function visibleLetters(db: Queryable, actor: Actor) {
  return visibleBusinesses(db, actor)
    .innerJoin('notice_letter as l', 'l.business_id', 'b.id')
    .selectAll('l')
    .select(['b.name as business_name', 'b.agency_id as b_agency_id', 'b.task_force_id as b_task_force_id', 'b.stage as b_stage']);
}

const recordOf = (l: LetterWithBusiness) => businessRecord({ id: l.business_id, agency_id: l.b_agency_id, task_force_id: l.b_task_force_id, stage: l.b_stage });

function letterDto(actor: Actor, l: LetterWithBusiness): NoticeLetterDto {
  return {
    id: l.id,
    number: l.number,
    businessId: l.business_id,
    businessName: l.business_name,
    landlordId: l.landlord_id,
    responseDue: l.response_due,
    createdAt: l.created_at,
    createdBy: l.created_by,
    sentVia: l.sent_via,
    sentAt: l.sent_at,
    tracking: l.tracking,
    deliveredAt: l.delivered_at,
    pdfUrl: `/api/letters/${l.id}/pdf`,
    docxUrl: `/api/letters/${l.id}/docx`,
    version: l.version,
    abilities: abilitiesFor(actor, businessPolicy, recordOf(l)),
  };
}

/** A letter the actor may read (its business visible to them, `business.readLandlord` on it), or 404/403. */
async function readableLetter(db: Queryable, actor: Actor, id: string): Promise<LetterWithBusiness> {
  const l = (await visibleLetters(db, actor).where('l.id', '=', id).executeTakeFirst()) as LetterWithBusiness | undefined;
  if (!l) throw notFound('letter');
  authorize(actor, businessPolicy, 'business.readLandlord', recordOf(l));
  return l;
}

/** GET /api/businesses/:id/letters: the business's letters, newest first. */
export async function listLetters(ctx: AppContext, actor: Actor, businessId: string, meta: RequestMeta): Promise<{ items: NoticeLetterDto[] }> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const business = await findVisibleBusiness(tx.db, actor, businessId);
    if (!business) throw notFound('business');
    authorize(actor, businessPolicy, 'business.readLandlord', businessRecord(business));
    const rows = (await visibleLetters(tx.db, actor).where('l.business_id', '=', businessId).orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').execute()) as LetterWithBusiness[];
    tx.audit({ action: 'business.readLandlord', recordType: 'business', recordId: businessId, recordAgencyId: business.agency_id, detail: { step: 'letters', letters: rows.length } });
    return { items: rows.map((r) => letterDto(actor, r)) };
  });
}

/** GET /api/letters/:id. */
export async function getLetter(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<NoticeLetterDto> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const l = await readableLetter(tx.db, actor, id);
    tx.audit({ action: 'business.readLandlord', recordType: 'notice_letter', recordId: l.id, recordAgencyId: l.b_agency_id, detail: { step: 'letter', number: l.number } });
    return letterDto(actor, l);
  });
}

/** GET /api/letters/:id/pdf and /docx: the stored file, unsealed; the download is audited. */
export async function letterFile(ctx: AppContext, actor: Actor, id: string, format: 'pdf' | 'docx', meta: RequestMeta): Promise<{ number: string; content: Buffer }> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const l = await readableLetter(tx.db, actor, id);
    const content = Buffer.from(unseal(ctx.keyring, 'notice_letter', format, l.id, l[format]), 'base64');
    tx.audit({ action: 'business.readLandlord', recordType: 'notice_letter', recordId: l.id, recordAgencyId: l.b_agency_id, detail: { step: 'download', format, number: l.number } });
    return { number: l.number, content };
  });
}

// ------------------------------------------------------------------------------------------- delivery

const SKEW_MS = 5 * 60_000;
function pastInstant(ctx: AppContext, field: string, value: string, notBefore: string, what: string): string {
  const at = new Date(value);
  if (at.getTime() > ctx.clock.now().getTime() + SKEW_MS) throw invalid(field, 'must not be in the future');
  if (at.toISOString() < notBefore) throw invalid(field, `must not be before ${what}`);
  return at.toISOString();
}

const stale = (l: NoticeLetterRow) => conflict(`This letter was changed by someone else (it is now at version ${l.version}); reload it and try again.`, 'version');

/** POST /api/letters/:id/sent: how and when it went out; the first notice moves the business to landlord_notified. */
export async function markSent(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof letterSentInput>, meta: RequestMeta): Promise<NoticeLetterDto> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const l = await readableLetter(tx.db, actor, id);
    authorize(actor, businessPolicy, 'business.sendLetter', recordOf(l));
    if (l.version !== input.version) throw stale(l);
    if (l.sent_at) throw conflict(`Letter ${l.number} was already recorded as sent (${l.sent_at}).`, 'version');
    const at = pastInstant(ctx, 'at', input.at, l.created_at, 'the letter was drafted');
    const tracking = input.tracking ? input.tracking : null;
    const res = await tx.db
      .updateTable('notice_letter')
      .set({ sent_via: input.via, sent_at: at, sent_by: actor.userId, tracking, version: l.version + 1 })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw stale(l);
    const business = { id: l.business_id, agency_id: l.b_agency_id };
    await insertContact(ctx, tx, actor, l.landlord_id, {
      channel: 'letter',
      direction: 'outgoing',
      at,
      businessId: l.business_id,
      note: `Notice letter ${l.number} sent by ${DELIVERY_LABELS[input.via]}${tracking ? ` (tracking ${tracking})` : ''}.`,
    });
    await insertEvent(tx, business, actor, at, { step: 'sent', letterId: id, number: l.number, via: input.via });
    tx.audit({ action: 'business.sendLetter', recordType: 'notice_letter', recordId: id, recordAgencyId: l.b_agency_id, changedFields: ['sentVia', 'sentAt', 'tracking'], detail: { step: 'sent', number: l.number, via: input.via, businessId: l.business_id } });
    if (l.b_stage === 'landlord_identified') await advanceStage(tx, ctx, actor, { businessId: l.business_id, to: 'landlord_notified', at });
    return letterDto(actor, await readableLetter(tx.db, actor, id));
  });
}

/** POST /api/letters/:id/delivered: when it reached the landlord. */
export async function markDelivered(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof letterDeliveredInput>, meta: RequestMeta): Promise<NoticeLetterDto> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const l = await readableLetter(tx.db, actor, id);
    authorize(actor, businessPolicy, 'business.sendLetter', recordOf(l));
    if (l.version !== input.version) throw stale(l);
    if (!l.sent_at) throw conflict(`Letter ${l.number} is not recorded as sent yet: record how it was sent first.`, 'sentAt');
    if (l.delivered_at) throw conflict(`Letter ${l.number} was already recorded as delivered (${l.delivered_at}).`, 'version');
    const at = pastInstant(ctx, 'at', input.at, l.sent_at, 'the letter was sent');
    const res = await tx.db
      .updateTable('notice_letter')
      .set({ delivered_at: at, version: l.version + 1 })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .where('delivered_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw stale(l);
    await insertEvent(tx, { id: l.business_id, agency_id: l.b_agency_id }, actor, at, { step: 'delivered', letterId: id, number: l.number });
    tx.audit({ action: 'business.sendLetter', recordType: 'notice_letter', recordId: id, recordAgencyId: l.b_agency_id, changedFields: ['deliveredAt'], detail: { step: 'delivered', number: l.number, businessId: l.business_id } });
    return letterDto(actor, await readableLetter(tx.db, actor, id));
  });
}
