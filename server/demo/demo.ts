import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.ts';
import { hashPassword, newTemporaryPassword } from '../auth/passwords.ts';
import { newTotpSecret } from '../auth/mfa.ts';
import { newId } from '../lib/ids.ts';
import { seal } from '../lib/sealed.ts';
import { loadDemoOperations } from './demo-operations.ts';
import { loadDemoPressRelease } from './demo-disclosure.ts';
import { publishDemoStatistics, type DemoStatisticsOptions } from './demo-statistics.ts';
import { DEMO_AGENCIES, DEMO_EMAIL_DOMAIN, DEMO_OTHER_TASK_FORCE, DEMO_STATE, DEMO_TASK_FORCE, DEMO_USERS } from './demo-directory.ts';
import { loadDemoTips } from './demo-tips.ts';
import { loadDemoBusinesses } from './demo-businesses.ts';
import { loadDemoClients } from './demo-clients.ts';

export interface DemoAccount {
  email: string;
  password: string;
  totpSecret: string;
  role: string;
  agency: string;
  platformAdmin?: boolean;
}

export const demoAccountsFile = (ctx: AppContext) => path.join(ctx.config.dataDir, 'demo-accounts.json');

const who = { actor: null, meta: { ip: null, userAgent: 'lantern demo', requestId: null } };

/**
 * Loads the demo task force: the story's agencies, one task force, one account per role with MFA
 * already set up. Idempotent: a second run keeps what is there. The accounts' passwords and TOTP
 * secrets go to demo-accounts.json (mode 0600) so a newcomer can sign in; only this command writes it.
 */
