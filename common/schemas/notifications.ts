import { z } from 'zod';

/** Groups of notices a person may choose to get by email (issue #9, item 6). */
export const EMAIL_GROUPS = ['custody', 'deconfliction', 'pressReleases', 'account'] as const;
export type EmailGroup = (typeof EMAIL_GROUPS)[number];

export const EMAIL_DELIVERIES = ['immediate', 'digest'] as const;

export const notificationPreferencesDto = z.object({
  /** Whether this Lantern sends email at all (the operator set LANTERN_SMTP_URL). */
  emailConfigured: z.boolean(),
  /** Where the emails go: the account's address. */
  address: z.string(),
  email: z.object({
    custody: z.literal(true),
    deconfliction: z.boolean(),
    pressReleases: z.boolean(),
    account: z.boolean(),
  }),
  delivery: z.enum(EMAIL_DELIVERIES),
});
export type NotificationPreferencesDto = z.infer<typeof notificationPreferencesDto>;

export const updateNotificationPreferencesInput = z
  .object({
    email: z
      .object({
        custody: z.literal(true, { message: 'custody deadline emails cannot be turned off' }).optional(),
        deconfliction: z.boolean({ message: 'must be true or false' }),
        pressReleases: z.boolean({ message: 'must be true or false' }),
        account: z.boolean({ message: 'must be true or false' }),
      })
      .strict(),
    delivery: z.enum(EMAIL_DELIVERIES, { message: 'must be immediate or digest' }),
  })
  .strict();
export type UpdateNotificationPreferencesInput = z.infer<typeof updateNotificationPreferencesInput>;
