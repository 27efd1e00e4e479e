import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { NotificationPreferenceRow } from '../../db/schema/index.ts';
import type { NotificationPreferencesDto, UpdateNotificationPreferencesInput } from '../../../common/schemas/notifications.ts';
import * as q from './notifications.queries.ts';

type Preference = Omit<NotificationPreferencesDto, 'emailConfigured' | 'address'>;

/** A person's email choices; with no row, every email and at once (the safe default for a new account). */
export function preferenceOf(row: NotificationPreferenceRow | undefined): Preference {
  return {
    email: {
      custody: true,
      deconfliction: row ? row.email_deconfliction === 1 : true,
      pressReleases: row ? row.email_press_releases === 1 : true,
      account: row ? row.email_account === 1 : true,
    },
    delivery: row?.delivery === 'digest' ? 'digest' : 'immediate',
  };
}

const emailConfigured = (ctx: AppContext) => Boolean(ctx.config.smtpUrl && ctx.config.mailFrom);

/** The actor's own email choices. Everyone may read and change their own, and only their own. */
export async function getNotificationPreferences(ctx: AppContext, actor: Actor): Promise<NotificationPreferencesDto> {
  const row = await q.findPreference(ctx.db, actor.userId);
  return { emailConfigured: emailConfigured(ctx), address: actor.email, ...preferenceOf(row) };
}

/**
 * Saves the actor's email choices, audited. Custody deadline emails (RSMo 210.125.2's twelve-hour
 * statement) are not a choice: the input cannot turn them off, and the digest never holds them back.
 */
export async function updateNotificationPreferences(ctx: AppContext, actor: Actor, input: UpdateNotificationPreferencesInput, meta: RequestMeta): Promise<NotificationPreferencesDto> {
  const before = preferenceOf(await q.findPreference(ctx.db, actor.userId));
  const row: NotificationPreferenceRow = {
    user_id: actor.userId,
    email_deconfliction: input.email.deconfliction ? 1 : 0,
    email_press_releases: input.email.pressReleases ? 1 : 0,
    email_account: input.email.account ? 1 : 0,
    delivery: input.delivery,
    updated_at: ctx.clock.now().toISOString(),
  };
  const changed = [
    ...(['deconfliction', 'pressReleases', 'account'] as const).filter((g) => before.email[g] !== input.email[g]).map((g) => `email.${g}`),
    ...(before.delivery !== input.delivery ? ['delivery'] : []),
  ];
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await q.upsertPreference(tx.db, row);
    tx.audit({
      action: 'notifications.update',
      recordType: 'user',
      recordId: actor.userId,
      recordAgencyId: actor.agencyId,
      changedFields: changed,
      detail: { deconfliction: input.email.deconfliction, pressReleases: input.email.pressReleases, account: input.email.account, delivery: input.delivery },
    });
  });
  return getNotificationPreferences(ctx, actor);
}
