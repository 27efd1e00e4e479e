import type { AppContext } from '../context.ts';
import type { RequestMeta } from '../audit/audit.ts';
import { forUpdate, lockUntilCommit, type Queryable, type Trx } from '../db/database.ts';
import { AppError, invalid, unauthenticated } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { seal, unseal } from '../lib/sealed.ts';
import { ACCOUNT_DORMANT_MS, LOCKOUT_ATTEMPTS, LOCKOUT_WINDOW_MS, TEMPORARY_PASSWORD_MS } from '../../common/limits.ts';
import { decoy, verifyPassword } from './passwords.ts';
import { matchTotp, newRecoveryCodes, recoveryCodeHash, recoveryCodeLookups, newTotpSecret, qrSvg, totpUri } from './mfa.ts';
import { startSession, type ResolvedSession } from './sessions.ts';
import { fileLockoutNotices } from '../modules/notifications/notifications.notices.ts';

const BAD_CREDENTIALS = 'Email or password is incorrect.';
const LOCKED =
  'This account is locked after too many failed sign-in attempts. Ask your agency administrator to unlock it.';

const lockedError = () => new AppError('locked', 423, LOCKED);
/** Why a sign-in step that had passed its checks was refused when it came to write. */
type Refusal = { refused: 'locked' | 'disabled' };

const disabledError = () => new AppError('disabled', 403, 'This account is disabled. Ask your agency administrator to enable it.');

async function isLocked(db: Queryable, email: string) {
  return (await db.selectFrom('login_lock').select('email').where('email', '=', email).executeTakeFirst()) !== undefined;
}

/**
 * Makes the sign-in steps of one email take turns until the transaction ends: counting a failure,
 * issuing a half-signed-in session and completing MFA. Without it, concurrent failures each count the
 * others as not yet committed (and none locks), and a right password racing the fifth wrong one
 * issues a session after the lock.
 */
const signInTurn = (ctx: AppContext, trx: Trx, email: string) => lockUntilCommit(ctx.dialect, trx, `sign-in:${email}`);

/**
 * Counts a failed attempt against the email (whether or not an account has it) and locks it at the
 * fifth within 15 minutes (CJIS 5.9.5 AC-7), holding the email's sign-in turn so that concurrent
 * failures count one after another. Locking revokes the account's half-signed-in sessions, so a
 * password accepted a moment before the lock cannot go on to MFA. Returns whether the email is now
 * locked, and whether this attempt locked it.
 */
async function countFailure(ctx: AppContext, db: Trx, email: string, meta: RequestMeta): Promise<{ locked: boolean; newlyLocked: boolean }> {
  await signInTurn(ctx, db, email);
  const now = ctx.clock.now();
  await db.insertInto('login_failure').values({ id: newId(), email, at: now.toISOString(), ip: meta.ip }).execute();
  const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  const { n } = await db
    .selectFrom('login_failure')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(n) < LOCKOUT_ATTEMPTS) return { locked: false, newlyLocked: false };
  const inserted = await db.insertInto('login_lock').values({ email, locked_at: now.toISOString() }).onConflict((oc) => oc.column('email').doNothing()).executeTakeFirst();
  await db
    .deleteFrom('session')
    .where('stage', '!=', 'active')
    .where('user_id', 'in', (eb) => eb.selectFrom('app_user').select('id').where('email', '=', email))
    .execute();
  return { locked: true, newlyLocked: Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1 };
}

export interface LoginResult {
  token: string;
  enrolmentRequired: boolean;
}

/**
 * First factor. Every failure answers the same way whether or not the account exists, and costs the
 * same argon2 work, so the sign-in form cannot be used to find out who has an account.
 */
