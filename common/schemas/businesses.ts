import { z } from 'zod';
import {
  BUSINESS_FACT_KINDS,
  BUSINESS_INDICATORS,
  BUSINESS_LIMITS,
  BUSINESS_STAGES,
  OPERATOR_KINDS,
  OPERATOR_ROLES,
} from '../businesses.ts';
import { abilities, id, instant, requiredText, text } from './shared.ts';
import { countyFips } from './directory.ts';

/**
 * The business campaign's shared shapes (issue #11). The contract routes are `GET /api/businesses`,
 * `GET /api/businesses/:id` and `GET /api/businesses/summary`; the rest is Lantern's own.
 */

export const businessStage = z.enum(BUSINESS_STAGES, { message: `must be one of ${BUSINESS_STAGES.join(', ')}` });
export const businessIndicator = z.enum(BUSINESS_INDICATORS, { message: `must be one of ${BUSINESS_INDICATORS.join(', ')}` });
const source = requiredText(BUSINESS_LIMITS.sourceMax);
/** A calendar day, YYYY-MM-DD. */
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date (YYYY-MM-DD)' });

/** One fact kept as a list (a former name, a phone, a website, an ad or review handle), with its source. */
export const businessFactInput = z.object({
  kind: z.enum(BUSINESS_FACT_KINDS, { message: `must be one of ${BUSINESS_FACT_KINDS.join(', ')}` }),
  value: requiredText(BUSINESS_LIMITS.factValueMax),
  source,
});
export type BusinessFactInput = z.infer<typeof businessFactInput>;

/** Business-license facts, as the licensing office shows them. */
export const businessLicense = z.object({
  number: text(100).optional(),
  issuer: text(200).optional(),
  issued: day.optional(),
  expires: day.optional(),
  status: text(100).optional(),
});

/** An operator or owner: a person or a company. The name is encrypted at rest. */
export const businessOperatorInput = z.object({
  kind: z.enum(OPERATOR_KINDS, { message: `must be one of ${OPERATOR_KINDS.join(', ')}` }),
  role: z.enum(OPERATOR_ROLES, { message: `must be one of ${OPERATOR_ROLES.join(', ')}` }),
  name: requiredText(BUSINESS_LIMITS.nameMax),
  detail: text(1000).optional(),
  source,
});
export type BusinessOperatorInput = z.infer<typeof businessOperatorInput>;

/** POST /api/businesses: a business entered into the campaign. */
export const newBusinessInput = z.object({
  name: requiredText(BUSINESS_LIMITS.nameMax),
  address: requiredText(BUSINESS_LIMITS.addressMax),
  city: requiredText(BUSINESS_LIMITS.cityMax),
  zip: z.string().trim().regex(/^\d{5}$/, { message: 'must be a five-digit ZIP code' }).optional(),
  /** Settled from the ZIP or the city when absent; required when they do not settle it. */
  countyFips: countyFips.optional(),
  hours: text(BUSINESS_LIMITS.hoursMax).optional(),
  license: businessLicense.optional(),
  /** Where the name, address, hours and license facts came from. */
  source,
  facts: z.array(businessFactInput).max(BUSINESS_LIMITS.factsMax, { message: `must have at most ${BUSINESS_LIMITS.factsMax} facts` }).default([]),
  operators: z.array(businessOperatorInput).max(20, { message: 'must have at most 20 operators' }).default([]),
  /** The campaign's task force; the actor's only one when absent. */
  taskForceId: id.optional(),
});
export type NewBusinessInput = z.infer<typeof newBusinessInput>;

/** PATCH /api/businesses/:id: core facts corrected, with the source and the version read. */
export const updateBusinessInput = z.object({
  version: z.number().int().positive(),
  name: requiredText(BUSINESS_LIMITS.nameMax).optional(),
  hours: text(BUSINESS_LIMITS.hoursMax).optional(),
  license: businessLicense.optional(),
  source,
});

export const businessScoreReason = z.object({
  indicator: businessIndicator,
  /** Pieces of evidence still standing (not withdrawn). */
  count: z.number().int(),
  verified: z.boolean(),
  latest: day,
  recent: z.boolean(),
  points: z.number(),
});
/** The score and the sentence-sized reasons behind it (which indicators, how recent, verified or not). */
export const businessScore = z.object({ score: z.number(), reasons: z.array(businessScoreReason) });
export type BusinessScore = z.infer<typeof businessScore>;

