/**
 * The benches' data: the demo task force's agencies and task force (server/demo/demo-directory.ts) and
 * demo-like accounts with MFA set up. Written directly rather than through `loadDemo`, which also loads
 * the demo's records: the benches need only the directory, and seed in seconds.
 */
import type { AppContext } from '../../server/context.ts';
import { DEMO_AGENCIES, DEMO_EMAIL_DOMAIN, DEMO_TASK_FORCE, DEMO_USERS } from '../../server/demo/demo-directory.ts';
import { hashPassword, newTemporaryPassword } from '../../server/auth/passwords.ts';
import { newTotpSecret } from '../../server/auth/mfa.ts';
import { newId } from '../../server/lib/ids.ts';
import { seal } from '../../server/lib/sealed.ts';
import type { Role } from '../../common/roles.ts';

export interface BenchAccount {
  email: string;
  password: string;
  totpSecret: string;
}

/** The demo's agencies, all members of the demo task force; nothing when a kept database has them already. */
export async function seedDirectory(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<void> {
  if (await ctx.db.selectFrom('task_force').select('id').where('name', '=', DEMO_TASK_FORCE.name).executeTakeFirst()) return;
  const now = ctx.clock.now().toISOString();
  const ids = new Map(DEMO_AGENCIES.map((a) => [a.key, newId()]));
  const taskForceId = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('agency')
      .values(DEMO_AGENCIES.map((a) => ({ id: ids.get(a.key)!, name: a.name, short_name: a.shortName, kind: a.kind, ori: null, counties: JSON.stringify(a.counties), created_at: now, updated_at: now })))
      .execute();
    await trx
      .insertInto('task_force')
      .values({ id: taskForceId, agency_id: ids.get(DEMO_TASK_FORCE.leadKey)!, name: DEMO_TASK_FORCE.name, description: DEMO_TASK_FORCE.description, created_at: now, updated_at: now })
      .execute();
    await trx
      .insertInto('task_force_member')
      .values([...ids.values()].map((agencyId) => ({ task_force_id: taskForceId, agency_id: agencyId, joined_at: now })))
      .execute();
  });
}

/**
 * `count` accounts modelled on the demo's (its agencies and roles, platform administrator aside), each
 * with its own password and TOTP secret, so a login storm spreads over many accounts as a shift change
 * would. `as` picks one demo account to copy (`coordinator`: Oak Grove PD, a task force member).
 */
export async function createAccounts(ctx: AppContext, prefix: string, count: number, as?: string): Promise<BenchAccount[]> {
  const templates = DEMO_USERS.filter((u) => !u.platformAdmin && (!as || u.local === as));
  if (!templates.length) throw new Error(`no demo account ${as}`);
  const agencies = await ctx.db.selectFrom('agency').select(['id', 'name']).execute();
  const agencyId = new Map(agencies.map((a) => [a.name, a.id]));
  const now = ctx.clock.now().toISOString();
  const users = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const template = templates[i % templates.length]!;
      const agency = DEMO_AGENCIES.find((a) => a.key === template.agencyKey)!;
      const password = `demo-${newTemporaryPassword()}`;
      return {
        id: newId(),
        agencyId: agencyId.get(agency.name)!,
        email: `${prefix}-${String(i).padStart(4, '0')}-${template.local}@${DEMO_EMAIL_DOMAIN}`,
        name: `${template.name.replace(/ \(demo\)$/, '')} ${i} (demo)`,
        roles: template.roles as Role[],
        password,
        passwordHash: await hashPassword(password),
        totpSecret: newTotpSecret(),
      };
    }),
  );
  await ctx.db.transaction().execute(async (trx) => {
    for (const u of users) {
      await trx
        .insertInto('app_user')
        .values({
          id: u.id,
          agency_id: u.agencyId,
          email: u.email,
          display_name: u.name,
          phone: null,
          password_hash: u.passwordHash,
          must_change_password: 0,
          password_changed_at: now,
          totp_secret: seal(ctx.keyring, 'app_user', 'totp_secret', u.id, u.totpSecret),
          totp_pending_secret: null,
          totp_enrolled_at: now,
          totp_last_step: null,
          is_platform_admin: 0,
          disabled_at: null,
          enabled_at: null,
          last_login_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto('membership')
        .values(u.roles.map((role) => ({ user_id: u.id, agency_id: u.agencyId, role, created_at: now })))
        .execute();
    }
  });
  return users.map((u) => ({ email: u.email, password: u.password, totpSecret: u.totpSecret }));
}