export async function login(ctx: AppContext, email: string, password: string, meta: RequestMeta): Promise<LoginResult> {
  const who = { actor: null, meta };
  if (await isLocked(ctx.db, email)) {
    await decoy();
    await ctx.audit.record(who, { action: 'auth.login', outcome: 'failure', detail: { email, reason: 'locked' } });
    throw lockedError();
  }
  const user = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'agency_id', 'password_hash', 'totp_secret', 'disabled_at', 'enabled_at', 'last_login_at', 'created_at', 'must_change_password', 'password_changed_at'])
    .where('email', '=', email)
    .executeTakeFirst();
  const ok = user ? await verifyPassword(user.password_hash, password) : (await verifyPassword(await decoy(), password), false);

  if (!user || !ok) {
    const locked = await ctx.audit.transact(who, async (tx) => {
      const counted = await countFailure(ctx, tx.db, email, meta);
      const actor = user ? { userId: user.id, agencyId: user.agency_id } : null;
      tx.audit({ action: 'auth.login', outcome: 'failure', actor, recordType: user ? 'user' : undefined, recordId: user?.id, recordAgencyId: user?.agency_id, detail: { email, reason: 'bad_credentials' } });
      if (counted.newlyLocked) tx.audit({ action: 'auth.lockout', outcome: 'success', actor, recordType: user ? 'user' : undefined, recordId: user?.id, recordAgencyId: user?.agency_id, detail: { email } });
      if (counted.newlyLocked && user) await fileLockoutNotices(tx.db, ctx, { userId: user.id, agencyId: user.agency_id });
      return counted.locked;
    });
    if (locked) throw lockedError();
    throw unauthenticated('invalid_credentials', BAD_CREDENTIALS);
  }

  const actor = { userId: user.id, agencyId: user.agency_id };
  const now = ctx.clock.now();
  const lastUse = Math.max(...[user.last_login_at, user.enabled_at, user.created_at].map((t) => (t ? Date.parse(t) : 0)));
  if (!user.disabled_at && now.getTime() - lastUse > ACCOUNT_DORMANT_MS) {
    // DESIGN.md §5: accounts unused for 90 days are disabled.
    await ctx.audit.transact(who, async (tx) => {
      await tx.db.updateTable('app_user').set({ disabled_at: now.toISOString(), updated_at: now.toISOString() }).where('id', '=', user.id).execute();
      tx.audit({ action: 'user.disable', actor, recordType: 'user', recordId: user.id, recordAgencyId: user.agency_id, changedFields: ['disabled'], detail: { reason: 'dormant_90_days' } });
    });
    user.disabled_at = now.toISOString();
  }
  if (user.disabled_at) {
    await ctx.audit.record(who, { action: 'auth.login', outcome: 'failure', actor, recordType: 'user', recordId: user.id, recordAgencyId: user.agency_id, detail: { reason: 'disabled' } });
    throw disabledError();
  }

  if (user.must_change_password === 1 && now.getTime() - Date.parse(user.password_changed_at) > TEMPORARY_PASSWORD_MS) {
    await ctx.audit.record(who, { action: 'auth.login', outcome: 'failure', actor, recordType: 'user', recordId: user.id, recordAgencyId: user.agency_id, detail: { reason: 'temporary_password_expired' } });
    throw new AppError('temporary_password_expired', 403, 'This temporary password has expired. Ask your agency administrator for a new one.');
  }

  const enrolmentRequired = user.totp_secret === null;
  // The lock and the account were read before the (slow) hash: read them again in the email's sign-in
  // turn, with the account's row held, so that a lock counted or a disable committed meanwhile is seen.
  // The failure count is not reset here but after MFA: a right password alone is half a sign-in, and
  // resetting at it would let someone who knows the password guess codes without end.
  const issued = await ctx.audit.transact<Refusal | { token: string }>(who, async (tx) => {
    await signInTurn(ctx, tx.db, email);
    if (await isLocked(tx.db, email)) return { refused: 'locked' as const };
    const fresh = await forUpdate(ctx.dialect, tx.db.selectFrom('app_user').select('disabled_at').where('id', '=', user.id)).executeTakeFirst();
    if (!fresh || fresh.disabled_at) return { refused: 'disabled' as const };
    const t = await startSession(tx.db, ctx, user.id, enrolmentRequired ? 'enrol' : 'mfa', meta);
    tx.audit({ action: 'auth.login', outcome: 'success', actor, recordType: 'user', recordId: user.id, recordAgencyId: user.agency_id, detail: { step: 'password' } });
    return { token: t };
  });
  if ('refused' in issued) {
    await ctx.audit.record(who, { action: 'auth.login', outcome: 'failure', actor, recordType: 'user', recordId: user.id, recordAgencyId: user.agency_id, detail: { email, reason: issued.refused } });
    if (issued.refused === 'locked') throw lockedError();
    throw disabledError();
  }
  return { token: issued.token, enrolmentRequired };
}