export async function loadDemo(ctx: AppContext, opts: DemoStatisticsOptions = {}): Promise<{ created: boolean; accounts: DemoAccount[]; file: string }> {
  // The demo is one Missouri task force's story: its agencies serve Missouri counties, its operations are in Oak Grove.
  if (ctx.jurisdiction.state.postal !== DEMO_STATE) {
    throw new Error(`The demo is a Missouri task force's story: load it with LANTERN_STATE=${DEMO_STATE} (LANTERN_STATE is ${ctx.jurisdiction.state.postal}).`);
  }
  const file = demoAccountsFile(ctx);
  const existing = await ctx.db.selectFrom('setting').select('value').where('key', '=', 'demo.loaded').executeTakeFirst();
  if (existing && fs.existsSync(file)) {
    await loadDemoOperations(ctx);
    await loadDemoPressRelease(ctx);
    await publishDemoStatistics(ctx, opts);
    await loadDemoTips(ctx);
    await loadDemoBusinesses(ctx);
    await loadDemoClients(ctx);
    return { created: false, accounts: JSON.parse(fs.readFileSync(file, 'utf8')) as DemoAccount[], file };
  }
  const now = ctx.clock.now().toISOString();
  const agencyIds = new Map<string, string>();
  const accounts: DemoAccount[] = [];

  await ctx.audit.transact(who, async (tx) => {
    for (const a of DEMO_AGENCIES) {
      const found = await tx.db.selectFrom('agency').select('id').where('name', '=', a.name).executeTakeFirst();
      if (found) {
        agencyIds.set(a.key, found.id);
        continue;
      }
      const id = newId();
      agencyIds.set(a.key, id);
      await tx.db
        .insertInto('agency')
        .values({ id, name: a.name, short_name: a.shortName, kind: a.kind, ori: null, counties: JSON.stringify(a.counties), created_at: now, updated_at: now })
        .execute();
      tx.audit({ action: 'agency.create', recordType: 'agency', recordId: id, recordAgencyId: id, detail: { source: 'demo' } });
    }

    const members = (other: boolean) => DEMO_AGENCIES.filter((a) => !!a.otherTaskForce === other).map((a) => agencyIds.get(a.key)!);
    let taskForce = await tx.db.selectFrom('task_force').select('id').where('name', '=', DEMO_TASK_FORCE.name).executeTakeFirst();
    if (!taskForce) {
      taskForce = { id: newId() };
      const lead = agencyIds.get(DEMO_TASK_FORCE.leadKey)!;
      await tx.db
        .insertInto('task_force')
        .values({ id: taskForce.id, agency_id: lead, name: DEMO_TASK_FORCE.name, description: DEMO_TASK_FORCE.description, created_at: now, updated_at: now })
        .execute();
      await tx.db
        .insertInto('task_force_member')
        .values(members(false).map((agencyId) => ({ task_force_id: taskForce!.id, agency_id: agencyId, joined_at: now })))
        .execute();
      tx.audit({ action: 'taskForce.create', recordType: 'task_force', recordId: taskForce.id, recordAgencyId: lead, detail: { source: 'demo', members: members(false).length } });
    }
    if (!(await tx.db.selectFrom('task_force').select('id').where('name', '=', DEMO_OTHER_TASK_FORCE.name).executeTakeFirst())) {
      const id = newId();
      const lead = agencyIds.get(DEMO_OTHER_TASK_FORCE.leadKey)!;
      await tx.db
        .insertInto('task_force')
        .values({ id, agency_id: lead, name: DEMO_OTHER_TASK_FORCE.name, description: DEMO_OTHER_TASK_FORCE.description, created_at: now, updated_at: now })
        .execute();
      await tx.db
        .insertInto('task_force_member')
        .values(members(true).map((agencyId) => ({ task_force_id: id, agency_id: agencyId, joined_at: now })))
        .execute();
      tx.audit({ action: 'taskForce.create', recordType: 'task_force', recordId: id, recordAgencyId: lead, detail: { source: 'demo', members: members(true).length } });
    }

    for (const u of DEMO_USERS) {
      const email = `${u.local}@${DEMO_EMAIL_DOMAIN}`;
      const agencyId = agencyIds.get(u.agencyKey)!;
      const agencyName = DEMO_AGENCIES.find((a) => a.key === u.agencyKey)!.name;
      const password = `demo-${newTemporaryPassword()}`;
      const totpSecret = newTotpSecret();
      const passwordHash = await hashPassword(password);
      const found = await tx.db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst();
      const id = found?.id ?? newId();
      const credentials = {
        password_hash: passwordHash,
        must_change_password: 0,
        password_changed_at: now,
        totp_secret: seal(ctx.keyring, 'app_user', 'totp_secret', id, totpSecret),
        totp_pending_secret: null,
        totp_enrolled_at: now,
        totp_last_step: null,
        disabled_at: null,
        updated_at: now,
      };
      if (found) {
        // The accounts file was lost: issue fresh credentials so the demo stays usable.
        await tx.db.updateTable('app_user').set(credentials).where('id', '=', id).execute();
        await tx.db.deleteFrom('login_lock').where('email', '=', email).execute();
        tx.audit({ action: 'user.resetPassword', recordType: 'user', recordId: id, recordAgencyId: agencyId, changedFields: ['password', 'totpSecret'], detail: { source: 'demo' } });
      } else {
        await tx.db
          .insertInto('app_user')
          .values({ id, agency_id: agencyId, email, display_name: u.name, phone: null, is_platform_admin: u.platformAdmin ? 1 : 0, enabled_at: null, last_login_at: null, created_at: now, ...credentials })
          .execute();
        await tx.db
          .insertInto('membership')
          .values(u.roles.map((role) => ({ user_id: id, agency_id: agencyId, role, created_at: now })))
          .execute();
        tx.audit({ action: 'user.create', recordType: 'user', recordId: id, recordAgencyId: agencyId, detail: { source: 'demo', roles: u.roles.join(',') } });
      }
      accounts.push({ email, password, totpSecret, role: u.roles[0]!, agency: agencyName, ...(u.platformAdmin ? { platformAdmin: true } : {}) });
    }

    await tx.db
      .insertInto('setting')
      .values({ key: 'demo.loaded', value: now, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: now, updated_at: now }))
      .execute();
  });

  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(accounts, null, 2) + '\n', { mode: 0o600 });
  await loadDemoOperations(ctx);
  await loadDemoPressRelease(ctx);
  await publishDemoStatistics(ctx, opts);
  await loadDemoTips(ctx);
  await loadDemoBusinesses(ctx);
  await loadDemoClients(ctx);
  return { created: true, accounts, file };
}
