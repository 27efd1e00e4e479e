import { z } from 'zod';
import {
  CLIENT_DOCUMENT_TYPES,
  CLIENT_INTAKES,
  CLIENT_STATUSES,
  CONSENT_METHODS,
  NATIONALITIES,
  RELEASE_MAX_DAYS,
  RELEASE_SCOPES,
  RELEASE_STATUSES,
  REVOCATION_METHODS,
  SERVICE_CATEGORIES,
  TRAFFICKING_TYPES,
} from '../clients.ts';
import { LONG_TEXT_MAX, NAME_MAX, PHONE_MAX, SHORT_TEXT_MAX } from '../limits.ts';
import { abilities, id, instant, requiredText, text } from './shared.ts';

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(', ')}` });
/** A calendar date, YYYY-MM-DD. */
const day = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });

export const serviceCategory = oneOf(SERVICE_CATEGORIES);
export const releaseScope = oneOf(RELEASE_SCOPES);

// ------------------------------------------------------------------------------------------- clients

/** Intake: from an accepted referral of the actor's agency, or a walk-in (no police involvement). */
export const createClientInput = z.discriminatedUnion('intake', [
  z.object({ intake: z.literal('referral'), referralId: id, name: requiredText(NAME_MAX).optional() }),
  z.object({
    intake: z.literal('walk_in'),
    name: requiredText(NAME_MAX),
    phone: text(PHONE_MAX).nullable().optional(),
    language: requiredText(40).optional(),
  }),
]);
export type CreateClientInput = z.infer<typeof createClientInput>;

export const updateClientInput = z
  .object({
    /** The version the change was made against (a stale one gets 409). */
    version: z.number().int().min(1),
    name: requiredText(NAME_MAX).optional(),
    phone: text(PHONE_MAX).nullable().optional(),
    language: requiredText(40).optional(),
    traffickingType: oneOf(TRAFFICKING_TYPES).optional(),
    nationality: oneOf(NATIONALITIES).optional(),
    needs: z.array(serviceCategory).max(SERVICE_CATEGORIES.length).optional(),
    safetyPlan: text(LONG_TEXT_MAX).nullable().optional(),
    /** Closing: status closed with a reason; reopening: status open. */
    status: oneOf(CLIENT_STATUSES).optional(),
    closeReason: text(SHORT_TEXT_MAX).nullable().optional(),
  })
  .strict();
export type UpdateClientInput = z.infer<typeof updateClientInput>;

export const clientServiceInput = z.object({
  category: serviceCategory,
  providedOn: day,
  note: text(SHORT_TEXT_MAX).nullable().optional(),
});
export type ClientServiceInput = z.infer<typeof clientServiceInput>;

export const clientNoteInput = z.object({ text: requiredText(LONG_TEXT_MAX) });

export const clientServiceDto = z.object({
  id,
  category: serviceCategory,
  providedOn: z.string(),
  note: z.string().nullable(),
  part2: z.boolean(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export const clientNoteDto = z.object({ id, at: z.string(), author: z.string(), text: z.string() });
export const clientDocumentDto = z.object({ id, name: z.string(), mime: oneOf(CLIENT_DOCUMENT_TYPES), size: z.number(), addedBy: z.string(), addedAt: z.string() });
export type ClientDocumentDto = z.infer<typeof clientDocumentDto>;

/** POST /api/clients/:id/documents: one file as base64 (at most 5 MB), its name and its type. */
export const addClientDocumentInput = z.object({
  name: requiredText(200),
  contentType: oneOf(CLIENT_DOCUMENT_TYPES),
  /** The file's bytes, base64; its first bytes must be those of `contentType`. */
  content: z.string().min(1, { message: 'is required' }),
});
export type AddClientDocumentInput = z.infer<typeof addClientDocumentInput>;
export const clientDocumentParams = z.object({ id, documentId: id });

/** POST /api/clients/:id/assignments: an advocate of the client's agency, by user id. */
export const assignClientInput = z.object({ userId: id });
export type AssignClientInput = z.infer<typeof assignClientInput>;
export const clientAssignmentParams = z.object({ id, userId: id });
export const clientAssignmentDto = z.object({ userId: id, name: z.string(), assignedAt: z.string(), assignedBy: z.string() });

export const releaseDto = z.object({
  id,
  clientId: id,
  recipientAgency: z.object({ id, name: z.string() }),
  /** A named person at the recipient agency, or null for anyone there with a need to know. */
  recipientUser: z.object({ id, name: z.string() }).nullable(),
  scopes: z.array(releaseScope),
  purpose: z.string(),
  consentMethod: oneOf(CONSENT_METHODS),
  /** The scanned, signed form (consentMethod scan): one of the client's documents. */
  scanDocument: z.object({ id, name: z.string() }).nullable(),
  startsAt: z.string(),
  expiresAt: z.string(),
  status: oneOf(RELEASE_STATUSES),
  /** Whether the release lets a share or read happen now: active, started and not expired. */
  inEffect: z.boolean(),
  revokedAt: z.string().nullable(),
  revocationMethod: oneOf(REVOCATION_METHODS).nullable(),
  shares: z.array(z.object({ id, at: z.string(), by: z.string(), scopes: z.array(releaseScope) })),
  createdAt: z.string(),
  createdBy: z.string(),
  version: z.number(),
  abilities,
});
export type ReleaseDto = z.infer<typeof releaseDto>;

export const clientSummaryDto = z.object({
  id,
  name: z.string(),
  intake: oneOf(CLIENT_INTAKES),
  status: oneOf(CLIENT_STATUSES),
  openedAt: z.string(),
  assignedTo: z.array(z.string()),
  activeReleases: z.number(),
});
export type ClientSummaryDto = z.infer<typeof clientSummaryDto>;

export const clientDto = clientSummaryDto.extend({
  referralId: id.nullable(),
  phone: z.string().nullable(),
  language: z.string().nullable(),
  traffickingType: oneOf(TRAFFICKING_TYPES),
  nationality: oneOf(NATIONALITIES),
  needs: z.array(serviceCategory),
  safetyPlan: z.string().nullable(),
  safetyPlanUpdatedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  services: z.array(clientServiceDto),
  notes: z.array(clientNoteDto),
  documents: z.array(clientDocumentDto),
  /** Who is assigned to the client, when and by whom. */
  assignments: z.array(clientAssignmentDto),
  /** The agency's advocates a supervisor may assign (empty for anyone who may not assign). */
  assignableAdvocates: z.array(z.object({ id, name: z.string() })),
  releases: z.array(releaseDto),
  version: z.number(),
  abilities,
});
export type ClientDto = z.infer<typeof clientDto>;

export const clientListQuery = z.object({ status: oneOf(CLIENT_STATUSES).optional() });

// ------------------------------------------------------------------------------------------ releases

/**
 * A release of information: informed and written (signed on screen with the client's typed name, or a
 * scan of the signed form), per recipient agency (optionally one person), scoped, with a purpose, a start
 * and an expiry (default 90 days from the start, at most a year).
 */
export const createReleaseInput = z
  .object({
    recipientAgencyId: id,
    recipientUserId: id.nullable().optional(),
    scopes: z.array(releaseScope).min(1, { message: 'at least one scope is required' }).max(RELEASE_SCOPES.length),
    purpose: requiredText(SHORT_TEXT_MAX),
    /** The client was told what will be shared, with whom, why, for how long, and that they may revoke. */
    informed: z.literal(true, { message: 'the client must be told what the release allows (informed: true)' }),
    consentMethod: oneOf(CONSENT_METHODS),
    /** signed_on_screen: the client's name as they typed it. */
    signature: requiredText(NAME_MAX).optional(),
    /** scan: the signed form, a document already attached to the client. */
    scanDocumentId: id.optional(),
    startsAt: instant.optional(),
    expiresAt: instant.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.consentMethod === 'signed_on_screen' && !v.signature) ctx.addIssue({ code: 'custom', path: ['signature'], message: 'is required when the client signs on screen' });
    if (v.consentMethod === 'scan' && !v.scanDocumentId) ctx.addIssue({ code: 'custom', path: ['scanDocumentId'], message: 'is required for a scanned release: attach the signed form first' });
    if (v.startsAt && v.expiresAt && v.expiresAt <= v.startsAt) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be after the start' });
    if (v.startsAt && v.expiresAt && Date.parse(v.expiresAt) - Date.parse(v.startsAt) > RELEASE_MAX_DAYS * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: `must be at most ${RELEASE_MAX_DAYS} days after the start` });
    }
  });
export type CreateReleaseInput = z.infer<typeof createReleaseInput>;

export const revokeReleaseInput = z.object({
  method: oneOf(REVOCATION_METHODS),
  note: text(SHORT_TEXT_MAX).nullable().optional(),
});
export type RevokeReleaseInput = z.infer<typeof revokeReleaseInput>;

/** A share: the scopes of the release to send now (all of them when left out). */
export const createShareInput = z
  .object({ scopes: z.array(releaseScope).min(1).max(RELEASE_SCOPES.length).optional(), statement: text(LONG_TEXT_MAX).optional() })
  .nullish();
export type CreateShareInput = z.infer<typeof createShareInput>;

/** What the recipient sees: exactly the shared scopes, marked with the release and its expiry. */
export const sharedExtractDto = z.object({
  release: z.object({
    id,
    from: z.object({ id, name: z.string() }),
    scopes: z.array(releaseScope),
    purpose: z.string(),
    startsAt: z.string(),
    expiresAt: z.string(),
  }),
  /** The name the client gave on the release. */
  subject: z.string(),
  sharedAt: z.string(),
  serviceStatus: z
    .object({ status: oneOf(CLIENT_STATUSES), services: z.array(z.object({ category: serviceCategory, providedOn: z.string() })) })
    .nullable(),
  contactDetails: z.object({ phone: z.string().nullable(), language: z.string().nullable() }).nullable(),
  statement: z.string().nullable(),
  substanceUse: z.object({ services: z.array(z.object({ category: serviceCategory, providedOn: z.string() })) }).nullable(),
  /** The 42 CFR Part 2 redisclosure notice, on every share that carries substance-use information. */
  part2Notice: z.object({ statement: z.string(), citation: z.string(), explanation: z.string() }).nullable(),
});
export type SharedExtractDto = z.infer<typeof sharedExtractDto>;

/** The releases in effect naming the actor's agency (and the actor, or no one person). */
export const receivedReleaseDto = z.object({
  id,
  from: z.object({ id, name: z.string() }),
  subject: z.string(),
  scopes: z.array(releaseScope),
  expiresAt: z.string(),
  lastSharedAt: z.string().nullable(),
});

// ------------------------------------------------------------------------------------------ reports

export const timsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  quarter: z.coerce.number().int().min(1).max(4),
});
export const timsReportDto = z.object({
  agency: z.object({ id, name: z.string() }),
  year: z.number(),
  quarter: z.number(),
  from: z.string(),
  to: z.string(),
  clients: z.object({
    new: z.number(),
    continuing: z.number(),
    byType: z.array(z.object({ traffickingType: oneOf(TRAFFICKING_TYPES), count: z.number() })),
    byNationality: z.array(z.object({ nationality: oneOf(NATIONALITIES), count: z.number() })),
  }),
  services: z.array(z.object({ category: serviceCategory, clients: z.number(), times: z.number() })),
});
export type TimsReportDto = z.infer<typeof timsReportDto>;
