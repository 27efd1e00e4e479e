import type { AppContext } from '../../context.ts';
import { auditActor, hasRole, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import { hashPassword, newTemporaryPassword } from '../../auth/passwords.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { ROLE_AGENCY_KINDS, ROLE_LABELS, type AgencyKind, type Role } from '../../../common/roles.ts';
import type { CreateUserInput, UpdateUserInput, UserDto } from '../../../common/schemas/directory.ts';
import { unsafeAgencyById } from '../agencies/agencies.service.ts';
import { roleChangeRefusal, userPolicy, type UserRecord } from './users.policy.ts';
import * as q from './users.queries.ts';
import { checkWorkPhone } from './users.phone.ts';

const record = (row: { id: string; agency_id: string; is_platform_admin: number }): UserRecord => ({
  id: row.id,
  agencyId: row.agency_id,
  platformAdmin: row.is_platform_admin === 1,
});

function toDto(ctx: AppContext, row: q.UserListRow, actor: Actor): UserDto {
  const abilities = abilitiesFor(actor, userPolicy, record(row));
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    roles: (row.roles ?? '').split(',').filter(Boolean).sort() as Role[],
    platformAdmin: row.is_platform_admin === 1,
    // The work phone is shown to those who may edit the account, and to coordinators, who see their
    // own and partner agencies' staff (usersVisibleTo) to name an operation's commander and call them.
    phone: abilities['user.update'] || hasRole(actor, 'coordinator') ? unseal(ctx.keyring, 'app_user', 'phone', row.id, row.phone) : null,
    mfaEnrolled: row.totp_secret !== null,
    locked: Boolean(row.locked),
    disabled: row.disabled_at !== null,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    abilities,
  };
}

/** Roles must fit the agency: advocates only in victim services, caseworkers only in child welfare. */
function checkRolesFit(roles: readonly Role[], kind: AgencyKind) {
  for (const role of roles) {
    if (!ROLE_AGENCY_KINDS[role].includes(kind)) {
      throw invalid('roles', `${ROLE_LABELS[role]} is not a role in a ${kind.replace('_', ' ')} agency`);
    }
  }
}

export async function listUsers(ctx: AppContext, actor: Actor, filter: { agencyId?: string | undefined; q?: string | undefined }) {
  const rows = await q.list(ctx.db, ctx.dialect, actor, filter);
  return {
    users: rows.map((r) => toDto(ctx, r, actor)),
    abilities: { 'user.create': abilitiesFor(actor, userPolicy, { id: '', agencyId: actor.agencyId, platformAdmin: false })['user.create'] ?? false },
  };
}

async function loadVisible(ctx: AppContext, actor: Actor, id: string, db: Queryable = ctx.db) {
  const row = await q.findVisible(db, ctx.dialect, actor, id);
  if (!row) throw notFound('user');
  return row;
}

export async function getUser(ctx: AppContext, actor: Actor, id: string) {
  return toDto(ctx, await loadVisible(ctx, actor, id), actor);
}

/**
 * Opens an account with a temporary password shown once to the administrator; at first sign-in the
 * person sets up MFA and chooses their own password.
 */
export async function createUser(ctx: AppContext, actor: Actor, input: CreateUserInput, meta: RequestMeta) {
  authorize(actor, userPolicy, 'user.create', { id: '', agencyId: input.agencyId, platformAdmin: input.platformAdmin });
  const agency = await unsafeAgencyById(ctx.db, input.agencyId);
  if (!agency) throw invalid('agencyId', 'no agency has this id');
  const roles = [...new Set(input.roles)];
  checkRolesFit(roles, agency.kind as AgencyKind);
  if (await q.findByEmail(ctx.db, input.email)) throw conflict('email: an account with this email already exists', 'email');
  const phone = checkWorkPhone(input.phone);
  const temporaryPassword = newTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db
      .insertInto('app_user')
      .values({
        id,
        agency_id: agency.id,
        email: input.email,
        display_name: input.displayName,
        phone: seal(ctx.keyring, 'app_user', 'phone', id, phone),
        password_hash: passwordHash,
        must_change_password: 1,
        password_changed_at: now,
        totp_secret: null,
        totp_pending_secret: null,
        totp_enrolled_at: null,
        totp_last_step: null,
        is_platform_admin: input.platformAdmin ? 1 : 0,
        disabled_at: null,
        enabled_at: null,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await q.replaceRoles(tx.db, id, agency.id, roles, now);
    tx.audit({ action: 'user.create', recordType: 'user', recordId: id, recordAgencyId: agency.id, changedFields: ['email', 'displayName', 'roles', ...(input.phone ? ['phone'] : []), ...(input.platformAdmin ? ['platformAdmin'] : [])], detail: { roles: roles.join(',') } });
  });
  return { ...(await getUser(ctx, actor, id)), temporaryPassword };
}

