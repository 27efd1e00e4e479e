import { z } from 'zod';
import { PASSWORD_MAX, PHONE_MAX } from '../limits.ts';
import { abilities, email, id, text } from './shared.ts';
import { agencyKind, role } from './directory.ts';

export const loginInput = z.object({
  email,
  // Length rules are checked when a password is set; at login any string up to the maximum is tried.
  password: z.string().min(1, { message: 'is required' }).max(PASSWORD_MAX, { message: `must be at most ${PASSWORD_MAX} characters` }),
});

export const loginResponse = z.object({
  mfaRequired: z.literal(true),
  enrolmentRequired: z.boolean(),
});

export const mfaInput = z.object({
  code: z
    .string()
    .trim()
    .min(6, { message: 'must be the 6-digit code from your authenticator app, or a recovery code' })
    .max(32, { message: 'must be the 6-digit code from your authenticator app, or a recovery code' }),
});

export const mfaResponse = z.object({
  ok: z.literal(true),
  /** Present only when this step finished enrolment: shown once. */
  recoveryCodes: z.array(z.string()).optional(),
});

export const enrolmentResponse = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});

export const passwordChangeInput = z.object({
  currentPassword: z.string().min(1, { message: 'is required' }).max(PASSWORD_MAX),
  newPassword: z.string().max(PASSWORD_MAX, { message: `must be at most ${PASSWORD_MAX} characters` }),
});

/**
 * The account page's work phone, set by the person themself: plans, referrals and hand-offs fill the
 * officer's callback number from it. Empty or null clears it; the server checks it can be dialed.
 */
export const workPhoneInput = z.object({ phone: text(PHONE_MAX).nullable() });
export const workPhoneDto = z.object({ phone: z.string().nullable() });
export type WorkPhoneDto = z.infer<typeof workPhoneDto>;

export const recoveryCodesInput = z.object({ code: mfaInput.shape.code });
export const recoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()) });

export const sessionDto = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export const meDto = z.object({
  user: z.object({
    id,
    email: z.string(),
    displayName: z.string(),
    roles: z.array(role),
    platformAdmin: z.boolean(),
    /** Set when an administrator issued a temporary password: the UI asks for a new one first. */
    mustChangePassword: z.boolean(),
  }),
  agency: z.object({ id, name: z.string(), kind: agencyKind }),
  taskForces: z.array(z.object({ id, name: z.string() })),
  session: z.object({ idleExpiresAt: z.string(), absoluteExpiresAt: z.string() }),
  /** What the navigation may offer: resource-level abilities, not per-record ones. */
  abilities,
});
export type MeDto = z.infer<typeof meDto>;
