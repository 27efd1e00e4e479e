import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { checkCurrentCode, replaceRecoveryCodes } from '../../auth/auth.service.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../auth/passwords.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { getUser, updateUser } from '../users/users.service.ts';

/** The actor's own sessions, newest first, so they can spot one they do not recognize. */
export async function listSessions(ctx: AppContext, actor: Actor) {
  const rows = await ctx.db
    .selectFrom('session')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent', 'stage'])
    .where('user_id', '=', actor.userId)
    .where('stage', '=', 'active')
    .orderBy('last_seen_at', 'desc')
    .execute();
  return {
    sessions: rows.map((r) => ({
      // The stored id is already a hash of the cookie; a shortened form of it names the session.
      id: r.id.slice(0, 16),
      current: r.id === actor.sessionId,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      ip: r.ip,
      userAgent: r.user_agent,
    })),
  };
}

/** "Sign out my other sessions": every session but this one ends on the server at once. */
export async function revokeOtherSessions(ctx: AppContext, actor: Actor, meta: RequestMeta) {
  return ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    const result = await tx.db.deleteFrom('session').where('user_id', '=', actor.userId).where('id', '!=', actor.sessionId).executeTakeFirst();
    const revoked = Number(result.numDeletedRows);
    tx.audit({ action: 'auth.sessionRevoke', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, detail: { scope: 'others', revoked } });
    return { ok: true as const, revoked };
  });
}

export async function revokeSession(ctx: AppContext, actor: Actor, shortId: string, meta: RequestMeta) {
  const sessions = await ctx.db.selectFrom('session').select('id').where('user_id', '=', actor.userId).execute();
  const target = sessions.find((s) => s.id.slice(0, 16) === shortId);
  if (!target) throw notFound('session');
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db.deleteFrom('session').where('id', '=', target.id).execute();
    tx.audit({ action: 'auth.sessionRevoke', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, detail: { scope: 'one', current: target.id === actor.sessionId } });
  });
  return { ok: true as const };
}

/** Changes the password; every other session ends, since the old password may be what leaked. */
export async function changePassword(ctx: AppContext, actor: Actor, input: { currentPassword: string; newPassword: string }, meta: RequestMeta) {
  const user = await ctx.db.selectFrom('app_user').select(['password_hash']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await ctx.audit.record({ actor: auditActor(actor), meta }, { action: 'auth.passwordChange', outcome: 'failure', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId });
    throw invalid('currentPassword', 'is not your current password');
  }
  const problem = passwordProblem(input.newPassword, { email: actor.email, name: actor.displayName });
  if (problem) throw invalid('newPassword', problem);
  if (await verifyPassword(user.password_hash, input.newPassword)) throw invalid('newPassword', 'must differ from your current password');
  const hash = await hashPassword(input.newPassword);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db.updateTable('app_user').set({ password_hash: hash, must_change_password: 0, password_changed_at: now, updated_at: now }).where('id', '=', actor.userId).execute();
    await tx.db.deleteFrom('session').where('user_id', '=', actor.userId).where('id', '!=', actor.sessionId).execute();
    tx.audit({ action: 'auth.passwordChange', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, changedFields: ['password'] });
  });
  return { ok: true as const };
}

/** New recovery codes need a current authenticator code, so a walk-up to an open screen is not enough. */
export async function regenerateRecoveryCodes(ctx: AppContext, actor: Actor, code: string, meta: RequestMeta) {
  const step = await checkCurrentCode(ctx, actor.userId, code).catch(async (err: unknown) => {
    await ctx.audit.record({ actor: auditActor(actor), meta }, { action: 'auth.recoveryCodesRegenerated', outcome: 'failure', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId });
    throw err;
  });
  return ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    const used = await tx.db
      .updateTable('app_user')
      .set({ totp_last_step: step })
      .where('id', '=', actor.userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new AppError('invalid_code', 400, 'code: was already used; wait for the next one', 'code');
    const recoveryCodes = await replaceRecoveryCodes(ctx, tx.db, actor.userId);
    tx.audit({ action: 'auth.recoveryCodesRegenerated', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, changedFields: ['recoveryCodes'] });
    return { recoveryCodes };
  });
}

/** The actor's own work phone, as the account page shows it. */
export async function getWorkPhone(ctx: AppContext, actor: Actor) {
  return { phone: (await getUser(ctx, actor, actor.userId)).phone ?? null };
}

/**
 * Sets (or, given null or blank, clears) the actor's own work phone. It goes through the users
 * service, so the number is checked the one way (libphonenumber-js `isValid()`: a 400 naming `phone`),
 * sealed, and audited as `user.update` of `phone` like an administrator's change.
 */
export async function setWorkPhone(ctx: AppContext, actor: Actor, phone: string | null, meta: RequestMeta) {
  return { phone: (await updateUser(ctx, actor, actor.userId, { phone }, meta)).phone ?? null };
}