/** Starts (or restarts) enrolment: a new secret, held as pending until a code from it is confirmed. */
export async function beginEnrolment(ctx: AppContext, session: ResolvedSession, meta: RequestMeta) {
  if (session.stage !== 'enrol') throw new AppError('not_enrolling', 409, 'Two-step verification is already set up for this account.');
  const secret = newTotpSecret();
  const { actor } = session;
  await ctx.audit.transact({ actor: { userId: actor.userId, agencyId: actor.agencyId }, meta }, async (tx) => {
    await tx.db
      .updateTable('app_user')
      .set({ totp_pending_secret: seal(ctx.keyring, 'app_user', 'totp_pending_secret', actor.userId, secret), updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', actor.userId)
      .execute();
    tx.audit({ action: 'auth.mfaEnrol', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, changedFields: ['totpPendingSecret'], detail: { step: 'started' } });
  });
  const uri = totpUri(secret, actor.email);
  return { secret, otpauthUri: uri, qrSvg: await qrSvg(uri) };
}

export interface MfaResult {
  token: string;
  recoveryCodes?: string[];
}

/**
 * Second factor: a TOTP code (or, at the challenge, a recovery code). On success the half-signed-in
 * session is replaced by a new active one, so a session id seen before MFA is worth nothing after.
 * A locked or disabled account gets no session, whichever of the code and the lock comes first: the
 * last step runs in the email's sign-in turn, re-reads the lock and the account, and completes only if
 * its half-signed-in session still exists (a lock revokes it).
 */
export async function completeMfa(ctx: AppContext, session: ResolvedSession, code: string, meta: RequestMeta): Promise<MfaResult> {
  const { actor } = session;
  const auditActor = { userId: actor.userId, agencyId: actor.agencyId };
  const who = { actor: auditActor, meta };
  const now = ctx.clock.now();
  const user = await ctx.db
    .selectFrom('app_user')
    .select(['totp_secret', 'totp_pending_secret', 'totp_last_step'])
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  const enrolling = session.stage === 'enrol';
  if (await isLocked(ctx.db, actor.email)) {
    await ctx.audit.transact(who, async (tx) => {
      await tx.db.deleteFrom('session').where('id', '=', session.id).execute();
      tx.audit({ action: enrolling ? 'auth.mfaEnrol' : 'auth.mfa', outcome: 'failure', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, detail: { reason: 'locked' } });
    });
    throw lockedError();
  }
  const sealedSecret = enrolling ? user.totp_pending_secret : user.totp_secret;
  if (enrolling && !sealedSecret) throw new AppError('enrolment_not_started', 409, 'Start setting up two-step verification first.');
  const secret = unseal(ctx.keyring, 'app_user', enrolling ? 'totp_pending_secret' : 'totp_secret', actor.userId, sealedSecret!);
  const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
  const step = matchTotp(secret, code, now, lastStep);

  let recoveryCodeId: string | null = null;
  if (step === null && !enrolling && !/^\d{6}$/.test(code)) {
    const match = await ctx.db
      .selectFrom('recovery_code')
      .select('id')
      .where('user_id', '=', actor.userId)
      .where('code_hash', 'in', recoveryCodeLookups(ctx.keyring, actor.userId, code))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    recoveryCodeId = match?.id ?? null;
  }

  if (step === null && recoveryCodeId === null) {
    const locked = await ctx.audit.transact(who, async (tx) => {
      const counted = await countFailure(ctx, tx.db, actor.email, meta);
      tx.audit({ action: enrolling ? 'auth.mfaEnrol' : 'auth.mfa', outcome: 'failure', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId });
      // Wrong codes after a right password: whoever holds the password may not be its owner; every session ends.
      if (counted.locked) await tx.db.deleteFrom('session').where('user_id', '=', actor.userId).execute();
      if (counted.newlyLocked) tx.audit({ action: 'auth.lockout', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, detail: { email: actor.email } });
      if (counted.newlyLocked) await fileLockoutNotices(tx.db, ctx, { userId: actor.userId, agencyId: actor.agencyId });
      return counted.locked;
    });
    if (locked) throw lockedError();
    throw new AppError('invalid_code', 401, 'That code is not right, or was already used. Enter the current code from your authenticator app.', 'code');
  }

  const done = await ctx.audit.transact<Refusal | MfaResult>(who, async (tx) => {
    await signInTurn(ctx, tx.db, actor.email);
    if (await isLocked(tx.db, actor.email)) {
      await tx.db.deleteFrom('session').where('id', '=', session.id).execute();
      tx.audit({ action: enrolling ? 'auth.mfaEnrol' : 'auth.mfa', outcome: 'failure', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, detail: { reason: 'locked' } });
      return { refused: 'locked' as const };
    }
    // Re-read under lock: two tabs racing with the same code must not both succeed, and a disable
    // committed since this request looked its session up is seen.
    const fresh = await forUpdate(ctx.dialect, tx.db.selectFrom('app_user').select(['totp_last_step', 'disabled_at']).where('id', '=', actor.userId)).executeTakeFirstOrThrow();
    if (fresh.disabled_at) {
      await tx.db.deleteFrom('session').where('id', '=', session.id).execute();
      tx.audit({ action: enrolling ? 'auth.mfaEnrol' : 'auth.mfa', outcome: 'failure', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, detail: { reason: 'disabled' } });
      return { refused: 'disabled' as const };
    }
    // The half-signed-in session must still exist: a lock or an administrator may have revoked it.
    const ended = await tx.db.deleteFrom('session').where('id', '=', session.id).where('stage', '=', session.stage).executeTakeFirst();
    if (Number(ended.numDeletedRows) !== 1) throw unauthenticated('session_ended', 'This sign-in has ended. Sign in again.');
    if (step !== null && fresh.totp_last_step !== null && step <= Number(fresh.totp_last_step)) {
      throw new AppError('invalid_code', 401, 'That code was already used. Wait for the next one.', 'code');
    }
    const stamp = now.toISOString();
    let recoveryCodes: string[] | undefined;
    if (recoveryCodeId) {
      const used = await tx.db.updateTable('recovery_code').set({ used_at: stamp }).where('id', '=', recoveryCodeId).where('used_at', 'is', null).executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw new AppError('invalid_code', 401, 'That recovery code was already used.', 'code');
      tx.audit({ action: 'auth.recoveryCodeUsed', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId });
    }
    const changes: Record<string, unknown> = { last_login_at: stamp, updated_at: stamp };
    if (step !== null) changes.totp_last_step = step;
    if (enrolling) {
      changes.totp_secret = seal(ctx.keyring, 'app_user', 'totp_secret', actor.userId, secret);
      changes.totp_pending_secret = null;
      changes.totp_enrolled_at = stamp;
      recoveryCodes = await replaceRecoveryCodes(ctx, tx.db, actor.userId);
      tx.audit({ action: 'auth.mfaEnrol', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, changedFields: ['totpSecret', 'recoveryCodes'], detail: { step: 'confirmed' } });
    }
    await tx.db.updateTable('app_user').set(changes).where('id', '=', actor.userId).execute();
    // Signed in with both factors: the failures counted against the email start again from nothing.
    await tx.db.deleteFrom('login_failure').where('email', '=', actor.email).execute();
    const token = await startSession(tx.db, ctx, actor.userId, 'active', meta);
    tx.audit({ action: 'auth.mfa', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId, detail: { method: recoveryCodeId ? 'recovery_code' : 'totp' } });
    return recoveryCodes ? { token, recoveryCodes } : { token };
  });
  if ('refused' in done) {
    if (done.refused === 'locked') throw lockedError();
    throw disabledError();
  }
  return done;
}

/** Issues a fresh set of recovery codes, invalidating the old ones; returns them in clear, once. */
export async function replaceRecoveryCodes(ctx: AppContext, db: Queryable, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  const now = ctx.clock.now().toISOString();
  await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_code')
    .values(codes.map((c) => ({ id: newId(), user_id: userId, code_hash: recoveryCodeHash(ctx.keyring, userId, c), used_at: null, created_at: now })))
    .execute();
  return codes;
}

export async function logout(ctx: AppContext, session: ResolvedSession | null, meta: RequestMeta) {
  if (!session) return;
  const { actor } = session;
  await ctx.audit.transact({ actor: { userId: actor.userId, agencyId: actor.agencyId }, meta }, async (tx) => {
    await tx.db.deleteFrom('session').where('id', '=', session.id).execute();
    tx.audit({ action: 'auth.logout', recordType: 'user', recordId: actor.userId, recordAgencyId: actor.agencyId });
  });
}

/** Used by the MFA verification of sensitive account actions (new recovery codes). */
export async function checkCurrentCode(ctx: AppContext, userId: string, code: string) {
  const user = await ctx.db.selectFrom('app_user').select(['totp_secret', 'totp_last_step']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (!user.totp_secret) throw invalid('code', 'two-step verification is not set up');
  const secret = unseal(ctx.keyring, 'app_user', 'totp_secret', userId, user.totp_secret);
  const step = matchTotp(secret, code, ctx.clock.now(), user.totp_last_step === null ? null : Number(user.totp_last_step));
  if (step === null) throw new AppError('invalid_code', 400, 'code: is not the current code from your authenticator app', 'code');
  return step;
}
