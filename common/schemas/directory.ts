import { z } from 'zod';
import { AGENCY_KINDS, ROLES } from '../roles.ts';
import { NAME_MAX, PHONE_MAX, SHORT_NAME_MAX, SHORT_TEXT_MAX } from '../limits.ts';
import { abilities, email, id, personName, requiredText, text } from './shared.ts';

/** County FIPS: two-digit state + three-digit county, e.g. 29095 for Jackson County, Missouri. */
export const countyFips = z.string().regex(/^\d{5}$/, { message: 'must be a five-digit county FIPS code' });

/** NCIC Originating Agency Identifier: two letters of state then seven characters. */
export const ori = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}[A-Z0-9]{7}$/, { message: 'must be a nine-character ORI, e.g. MO0480300' });

export const agencyKind = z.enum(AGENCY_KINDS, { message: `must be one of ${AGENCY_KINDS.join(', ')}` });
export const role = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });

const agencyFields = z.object({
  name: requiredText(NAME_MAX),
  shortName: text(SHORT_NAME_MAX).optional().nullable(),
  kind: agencyKind,
  ori: ori.optional().nullable(),
  counties: z.array(countyFips).max(200),
});

export const createAgencyInput = agencyFields.extend({ counties: agencyFields.shape.counties.default([]) });
export type CreateAgencyInput = z.infer<typeof createAgencyInput>;

// No defaults here: a field left out of a change must stay as it is (a default would overwrite it).
export const updateAgencyInput = agencyFields.partial().refine((v) => Object.keys(v).length > 0, {
  message: 'at least one field is required',
});
export type UpdateAgencyInput = z.infer<typeof updateAgencyInput>;

export const agencyDto = z.object({
  id,
  name: z.string(),
  shortName: z.string().nullable(),
  kind: agencyKind,
  ori: z.string().nullable(),
  counties: z.array(z.string()),
  createdAt: z.string(),
  abilities: abilities.optional(),
});
export type AgencyDto = z.infer<typeof agencyDto>;

export const createTaskForceInput = z.object({
  name: requiredText(NAME_MAX),
  description: text(SHORT_TEXT_MAX).optional(),
  leadAgencyId: id,
  memberAgencyIds: z.array(id).max(500).default([]),
});
export type CreateTaskForceInput = z.infer<typeof createTaskForceInput>;

export const updateTaskForceInput = z
  .object({ name: requiredText(NAME_MAX), description: text(SHORT_TEXT_MAX) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one field is required' });

export const taskForceMemberInput = z.object({ agencyId: id });

export const taskForceDto = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  leadAgencyId: id,
  members: z.array(z.object({ agencyId: id, name: z.string(), kind: agencyKind, joinedAt: z.string() })),
  createdAt: z.string(),
  abilities: abilities.optional(),
});
export type TaskForceDto = z.infer<typeof taskForceDto>;

export const createUserInput = z.object({
  email,
  displayName: personName,
  agencyId: id,
  roles: z.array(role).min(1, { message: 'at least one role is required' }).max(7),
  phone: text(PHONE_MAX).optional(),
  platformAdmin: z.boolean().default(false),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const updateUserInput = z
  .object({
    displayName: personName,
    roles: z.array(role).min(1, { message: 'at least one role is required' }).max(7),
    phone: text(PHONE_MAX).nullable(),
    disabled: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one field is required' });
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const userDto = z.object({
  id,
  email: z.string(),
  displayName: z.string(),
  agencyId: id,
  agencyName: z.string(),
  roles: z.array(role),
  platformAdmin: z.boolean(),
  phone: z.string().nullable().optional(),
  mfaEnrolled: z.boolean(),
  locked: z.boolean(),
  disabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  abilities: abilities.optional(),
});
export type UserDto = z.infer<typeof userDto>;

/** Returned once when an administrator creates an account: the temporary password is never shown again. */
export const createdUserDto = userDto.extend({ temporaryPassword: z.string() });

export const userListQuery = z.object({
  agencyId: id.optional(),
  q: text(100).optional(),
});

/** The member agencies' coordinators, whom partners call to plan together (task-force members only). */
export const taskForceContactsDto = z.object({
  taskForceId: id,
  agencies: z.array(
    z.object({
      agencyId: id,
      name: z.string(),
      kind: agencyKind,
      contacts: z.array(z.object({ userId: id, name: z.string(), email: z.string(), phone: z.string().nullable() })),
    }),
  ),
});
export type TaskForceContactsDto = z.infer<typeof taskForceContactsDto>;
