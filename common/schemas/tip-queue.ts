import { z } from 'zod';
import { TIP_LIMITS, TIP_STATUSES, type TipStatus } from '../tips.ts';
import { countyFips } from './directory.ts';
import { abilities, id, instant, text } from './shared.ts';
import { tipCloseReason, tipList, tipStatus } from './tips.ts';

/**
 * The staff tip queue's requests (issue #10, items 5 and 8): filters, assignment, state changes and
 * questions to the tipster. The shapes of what comes back are in ./tips.ts.
 */

/** A calendar day (a day of the jurisdiction's time zone) or an instant. */
const dayOrInstant = z.union([z.iso.date(), instant], { message: 'must be a date (YYYY-MM-DD) or a date and time (ISO 8601)' });
const queryFlag = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true');

/** One status or several, comma-separated: `status=new,assigned`. */
const statusList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(tipStatus).min(1, { message: `must be one or more of ${TIP_STATUSES.join(', ')}` }));

/** GET /api/tips: every filter optional; `to` as a date includes that whole day. */
export const tipListQuery = z.object({
  agency: id.optional(),
  county: countyFips.optional(),
  status: statusList.optional(),
  urgent: queryFlag.optional(),
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  /** `me`: tips assigned to me; `none`: tips nobody holds yet. */
  assigned: z.enum(['me', 'none'], { message: 'must be me or none' }).optional(),
  limit: z.coerce.number({ message: 'must be a number' }).int().min(1).max(200).default(50),
  offset: z.coerce.number({ message: 'must be a number' }).int().min(0).max(1_000_000).default(0),
});
export type TipListQuery = z.infer<typeof tipListQuery>;

/** GET /api/tips/counties: the list's filters but the county. */
export const tipCountyQuery = tipListQuery.omit({ county: true, limit: true, offset: true });
export type TipCountyQuery = z.infer<typeof tipCountyQuery>;

/** The queue and what the actor may start from it (record a phoned-in tip). */
export const tipQueueResponse = tipList.extend({ abilities });

export const tipCountyCount = z.object({
  countyFips: z.string(),
  countyName: z.string(),
  /** Visible tips of this county (under the filters). */
  count: z.number(),
  /** Of those, urgent tips not yet closed. */
  urgentOpen: z.number(),
});
export const tipCountyCounts = z.array(tipCountyCount);

/** POST /api/tips: a phoned-in tip is answered with its receipt, read aloud to the caller once. */
export const staffTipCreated = z.object({ id: z.string(), receipt: z.string() });

const version = z.number({ message: 'must be the version of the tip you read' }).int().min(1, { message: 'must be the version of the tip you read' });

export const assignTipInput = z.object({ userId: id, version });
export type AssignTipInput = z.infer<typeof assignTipInput>;

/**
 * The states changed here: assigned is reached through /assign (it names the assignee). A close takes
 * its reason from the list; no other change takes one.
 */
export const tipStatusInput = z.object({
  status: tipStatus,
  reason: tipCloseReason.optional(),
  version,
});
export type TipStatusInput = z.infer<typeof tipStatusInput>;

export const tipMessageInput = z.object({
  body: text(TIP_LIMITS.message).min(1, { message: 'is required: write your question to the tipster' }),
});

/** The codes of `triageReason`, worded by the web app. */
export const TRIAGE_REASON_CODES = ['minor_involved', 'immediate_danger', 'typology_terms', 'repeated_identifiers', 'open_operation'] as const;
export type TriageReasonCode = (typeof TRIAGE_REASON_CODES)[number];

/** Tips still being worked: not closed. */
export const OPEN_TIP_STATUSES: readonly TipStatus[] = TIP_STATUSES.filter((s) => s !== 'closed');
