import { z } from 'zod';
import { TIP_CLOSE_REASONS, TIP_LIMITS, TIP_SOURCES, TIP_STATUSES, SAFE_CONTACT_METHODS, TIPSTER_STATUSES, IDENTIFIER_KINDS } from '../tips.ts';
import { abilities, id, instant, text } from './shared.ts';
import { countyFips } from './directory.ts';
import { language } from './disclosure.ts';

const list = (what: string) =>
  z
    .array(text(TIP_LIMITS.listItemLength), { message: `must be a list of ${what}` })
    .max(TIP_LIMITS.listItems, { message: `must have at most ${TIP_LIMITS.listItems} ${what}` })
    .default([]);

/** A five-digit ZIP code; whether it exists is checked by the service against the gazetteer. */
export const zip = z.string().trim().regex(/^\d{5}$/, { message: 'must be a five-digit ZIP code' });
const flag = z.boolean({ message: 'must be true or false' });

/** Optional contact details and how it is safe to reach the tipster. */
export const tipsterContact = z.object({
  name: text(TIP_LIMITS.shortText).optional(),
  phone: text(40).optional(),
  email: text(254).optional(),
  safeMethod: z.enum(SAFE_CONTACT_METHODS, { message: `must be one of ${SAFE_CONTACT_METHODS.join(', ')}` }).optional(),
  safeTimes: text(TIP_LIMITS.shortText).optional(),
});

/** What a tip says, from any source: the public form, staff entry and the hotline import share it. */
export const tipFields = z.object({
  narrative: text(TIP_LIMITS.narrative).min(1, { message: 'is required: tell us what happened' }),
  /** Where: any of these; a ZIP that spans counties is settled by countyFips or the address. */
  address: text(TIP_LIMITS.shortText).optional(),
  city: text(100).optional(),
  zip: z.union([zip, z.literal('')]).optional(),
  /** The county's name as the tipster typed it, or its FIPS code. */
  county: text(100).optional(),
  countyFips: countyFips.optional(),
  /** When, in the tipster's words ("every night after 10 pm", "last Tuesday"). */
  when: text(TIP_LIMITS.shortText).optional(),
  people: text(TIP_LIMITS.mediumText).optional(),
  vehicles: text(TIP_LIMITS.mediumText).optional(),
  phones: list('phone numbers'),
  emails: list('email addresses'),
  /** Websites, ads and online handles. */
  online: list('websites or handles'),
  businesses: list('businesses'),
  minorInvolved: flag,
  immediateDanger: flag,
  language,
  contact: tipsterContact.optional(),
});
export type TipFields = z.infer<typeof tipFields>;

/** POST /api/public/tips (contract): the tip and the solved ALTCHA proof (base64 payload). */
export const publicTipInput = tipFields.extend({
  altcha: z.string().min(1, { message: 'is required: the proof-of-work did not run' }).max(4000, { message: 'is too long' }),
});
export type PublicTipInput = z.infer<typeof publicTipInput>;

export const receiptResponse = z.object({ receipt: z.string(), queued: z.boolean().optional() });

/** GET /api/public/tips/challenge (contract): an ALTCHA challenge. */
export const altchaChallenge = z.object({
  algorithm: z.string(),
  challenge: z.string(),
  salt: z.string(),
  maxnumber: z.number(),
  signature: z.string(),
});

/** Staff entry of a phoned-in or forwarded tip: the same fields, the source and when it was received. */
export const staffTipInput = tipFields.extend({
  source: z.enum(['phone', 'hotline'] as const satisfies readonly (typeof TIP_SOURCES)[number][], { message: 'must be phone or hotline' }),
  receivedAt: instant.optional(),
  /** The hotline's own reference: a tip with a reference already in Lantern is not imported twice. */
  externalRef: text(100).optional(),
});
export type StaffTipInput = z.infer<typeof staffTipInput>;

export const tipStatus = z.enum(TIP_STATUSES, { message: `must be one of ${TIP_STATUSES.join(', ')}` });
export const tipCloseReason = z.enum(TIP_CLOSE_REASONS, { message: `must be one of ${TIP_CLOSE_REASONS.join(', ')}` });
export const tipsterStatus = z.enum(TIPSTER_STATUSES);
export const identifierKind = z.enum(IDENTIFIER_KINDS);
export const tipIdParams = z.object({ id });

// ---------------------------------------------------------------------------------------------- staff views

