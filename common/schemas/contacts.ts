import { z } from 'zod';
import {
  AGE_BANDS,
  CONTACT_ROLES,
  CUSTODY_REASONS,
  DISPOSITIONS,
  PARENT_NOTIFICATION_METHODS,
  PARENT_NOTIFICATION_OUTCOMES,
  PLACEMENT_TYPES,
  REFERRAL_STATUSES,
  SCREENING_RESULTS,
  SCREENING_TOOLS,
  SERVICES,
  SEXES,
  SUSPECT_TYPES,
} from '../operations.ts';
import { LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX } from '../limits.ts';
import { abilities, id, instant, requiredText, text } from './shared.ts';
import { phoneNumber } from './operations.ts';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(', ')}` });

export const contactRole = oneOf(CONTACT_ROLES);
export const suspectType = oneOf(SUSPECT_TYPES);
export const sex = oneOf(SEXES);
export const ageBand = oneOf(AGE_BANDS);
export const disposition = oneOf(DISPOSITIONS);
export const service = oneOf(SERVICES);
export const referralStatus = z.enum(REFERRAL_STATUSES);

const realDate = (v: string) => {
  const d = new Date(`${v}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};
/** A calendar day, e.g. a date of birth. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date, YYYY-MM-DD' })
  .refine(realDate, { message: 'is not a real date' });

/** The recording device's id for one entry: a retried submission with the same value is recorded once. */
export const clientRef = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(100, { message: 'must be at most 100 characters' })
  .regex(/^[A-Za-z0-9._:-]+$/, { message: 'must be letters, digits and . _ : - only (e.g. a UUID)' });

export const screeningInput = z.object({ tool: oneOf(SCREENING_TOOLS), result: oneOf(SCREENING_RESULTS) });
export const contactServiceInput = z.object({ service, offered: z.boolean(), accepted: z.boolean().default(false) });

const contactFields = {
  role: contactRole,
  suspectType: suspectType.nullable(),
  sex,
  ageBand,
  estimatedAge: z.number().int({ message: 'must be whole years' }).min(0, { message: 'must be 0 to 17' }).max(17, { message: 'must be 0 to 17' }).nullable(),
  disposition: disposition.nullable(),
  charges: z.array(requiredText(200)).max(20),
  name: text(NAME_MAX).nullable(),
  aliases: z.array(requiredText(NAME_MAX)).max(20),
  dob: isoDate.nullable(),
  phones: z.array(phoneNumber).max(10),
  screening: screeningInput.nullable(),
  services: z.array(contactServiceInput).max(SERVICES.length),
};

/** One person contacted in the field; everything but role, sex and age band can wait. */
export const recordContactInput = z.object({
  clientRef: clientRef.optional(),
  role: contactFields.role,
  suspectType: contactFields.suspectType.optional(),
  sex: contactFields.sex,
  ageBand: contactFields.ageBand,
  estimatedAge: contactFields.estimatedAge.optional(),
  disposition: contactFields.disposition.optional(),
  charges: contactFields.charges.default([]),
  name: contactFields.name.optional(),
  aliases: contactFields.aliases.default([]),
  dob: contactFields.dob.optional(),
  phones: contactFields.phones.default([]),
  screening: contactFields.screening.optional(),
  services: contactFields.services.default([]),
});
export type RecordContactInput = z.infer<typeof recordContactInput>;

// No defaults: a field left out of a change stays as it is.
export const updateContactInput = z
  .object({
    ...contactFields,
    /** The version the editor saw; a stale one is refused (409). */
    version: z.number().int().min(1),
    /** Required once the operation is closed: a closed record changes only by correction. */
    correctionReason: requiredText(SHORT_TEXT_MAX),
  })
  .partial()
  .refine((v) => Object.keys(v).some((k) => k !== 'version' && k !== 'correctionReason'), { message: 'at least one field is required' });
export type UpdateContactInput = z.infer<typeof updateContactInput>;

