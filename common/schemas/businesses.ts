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
  version: z.number().int().positive(),
});
export type StageChangeInput = z.infer<typeof stageChangeInput>;

/** POST /api/businesses/:id/clear. */
export const clearBusinessInput = z.object({ reason: requiredText(BUSINESS_LIMITS.reasonMax), version: z.number().int().positive() });

/** A duplicate caught at entry: the 409's body names the business already there. */
export const duplicateBusiness = z.object({ id, name: z.string(), address: z.string() });