/** One indicator behind a tip's rank, explained by its code (translated in the web app) and a count. */
export const triageReason = z.object({
  code: z.string(),
  count: z.number().optional(),
  /** Polaris typology words found, say; never text the tipster wrote beyond these words. */
  terms: z.array(z.string()).optional(),
});
export type TriageReason = z.infer<typeof triageReason>;

/**
 * Another record sharing an identifier with this tip, one the viewer may see (issue #10, item 7).
 * Records the viewer may not see never appear, not even as a count. A `release` is a client's release
 * of information naming the viewer, in effect now, under which a phone was shared (issue #12, item 4):
 * the web app opens it as the shared extract (`/releases/:id`).
 */
export const tipLink = z.object({
  recordType: z.enum(['tip', 'operation', 'business', 'release']),
  recordId: z.string(),
  /** The operation's name, the business's name, "Tip received <date>", or "Shared by <agency> (release)". */
  label: z.string(),
  /** Identifier kinds shared, and a masked hint of each value. */
  shared: z.array(z.object({ kind: identifierKind, hint: z.string() })),
  /** strong: an email, or two or more identifiers; weak: a single phone, plate, address, business or handle. */
  strength: z.enum(['weak', 'strong']),
  /** The other record is an open operation (planned, approved, active). */
  open: z.boolean(),
});
export type TipLink = z.infer<typeof tipLink>;

const person = z.object({ id: z.string(), name: z.string() }).nullable();

/** A row of the staff tip queue (GET /api/tips). */
export const tipListItem = z.object({
  id: z.string(),
  receivedAt: z.string(),
  source: z.enum(TIP_SOURCES),
  status: tipStatus,
  urgent: z.boolean(),
  minorInvolved: z.boolean(),
  immediateDanger: z.boolean(),
  zip: z.string().nullable(),
  countyFips: z.string().nullable(),
  countyName: z.string().nullable(),
  agency: z.object({ id: z.string(), name: z.string() }),
  /** True when the tip is in another agency's queue and was shared with the viewer's agency. */
  sharedWithUs: z.boolean(),
  assignedTo: person,
  score: z.number(),
  reasons: z.array(triageReason),
  /** The first words of the narrative (staff only). */
  summary: z.string(),
  /** Messages from the tipster not yet read by staff. */
  unreadMessages: z.number(),
  version: z.number(),
});
export type TipListItem = z.infer<typeof tipListItem>;

export const tipList = z.object({ tips: z.array(tipListItem), total: z.number() });

/** One dated entry of a tip's history: who did what, never the tip's text. */
export const tipEvent = z.object({
  at: z.string(),
  kind: z.string(),
  by: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export const tipMessage = z.object({
  id: z.string(),
  at: z.string(),
  /** "tipster" or the staff member's name. */
  from: z.string(),
  fromTipster: z.boolean(),
  body: z.string(),
  /** When the other side read it: staff's question read by the tipster, or the tipster's message by staff. */
  readAt: z.string().nullable().optional(),
});

/** GET /api/tips/:id: the whole tip for staff who may read it, with its `links` (contract). */
export const tipDto = tipListItem.extend({
  narrative: z.string(),
  language: z.enum(['en', 'es']),
  details: z.object({
    address: z.string().nullable(),
    city: z.string().nullable(),
    county: z.string().nullable(),
    when: z.string().nullable(),
    people: z.string().nullable(),
    vehicles: z.string().nullable(),
    phones: z.array(z.string()),
    emails: z.array(z.string()),
    online: z.array(z.string()),
    businesses: z.array(z.string()),
  }),
  /** "Tipster" unless they gave contact details and the viewer may read them. */
  tipster: z.object({
    label: z.string(),
    contact: tipsterContact.nullable(),
  }),
  routing: z.record(z.string(), z.unknown()),
  closeReason: z.string().nullable(),
  sharedWith: z.array(z.object({ agencyId: z.string(), agencyName: z.string(), at: z.string(), reason: z.string() })),
  history: z.array(tipEvent),
  messages: z.array(tipMessage),
  links: z.array(tipLink),
  abilities,
});
export type TipDto = z.infer<typeof tipDto>;

/** GET /api/tips/:id/assignees: the tip workers of the agency holding the tip. */
export const tipAssignees = z.object({ assignees: z.array(z.object({ id: z.string(), name: z.string() })) });
export type TipAssignees = z.infer<typeof tipAssignees>;