export const contactListQuery = z.object({
  /** Only rows changed after this instant (the live list polls with the previous answer's `nextSince`). */
  since: instant.optional(),
});

const contactServiceDto = z.object({ service, offered: z.boolean(), accepted: z.boolean() });

/** A row of the live list: never the date of birth or phones (those are in the detail view). */
export const contactSummaryDto = z.object({
  id,
  operationId: id,
  personNumber: z.number(),
  label: z.string(),
  restricted: z.literal(false),
  /** A minor's (or a person in a minor's age band) record: sealed to the lead's assigned users and the receiving caseworker. */
  sealed: z.boolean(),
  role: contactRole,
  suspectType: suspectType.nullable(),
  sex,
  ageBand,
  estimatedAge: z.number().nullable(),
  disposition: disposition.nullable(),
  charges: z.array(z.string()),
  name: z.string().nullable(),
  aliases: z.array(z.string()),
  screening: screeningInput.nullable(),
  services: z.array(contactServiceDto),
  referralCount: z.number(),
  custodyHandoffId: id.nullable(),
  recordedBy: z.object({ userId: id, name: z.string(), agencyName: z.string() }),
  recordedAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type ContactSummaryDto = z.infer<typeof contactSummaryDto>;

export const contactDto = contactSummaryDto.extend({
  dob: z.string().nullable(),
  phones: z.array(z.string()),
  operationStatus: z.string(),
  abilities,
});
export type ContactDto = z.infer<typeof contactDto>;

/** What someone who recorded a sealed record but may not open it gets back: that it was filed, and its number. */
export const restrictedContactDto = z.object({
  id,
  operationId: id,
  personNumber: z.number(),
  label: z.string(),
  restricted: z.literal(true),
});
export type RestrictedContactDto = z.infer<typeof restrictedContactDto>;

export const recordedContactDto = z.union([contactDto, restrictedContactDto]);

export const contactListDto = z.object({
  contacts: z.array(contactSummaryDto),
  /** Sealed records in the operation that the caller may not open: a count, nothing more. */
  sealedCount: z.number(),
  /** Every contact of the operation, sealed or not. */
  total: z.number(),
  serverTime: z.string(),
  /** Pass as `since` next time. It overlaps a little so nothing committed late is missed: replace rows by id. */
  nextSince: z.string(),
  abilities,
});
export type ContactListDto = z.infer<typeof contactListDto>;

const countsOf = <T extends readonly [string, ...string[]]>(keys: T) => z.record(z.enum(keys), z.number());

/** The outcome of an operation: aggregates of its recorded contacts, never a person (issue #3, item 6). */
export const outcomeDto = z.object({
  operationId: id,
  total: z.number(),
  byRole: countsOf(CONTACT_ROLES),
  byDisposition: countsOf(DISPOSITIONS),
  /** Contacts with no disposition recorded yet. */
  dispositionPending: z.number(),
  bySex: countsOf(SEXES),
  byAgeBand: countsOf(AGE_BANDS),
  byRoleAndSex: z.record(contactRole, countsOf(SEXES)),
  suspectTypes: z.object({ buyer: z.number(), facilitator: z.number(), trafficker: z.number(), unspecified: z.number() }),
  /** Persons offered (or accepting) each service. */
  servicesOffered: countsOf(SERVICES),
  servicesAccepted: countsOf(SERVICES),
  /** Persons offered at least one service, and persons who accepted at least one. */
  personsOfferedServices: z.number(),
  personsAcceptingServices: z.number(),
  referrals: z.object({
    total: z.number(),
    byStatus: countsOf(REFERRAL_STATUSES),
    byAgency: z.array(z.object({ agencyName: z.string(), count: z.number() })),
  }),
  protectiveCustody: z.object({
    count: z.number(),
    handedOff: z.number(),
    received: z.number(),
    releasedTo: z.array(z.string()),
  }),
});
export type OutcomeDto = z.infer<typeof outcomeDto>;

// ------------------------------------------------------------------------------------------ referrals

/**
 * A phone number someone will call back on: a real number (libphonenumber-js `isValid()`; junk parses),
 * U.S. by default. Services store it as `formatPhone` gives it.
 */
export const callbackPhone = phoneNumber.refine((value) => parsePhoneNumberFromString(value, 'US')?.isValid() === true, {
  message: 'is not a valid phone number, e.g. (816) 555-0142',
});

/** A valid phone number as stored and shown: national format for U.S. numbers, international otherwise. */
export function formatPhone(value: string): string {
  const parsed = parsePhoneNumberFromString(value, 'US');
  if (!parsed?.isValid()) return value;
  return parsed.country === 'US' ? parsed.formatNational() : parsed.formatInternational();
}

export const referContactInput = z.object({
  toAgencyId: id,
  /** First name or alias only: the referral carries nothing else that names the person. */
  firstName: requiredText(60),
  language: requiredText(40),
  services: z.array(service).min(1, { message: 'at least one service is required' }).max(SERVICES.length),
  /** How to reach the person safely (e.g. "text only, 816-555-0142, never call"). */
  safeContact: requiredText(SHORT_TEXT_MAX),
  /** The person agreed to be referred; without it there is no referral. */
  consent: z.literal(true, { message: 'the person must agree to be referred (consent: true)' }),
  /** Where the advocates reach the referring officer (the sender) about this referral. */
  callbackPhone,
});
export type ReferContactInput = z.infer<typeof referContactInput>;

/** The body may be left out entirely (Fastify then hands the validator null). */
export const respondReferralInput = z.object({ note: text(LONG_TEXT_MAX).optional() }).nullish();
/** One more dated note in the advocates' history of the referral (append-only). */
export const referralNoteInput = z.object({ text: requiredText(LONG_TEXT_MAX) });

export const referralNoteDto = z.object({
  id,
  at: z.string(),
  /** Null for the note carried over from the single notes field (issue #9), when no one answered the referral. */
  author: z.object({ userId: id, name: z.string() }).nullable(),
  text: z.string(),
});
export type ReferralNoteDto = z.infer<typeof referralNoteDto>;

export const referralListQuery = z.object({
  operationId: id.optional(),
  contactId: id.optional(),
  status: referralStatus.optional(),
});

export const part2NoticeDto = z.object({ statement: z.string(), citation: z.string(), explanation: z.string() });

/** The receiving advocates' view: only what the referral carries, and their own notes. */
export const receivedReferralDto = z.object({
  id,
  view: z.literal('receiving'),
  firstName: z.string(),
  language: z.string(),
  services: z.array(service),
  safeContact: z.string(),
  part2: z.boolean(),
  part2Notice: part2NoticeDto.nullable(),
  referringAgency: z.object({ name: z.string() }),
  /** Who sent the referral and the number they gave for a callback (null on referrals made before issue #9). */
  referringOfficer: z.object({ name: z.string(), phone: z.string().nullable() }),
  status: referralStatus,
  sentAt: z.string(),
  respondedAt: z.string().nullable(),
  /** The advocates' dated notes, oldest first. */
  notes: z.array(referralNoteDto),
  abilities,
});
export type ReceivedReferralDto = z.infer<typeof receivedReferralDto>;

/** The referring side's view: where it went and what became of it, never the advocates' notes. */
export const sentReferralDto = z.object({
  id,
  view: z.literal('referring'),
  contactId: id,
  operationId: id,
  personNumber: z.number(),
  toAgency: z.object({ id, name: z.string() }),
  services: z.array(service),
  part2: z.boolean(),
  status: referralStatus,
  sentAt: z.string(),
  respondedAt: z.string().nullable(),
  abilities,
});
export type SentReferralDto = z.infer<typeof sentReferralDto>;

export const referralDto = z.discriminatedUnion('view', [receivedReferralDto, sentReferralDto]);
export type ReferralDto = z.infer<typeof referralDto>;

// ------------------------------------------------------------------------------------------ custody

export const handOffInput = z.object({
  takenAt: instant,
  /** The officer who took the child; defaults to the caller. */
  officerUserId: id.optional(),
  reason: oneOf(CUSTODY_REASONS),
  /** Required when the reason is `other`. */
  reasonDetail: text(LONG_TEXT_MAX).nullable().optional(),
  juvenileOfficerNotifiedAt: instant.nullable().optional(),
  childrensDivisionNotifiedAt: instant.nullable().optional(),
  /** The child-welfare agency receiving the child. */
  toAgencyId: id,
  /** The officer's phone for the caseworker; defaults to the officer's work phone on their account. */
  officerPhone: callbackPhone.nullable().optional(),
});
export type HandOffInput = z.infer<typeof handOffInput>;

export const parentNotificationInput = z.object({
  at: instant,
  method: oneOf(PARENT_NOTIFICATION_METHODS),
  outcome: oneOf(PARENT_NOTIFICATION_OUTCOMES),
  note: text(LONG_TEXT_MAX).nullable().optional(),
});
export type ParentNotificationInput = z.infer<typeof parentNotificationInput>;

export const updateCustodyInput = z
  .object({
    juvenileOfficerNotifiedAt: instant.nullable(),
    childrensDivisionNotifiedAt: instant.nullable(),
    /** When the officer's written statement (RSMo 210.125.2) was filed with the juvenile officer. */
    statementFiledAt: instant.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one field is required' });
export type UpdateCustodyInput = z.infer<typeof updateCustodyInput>;

export const custodyReceiptInput = z.object({
  /** The receiving caseworker's name as it goes on the record; defaults to the caller's. */
  caseworkerName: requiredText(NAME_MAX).optional(),
  receivedAt: instant,
  placementType: oneOf(PLACEMENT_TYPES),
  /** The placement's name (the foster home, shelter or relative), so the record says where the child went. */
  placementName: requiredText(NAME_MAX),
});
export type CustodyReceiptInput = z.infer<typeof custodyReceiptInput>;

export const custodyListQuery = z.object({ operationId: id.optional() });

export const custodyDto = z.object({
  id,
  contactId: id,
  /** The operation, for the owning side; null for the receiving agency (the operation is not theirs). */
  operation: z.object({ id, name: z.string() }).nullable(),
  child: z.object({
    personNumber: z.number(),
    label: z.string(),
    sex,
    ageBand,
    estimatedAge: z.number().nullable(),
    name: z.string().nullable(),
  }),
  fromAgency: z.object({ id, name: z.string() }),
  toAgency: z.object({ id, name: z.string() }),
  takenAt: z.string(),
  /** The officer who took the child, and the phone the caseworker reaches them on (null when none was given). */
  officer: z.object({ userId: id, name: z.string(), phone: z.string().nullable() }),
  reason: oneOf(CUSTODY_REASONS),
  reasonDetail: z.string().nullable(),
  juvenileOfficerNotifiedAt: z.string().nullable(),
  childrensDivisionNotifiedAt: z.string().nullable(),
  statementDueAt: z.string(),
  statementFiledAt: z.string().nullable(),
  /** Milliseconds until the written statement is due (negative once overdue); null once it is filed. */
  msUntilDue: z.number().nullable(),
  overdue: z.boolean(),
  parentNotifications: z.array(
    z.object({
      id,
      at: z.string(),
      method: oneOf(PARENT_NOTIFICATION_METHODS),
      outcome: oneOf(PARENT_NOTIFICATION_OUTCOMES),
      note: z.string().nullable(),
      recordedBy: z.object({ userId: id, name: z.string() }),
    }),
  ),
  receipt: z
    .object({ caseworkerName: z.string(), receivedAt: z.string(), placementType: oneOf(PLACEMENT_TYPES), placementName: z.string().nullable(), recordedBy: id })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities,
});
export type CustodyDto = z.infer<typeof custodyDto>;