export async function updateUser(ctx: AppContext, actor: Actor, id: string, input: UpdateUserInput, meta: RequestMeta) {
  const row = await loadVisible(ctx, actor, id);
  const target = record(row);
  const now = ctx.clock.now().toISOString();
  const changes: Record<string, unknown> = {};
  const changed: string[] = [];
  if (input.displayName !== undefined || input.phone !== undefined) {
    authorize(actor, userPolicy, 'user.update', target);
    if (input.displayName !== undefined) {
      changes.display_name = input.displayName;
      changed.push('displayName');
    }
    if (input.phone !== undefined) {
      changes.phone = seal(ctx.keyring, 'app_user', 'phone', id, checkWorkPhone(input.phone));
      changed.push('phone');
    }
  }
  let roles: Role[] | null = null;
  if (input.roles !== undefined) {
    const refusal = roleChangeRefusal(actor, target);
    if (refusal) throw forbidden(refusal);
    roles = [...new Set(input.roles)];
    checkRolesFit(roles, row.agency_kind as AgencyKind);
    const before = (row.roles ?? '').split(',');
    if (before.includes('admin') && !roles.includes('admin')) {
      if (Number((await q.countAdmins(ctx.db, row.agency_id)).n) <= 1) throw conflict('roles: this is the agency\'s last administrator', 'roles');
    }
    changed.push('roles');
  }
  if (input.disabled !== undefined) {
    authorize(actor, userPolicy, 'user.disable', target);
    changes.disabled_at = input.disabled ? (row.disabled_at ?? now) : null;
    if (!input.disabled && row.disabled_at) changes.enabled_at = now;
    changed.push('disabled');
  }
  if (changed.length === 0) return toDto(ctx, row, actor);
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db.updateTable('app_user').set({ ...changes, updated_at: now }).where('id', '=', id).execute();
    if (roles) {
      await q.replaceRoles(tx.db, id, row.agency_id, roles, now);
      const before = new Set((row.roles ?? '').split(',').filter(Boolean));
      tx.audit({
        action: 'user.changeRoles',
        recordType: 'user',
        recordId: id,
        recordAgencyId: row.agency_id,
        changedFields: ['roles'],
        detail: { added: roles.filter((r) => !before.has(r)).join(','), removed: [...before].filter((r) => !roles!.includes(r as Role)).join(',') },
      });
    }
    // A disabled account's sessions end now, not at their timeout.
    if (input.disabled) await tx.db.deleteFrom('session').where('user_id', '=', id).execute();
    const other = changed.filter((f) => f !== 'roles');
    if (other.length) {
      tx.audit({
        action: other.includes('disabled') ? 'user.disable' : 'user.update',
        recordType: 'user',
        recordId: id,
        recordAgencyId: row.agency_id,
        changedFields: other,
        // Says which way it went: the same action records disabling and enabling again.
        ...(input.disabled !== undefined ? { detail: { disabled: input.disabled } } : {}),
      });
    }
  });
  return getUser(ctx, actor, id);
}

/** Lifts the lockout after five failed sign-ins (CJIS 5.9.5: until an administrator unlocks it). */
export async function unlockUser(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const row = await loadVisible(ctx, actor, id);
  authorize(actor, userPolicy, 'user.unlock', record(row));
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db.deleteFrom('login_lock').where('email', '=', row.email).execute();
    await tx.db.deleteFrom('login_failure').where('email', '=', row.email).execute();
    tx.audit({ action: 'user.unlock', recordType: 'user', recordId: id, recordAgencyId: row.agency_id, changedFields: ['locked'] });
  });
  return getUser(ctx, actor, id);
}

/** For a lost phone: the person sets up MFA again at the next sign-in; every session ends. */
export async function resetMfa(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const row = await loadVisible(ctx, actor, id);
  authorize(actor, userPolicy, 'user.resetMfa', record(row));
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db
      .updateTable('app_user')
      .set({ totp_secret: null, totp_pending_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await tx.db.deleteFrom('recovery_code').where('user_id', '=', id).execute();
    await tx.db.deleteFrom('session').where('user_id', '=', id).execute();
    tx.audit({ action: 'user.resetMfa', recordType: 'user', recordId: id, recordAgencyId: row.agency_id, changedFields: ['totpSecret', 'recoveryCodes'] });
  });
  return getUser(ctx, actor, id);
}

export async function resetPassword(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const row = await loadVisible(ctx, actor, id);
  authorize(actor, userPolicy, 'user.resetPassword', record(row));
  const temporaryPassword = newTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db.updateTable('app_user').set({ password_hash: passwordHash, must_change_password: 1, password_changed_at: now, updated_at: now }).where('id', '=', id).execute();
    await tx.db.deleteFrom('session').where('user_id', '=', id).execute();
    tx.audit({ action: 'user.resetPassword', recordType: 'user', recordId: id, recordAgencyId: row.agency_id, changedFields: ['password'] });
  });
  return { temporaryPassword };
}