/** GET /api/businesses (contract): the businesses the actor may see. */
export const businessListItem = z.object({
  id,
  name: z.string(),
  address: z.string(),
  city: z.string(),
  countyFips: z.string(),
  countyName: z.string(),
  stage: businessStage,
  outcome: z.string().nullable(),
  score: z.number(),
  agencyId: id,
  agencyName: z.string(),
  stageChangedAt: instant,
  responseDue: day.nullable(),
  /** Open re-opening alerts on this business that the actor may read. */
  openAlerts: z.number().int(),
});
export type BusinessListItem = z.infer<typeof businessListItem>;

export const businessListQuery = z.object({
  stage: businessStage.optional(),
  countyFips: countyFips.optional(),
  /** Words of the name, address or city. */
  q: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(BUSINESS_LIMITS.listMax).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const businessList = z.object({ items: z.array(businessListItem), total: z.number().int() });

export const businessFact = businessFactInput.extend({ id, recordedAt: instant, recordedBy: z.string() });
export const businessOperator = businessOperatorInput.extend({ id, recordedAt: instant });

/** GET /api/businesses/:id (contract). */
export const businessDto = businessListItem.extend({
  zip: z.string().nullable(),
  hours: z.string().nullable(),
  license: businessLicense,
  sources: z.record(z.string(), z.string()),
  facts: z.array(businessFact),
  /** Null when the actor may not read operators' identities (they see only how many there are). */
  operators: z.array(businessOperator).nullable(),
  operatorCount: z.number().int(),
  scoreReasons: z.array(businessScoreReason),
  landlord: z.object({ id, label: z.string() }).nullable(),
  /** The stages this business may move to next (BUSINESS_TRANSITIONS). */
  nextStages: z.array(businessStage),
  cleared: z.object({ at: instant, by: z.string(), reason: z.string() }).nullable(),
  notifiedAt: instant.nullable(),
  closedAt: instant.nullable(),
  version: z.number().int(),
  createdAt: instant,
  createdBy: z.string(),
  abilities,
});
export type BusinessDto = z.infer<typeof businessDto>;

/** GET /api/businesses/summary (contract). */
export const businessSummary = z.object({
  byStage: z.record(businessStage, z.number().int()),
  landlordsNotified: z.number().int(),
  landlordsResponded: z.number().int(),
  evictedOrInEviction: z.number().int(),
});
export type BusinessSummary = z.infer<typeof businessSummary>;

/** POST /api/businesses/:id/stage: the next stage, its outcome where it has one, and the version read. */
export const stageChangeInput = z.object({
  to: businessStage,
  outcome: text(40).optional(),
  note: text(BUSINESS_LIMITS.reasonMax).optional(),
  /** landlord_notified only: the answer's deadline the notice gave; absent, the template's response days from today. */
  responseDue: day.optional(),
  version: z.number().int().positive(),
});
export type StageChangeInput = z.infer<typeof stageChangeInput>;

/** POST /api/businesses/:id/clear. */
export const clearBusinessInput = z.object({ reason: requiredText(BUSINESS_LIMITS.reasonMax), version: z.number().int().positive() });

/** A duplicate caught at entry: the 409's body names the business already there. */
export const duplicateBusiness = z.object({ id, name: z.string(), address: z.string() });

// ------------------------------------------------------------------------------ indicators and history

/** POST /api/businesses/:id/indicators: one sign, with its evidence; an attachment is optional. */
export const indicatorInput = z.object({
  indicator: businessIndicator,
  note: requiredText(BUSINESS_LIMITS.noteMax),
  observedOn: day,
  /** A photo or document as base64, with its name and type (image/jpeg, image/png, application/pdf). */
  attachment: z
    .object({
      filename: requiredText(200),
      contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf'], { message: 'must be a JPEG or PNG image or a PDF' }),
      base64: z.string().min(1, { message: 'is required' }),
    })
    .optional(),
});
export type IndicatorInput = z.infer<typeof indicatorInput>;

/** One indicator as its reader sees it (GET /api/businesses/:id/indicators). */
export const indicatorDto = z.object({
  id,
  businessId: id,
  indicator: businessIndicator,
  note: z.string(),
  observedOn: day,
  recordedAt: instant,
  recordedBy: z.string(),
  recordedByMe: z.boolean(),
  attachment: z.object({ id, filename: z.string(), contentType: z.string(), size: z.number().int() }).nullable(),
  verifiedAt: instant.nullable(),
  verifiedBy: z.string().nullable(),
  withdrawnAt: instant.nullable(),
  withdrawnReason: z.string().nullable(),
  version: z.number().int(),
  abilities,
});
export type IndicatorDto = z.infer<typeof indicatorDto>;
export const indicatorList = z.object({ items: z.array(indicatorDto), score: businessScore });

/** POST /api/business-indicators/:id/verify and /withdraw. */
export const verifyIndicatorInput = z.object({ version: z.number().int().positive() });
export const withdrawIndicatorInput = z.object({ reason: requiredText(BUSINESS_LIMITS.reasonMax), version: z.number().int().positive() });

/** One dated step of a business's history (GET /api/businesses/:id/events). */
export const businessEventDto = z.object({
  id,
  at: instant,
  kind: z.string(),
  fromStage: businessStage.nullable(),
  toStage: businessStage.nullable(),
  outcome: z.string().nullable(),
  by: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export const businessEvents = z.object({ items: z.array(businessEventDto) });

/** The answer to a stage change or a clearing: the business's new stage and version. */
export const stageChanged = z.object({ id, stage: businessStage, outcome: z.string().nullable(), version: z.number().int(), nextStages: z.array(businessStage) });

// ------------------------------------------------------------------------------------------- network

/** GET /api/businesses/:id/network: other storefronts sharing an operator, phone, address or ad handle. */
export const businessNetwork = z.object({
  businessId: id,
  links: z.array(
    z.object({
      business: z.object({ id, name: z.string(), address: z.string(), city: z.string(), stage: businessStage }),
      /** What is shared: operator, phone, address, handle, website, business (name). */
      shared: z.array(z.object({ kind: z.string(), label: z.string() })),
    }),
  ),
});
export type BusinessNetwork = z.infer<typeof businessNetwork>;

// ------------------------------------------------------------------------------------ landlords, letters

export const landlordInput = z.object({
  kind: z.enum(OPERATOR_KINDS, { message: `must be one of ${OPERATOR_KINDS.join(', ')}` }),
  name: requiredText(BUSINESS_LIMITS.nameMax),
  agent: text(BUSINESS_LIMITS.nameMax).optional(),
  mailingAddress: text(400).optional(),
  phone: text(40).optional(),
  email: text(254).optional(),
  source,
});
export type LandlordInput = z.infer<typeof landlordInput>;

/** PUT /api/businesses/:id/landlord: an existing landlord, or a new one entered from county records. */
export const setLandlordInput = z.object({ landlordId: id.optional(), landlord: landlordInput.optional(), version: z.number().int().positive() });

export const landlordContactInput = z.object({
  channel: z.enum(['letter', 'phone', 'email', 'in_person'], { message: 'must be one of letter, phone, email, in_person' }),
  direction: z.enum(['outgoing', 'incoming'], { message: 'must be outgoing or incoming' }),
  at: instant,
  note: requiredText(BUSINESS_LIMITS.noteMax),
  businessId: id.optional(),
});

/** GET /api/landlords/:id: the owner, their agent, contact history and their other properties in the registry. */
export const landlordDto = z.object({
  id,
  kind: z.string(),
  name: z.string(),
  agent: z.string().nullable(),
  mailingAddress: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  source: z.string(),
  properties: z.array(z.object({ id, name: z.string(), address: z.string(), city: z.string(), stage: businessStage })),
  contacts: z.array(z.object({ id, at: instant, channel: z.string(), direction: z.string(), note: z.string(), by: z.string(), businessId: id.nullable() })),
  version: z.number().int(),
  abilities,
});
export type LandlordDto = z.infer<typeof landlordDto>;

/** GET/PUT /api/notice-template: the attorney general's template for landlord notices. */
export const noticeTemplateInput = z.object({
  title: requiredText(300),
  body: requiredText(BUSINESS_LIMITS.templateMax),
  legalBasis: requiredText(4000),
  responseDays: z.number().int().min(1).max(365),
  /** The version edited; a stale one is refused (409). Absent for the first template. */
  version: z.number().int().positive().optional(),
});
export const noticeTemplateDto = noticeTemplateInput.extend({
  id: id.nullable(),
  version: z.number().int(),
  updatedAt: instant.nullable(),
  updatedBy: z.string().nullable(),
  mergeFields: z.array(z.string()),
  abilities,
});
export type NoticeTemplateDto = z.infer<typeof noticeTemplateDto>;

/** A notice letter (GET /api/letters/:id, and each of a business's letters). */
export const noticeLetterDto = z.object({
  id,
  number: z.string(),
  businessId: id,
  businessName: z.string(),
  landlordId: id,
  responseDue: day,
  createdAt: instant,
  createdBy: z.string(),
  sentVia: z.string().nullable(),
  sentAt: instant.nullable(),
  tracking: z.string().nullable(),
  deliveredAt: instant.nullable(),
  pdfUrl: z.string(),
  docxUrl: z.string(),
  version: z.number().int(),
  abilities,
});
export type NoticeLetterDto = z.infer<typeof noticeLetterDto>;
export const noticeLetterList = z.object({ items: z.array(noticeLetterDto) });

/** POST /api/letters/:id/sent and /delivered. */
export const letterSentInput = z.object({ via: z.enum(['certified_mail', 'first_class_mail', 'email', 'hand_delivered', 'process_server'], { message: 'must be one of certified_mail, first_class_mail, email, hand_delivered, process_server' }), at: instant, tracking: text(100).optional(), version: z.number().int().positive() });
export const letterDeliveredInput = z.object({ at: instant, version: z.number().int().positive() });

/** POST /api/letters/batch → 202 with the job; GET /api/letter-batches/:id follows it. */
export const letterBatchInput = z.object({ businessIds: z.array(id).min(1, { message: 'must name at least one business' }).max(BUSINESS_LIMITS.batchMax, { message: `must name at most ${BUSINESS_LIMITS.batchMax} businesses` }) });
export const letterBatchDto = z.object({
  id,
  status: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number().int(),
  processed: z.number().int(),
  generated: z.number().int(),
  refused: z.array(z.object({ businessId: id, businessName: z.string().nullable(), field: z.string().nullable(), reason: z.string() })),
  letters: z.array(z.object({ id, number: z.string(), businessId: id })),
  createdAt: instant,
  finishedAt: instant.nullable(),
});
export type LetterBatchDto = z.infer<typeof letterBatchDto>;

// --------------------------------------------------------------------------------- alerts, dashboard

/** A re-opening alert (GET /api/businesses/alerts): the closed business, where it showed up, and what matched. */
export const businessAlertDto = z.object({
  id,
  business: z.object({ id, name: z.string(), address: z.string(), stage: businessStage }),
  /** The record it showed up in; `id` is null when the actor may not open that record (they learn only that it exists). */
  source: z.object({ type: z.enum(['business', 'tip', 'operation_subject', 'contact']), id: id.nullable(), label: z.string() }),
  kinds: z.array(z.string()),
  createdAt: instant,
  dismissedAt: instant.nullable(),
  abilities,
});
export type BusinessAlertDto = z.infer<typeof businessAlertDto>;
export const businessAlertList = z.object({ items: z.array(businessAlertDto) });
export const dismissAlertInput = z.object({ reason: requiredText(BUSINESS_LIMITS.reasonMax) });

/** GET /api/businesses/dashboard: the campaign at a glance, over the businesses the actor may see. */
export const campaignDashboard = businessSummary.extend({
  byCounty: z.array(z.object({ countyFips: z.string(), countyName: z.string(), total: z.number().int(), closed: z.number().int(), byStage: z.record(businessStage, z.number().int()) })),
  /** Landlords who answered, of those notified (0–1; null before any notice). */
  responseRate: z.number().nullable(),
  medianDaysNoticeToClosure: z.number().nullable(),
  funnel: z.array(z.object({ stage: businessStage, reached: z.number().int() })),
  /** "N businesses have been evicted or are in some phase of eviction." */
  sentence: z.string(),
  /** The state of the jurisdiction setting, for the map. */
  state: z.string(),
  asOf: instant,
});
export type CampaignDashboard = z.infer<typeof campaignDashboard>;
