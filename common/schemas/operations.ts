import { z } from 'zod';
import {
  MAX_RADIUS_M,
  OPERATION_STATUSES,
  OPERATION_TYPES,
  PARTICIPANT_ROLES,
  SUBJECT_KINDS,
} from '../operations.ts';
import { LONG_TEXT_MAX, NAME_MAX, PHONE_MAX, SHORT_TEXT_MAX } from '../limits.ts';
import { abilities, id, instant, requiredText, text } from './shared.ts';
import { agencyKind, countyFips } from './directory.ts';

export const phoneNumber = z
  .string()
  .trim()
  .max(PHONE_MAX, { message: `must be at most ${PHONE_MAX} characters` })
  .regex(/^\+?[0-9 ().-]{7,}$/, { message: 'must be a phone number, e.g. (816) 555-0142' });

export const operationType = z.enum(OPERATION_TYPES, { message: `must be one of ${OPERATION_TYPES.join(', ')}` });
export const operationStatus = z.enum(OPERATION_STATUSES);

export const locationInput = z.object({
  label: requiredText(SHORT_TEXT_MAX),
  countyFips,
  lat: z.number({ message: 'must be a latitude' }).min(-90, { message: 'must be a latitude between -90 and 90' }).max(90, { message: 'must be a latitude between -90 and 90' }),
  lng: z.number({ message: 'must be a longitude' }).min(-180, { message: 'must be a longitude between -180 and 180' }).max(180, { message: 'must be a longitude between -180 and 180' }),
  radiusM: z.number().int({ message: 'must be whole meters' }).min(25, { message: 'must be at least 25 meters' }).max(MAX_RADIUS_M, { message: `must be at most ${MAX_RADIUS_M} meters` }).optional(),
});

export const participantInput = z.object({
  agencyId: id,
  role: z.enum(PARTICIPANT_ROLES.filter((r) => r !== 'lead') as ['participant', 'victim_services', 'child_welfare'], {
    message: 'must be participant, victim_services or child_welfare',
  }),
});

export const subjectInput = z.object({
  kind: z.enum(SUBJECT_KINDS, { message: `must be one of ${SUBJECT_KINDS.join(', ')}` }),
  value: requiredText(SHORT_TEXT_MAX),
});

export const commanderInput = z.object({
  userId: id.optional().nullable(),
  name: requiredText(NAME_MAX),
  phone: phoneNumber,
});

const planFields = {
  name: requiredText(NAME_MAX),
  type: operationType,
  startsAt: instant,
  endsAt: instant,
  locations: z.array(locationInput).min(1, { message: 'at least one location is required' }).max(20),
  participants: z.array(participantInput).max(50),
  commander: commanderInput,
  subjects: z.array(subjectInput).max(100),
  briefing: text(LONG_TEXT_MAX).nullable(),
  investigationHold: z.boolean(),
  assignedUserIds: z.array(id).max(200),
};

const windowInOrder = (v: { startsAt?: string; endsAt?: string }) => !v.startsAt || !v.endsAt || Date.parse(v.endsAt) > Date.parse(v.startsAt);
const windowMessage = { message: 'must be after the start', path: ['endsAt'] };

export const planOperationInput = z
  .object({
    taskForceId: id,
    ...planFields,
    participants: planFields.participants.default([]),
    subjects: planFields.subjects.default([]),
    briefing: planFields.briefing.optional(),
    investigationHold: planFields.investigationHold.default(true),
    assignedUserIds: planFields.assignedUserIds.default([]),
  })
  .refine(windowInOrder, windowMessage);
export type PlanOperationInput = z.infer<typeof planOperationInput>;

export const updateOperationInput = z
  .object({ ...planFields, version: z.number().int().min(1).optional() })
  .partial()
  .refine((v) => Object.keys(v).some((k) => k !== 'version'), { message: 'at least one field is required' })
  .refine(windowInOrder, windowMessage);
export type UpdateOperationInput = z.infer<typeof updateOperationInput>;

export const reasonInput = z.object({ reason: requiredText(SHORT_TEXT_MAX) });
export const resolveConflictInput = z.object({ note: requiredText(SHORT_TEXT_MAX) });
/**
 * The operations list's filters (issue #9, item 5): status, name, a window (operations whose window meets
 * [from, to)), an agency taking part (lead or participant) and a county one of its places lies in.
 */
export const operationListQuery = z
  .object({
    status: operationStatus.optional(),
    q: text(100).optional(),
    from: instant.optional(),
    to: instant.optional(),
    agencyId: id.optional(),
    county: countyFips.optional(),
  })
  .refine((v) => !v.from || !v.to || Date.parse(v.to) > Date.parse(v.from), { message: 'must be after the start of the range', path: ['to'] });
export type OperationListQuery = z.infer<typeof operationListQuery>;

export const conflictDto = z.object({
  id,
  kind: z.enum(['place', 'subject']),
  status: z.enum(['open', 'resolved', 'waived', 'cleared']),
  detectedAt: z.string(),
  /** What of this operation's own plan is involved. */
  mine: z.object({ type: z.enum(['location', 'subject']), label: z.string() }),
  /**
   * Only who to call: the other side's plan is never shown. When the other operation is the caller's
   * own agency's, it is named too (`sameAgency`, `operationId`, `operationName`): "your agency's operation X".
   */
  other: z.object({
    agencyName: z.string(),
    commanderName: z.string(),
    commanderPhone: z.string(),
    sameAgency: z.boolean(),
    operationId: id.nullable(),
    operationName: z.string().nullable(),
  }),
  /**
   * Whether the conflict calls for action now: open, and both operations live. An open conflict with a
   * closed or past operation only informs: it does not stop a start.
   */
  blocking: z.boolean(),
  resolution: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type ConflictDto = z.infer<typeof conflictDto>;

export const operationDto = z.object({
  id,
  name: z.string(),
  type: operationType,
  status: operationStatus,
  startsAt: z.string(),
  endsAt: z.string(),
  taskForce: z.object({ id, name: z.string() }),
  leadAgency: z.object({ id, name: z.string() }),
  participants: z.array(z.object({ agencyId: id, name: z.string(), kind: agencyKind, role: z.enum(PARTICIPANT_ROLES) })),
  commander: z.object({ userId: id.nullable(), name: z.string(), phone: z.string() }),
  locations: z.array(z.object({ id, label: z.string(), countyFips: z.string(), countyName: z.string().nullable(), lat: z.number(), lng: z.number(), radiusM: z.number() })),
  /** Present for those who may read the operation's person-level records. */
  subjects: z.array(z.object({ id, kind: z.enum(SUBJECT_KINDS), value: z.string() })).nullable(),
  /** Null when the caller is not assigned (the briefing is for the assigned only). */
  briefing: z.string().nullable(),
  briefingRestricted: z.boolean(),
  investigationHold: z.boolean(),
  assignments: z.array(z.object({ userId: id, name: z.string(), agencyName: z.string() })),
  conflicts: z.array(conflictDto),
  contacts: z.number(),
  approvedAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  abilities,
});
export type OperationDto = z.infer<typeof operationDto>;

export const operationSummaryDto = z.object({
  id,
  name: z.string(),
  type: operationType,
  status: operationStatus,
  startsAt: z.string(),
  endsAt: z.string(),
  leadAgency: z.object({ id, name: z.string() }),
  investigationHold: z.boolean(),
  openConflicts: z.number(),
  contacts: z.number(),
});

export const inboxItemDto = z.object({
  id,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  recordType: z.string().nullable(),
  recordId: z.string().nullable(),
  operationId: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type InboxItemDto = z.infer<typeof inboxItemDto>;
