import type { Role, AgencyKind } from '../../common/roles.ts';
import { hashPassword } from '../auth/passwords.ts';
import { newTotpSecret, totpCode } from '../auth/mfa.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { newId } from '../lib/ids.ts';
import { seal } from '../lib/sealed.ts';
import type { TestEnv } from './harness.ts';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  totpSecret: string;
  agencyId: string;
  roles: Role[];
}

export interface World {
  agencies: Record<'lead' | 'partner' | 'advocates' | 'childWelfare' | 'outsider', string>;
  taskForceId: string;
  otherTaskForceId: string;
  users: Record<
    | 'platform'
    | 'leadAdmin'
    | 'coordinator'
    | 'officer'
    | 'analyst'
    | 'pio'
    | 'partnerAdmin'
    | 'partnerOfficer'
    | 'advocate'
    | 'caseworker'
    | 'outsiderAdmin'
    | 'outsiderCoordinator'
    | 'outsiderOfficer'
    | 'partnerCoordinator'
    | 'partnerAnalyst',
    TestUser
  >;
}

const PASSWORD_TAIL = 'river-lamp-quiet-otter';

export async function insertAgency(env: TestEnv, name: string, kind: AgencyKind) {
  const id = newId();
  const now = env.ctx.clock.now().toISOString();
  await env.ctx.db.insertInto('agency').values({ id, name, short_name: null, kind, ori: null, counties: '[]', created_at: now, updated_at: now }).execute();
  return id;
}

export async function insertTaskForce(env: TestEnv, name: string, leadId: string, memberIds: string[]) {
  const id = newId();
  const now = env.ctx.clock.now().toISOString();
  await env.ctx.db.insertInto('task_force').values({ id, agency_id: leadId, name, description: null, created_at: now, updated_at: now }).execute();
  await env.ctx.db
    .insertInto('task_force_member')
    .values([...new Set([leadId, ...memberIds])].map((agency_id) => ({ task_force_id: id, agency_id, joined_at: now })))
    .execute();
  return id;
}

/** An account with MFA set up; `enrolled: false` leaves MFA to be set up at first sign-in. */
export async function insertUser(
  env: TestEnv,
  agencyId: string,
  roles: Role[],
  opts: { email?: string; platformAdmin?: boolean; enrolled?: boolean; name?: string } = {},
): Promise<TestUser> {
  const id = newId();
  const email = opts.email ?? `${roles.join('-')}-${id.slice(-8)}@example.test`;
  const password = `${id.slice(-6)}-${PASSWORD_TAIL}`;
  const totpSecret = newTotpSecret();
  const now = env.ctx.clock.now().toISOString();
  const enrolled = opts.enrolled ?? true;
  await env.ctx.db
    .insertInto('app_user')
    .values({
      id,
      agency_id: agencyId,
      email,
      display_name: opts.name ?? `Test ${roles.join(' ')}`,
      phone: null,
      password_hash: await hashPassword(password),
      must_change_password: 0,
      password_changed_at: now,
      totp_secret: enrolled ? seal(env.ctx.keyring, 'app_user', 'totp_secret', id, totpSecret) : null,
      totp_pending_secret: null,
      totp_enrolled_at: enrolled ? now : null,
      totp_last_step: null,
      is_platform_admin: opts.platformAdmin ? 1 : 0,
      disabled_at: null,
      enabled_at: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await env.ctx.db
    .insertInto('membership')
    .values(roles.map((role) => ({ user_id: id, agency_id: agencyId, role, created_at: now })))
    .execute();
  return { id, email, password, totpSecret, agencyId, roles };
}

/** A task force of four agencies (police lead, partner police, advocates, child welfare) and one outsider. */
export async function seedWorld(env: TestEnv): Promise<World> {
  const lead = await insertAgency(env, 'Lead Police Department', 'law_enforcement');
  const partner = await insertAgency(env, 'Partner Highway Patrol', 'law_enforcement');
  const advocates = await insertAgency(env, 'Harbor Advocates', 'victim_services');
  const childWelfare = await insertAgency(env, "State Children's Division", 'child_welfare');
  const outsider = await insertAgency(env, 'Faraway Sheriff', 'law_enforcement');
  const taskForceId = await insertTaskForce(env, 'Test Task Force', lead, [partner, advocates, childWelfare]);
  const otherTaskForceId = await insertTaskForce(env, 'Other Task Force', outsider, []);
  const u = (agency: string, roles: Role[], opts = {}) => insertUser(env, agency, roles, opts);
  return {
    agencies: { lead, partner, advocates, childWelfare, outsider },
    taskForceId,
    otherTaskForceId,
    users: {
      platform: await u(lead, ['admin'], { platformAdmin: true }),
      leadAdmin: await u(lead, ['admin']),
      coordinator: await u(lead, ['coordinator']),
      officer: await u(lead, ['officer']),
      analyst: await u(lead, ['analyst']),
      pio: await u(lead, ['pio']),
      partnerAdmin: await u(partner, ['admin']),
      partnerOfficer: await u(partner, ['officer']),
      advocate: await u(advocates, ['advocate']),
      caseworker: await u(childWelfare, ['caseworker']),
      outsiderAdmin: await u(outsider, ['admin']),
      outsiderCoordinator: await u(outsider, ['coordinator']),
      outsiderOfficer: await u(outsider, ['officer']),
      // The partner agency's task-force roles: same task force, another agency (issue #7).
      partnerCoordinator: await u(partner, ['coordinator']),
      partnerAnalyst: await u(partner, ['analyst']),
    },
  };
}

export function cookieFrom(res: { cookies: { name: string; value: string }[] }): string | null {
  const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
  return c ? `${SESSION_COOKIE}=${c.value}` : null;
}

/** Signs in with password and TOTP; moves the test clock one step on so each code is fresh. */
export async function signIn(env: TestEnv, user: TestUser): Promise<string> {
  env.clock.advance(30_000);
  const login = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: user.password } });
  if (login.statusCode !== 200) throw new Error(`login failed for ${user.email}: ${login.statusCode} ${login.body}`);
  const pending = cookieFrom(login)!;
  const mfa = await env.app.inject({
    method: 'POST',
    url: '/api/auth/mfa',
    headers: { cookie: pending },
    payload: { code: totpCode(user.totpSecret, env.clock.now()) },
  });
  if (mfa.statusCode !== 200) throw new Error(`mfa failed for ${user.email}: ${mfa.statusCode} ${mfa.body}`);
  return cookieFrom(mfa)!;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** Requests as a signed-in user (or anonymously with `null`). */
export function as(env: TestEnv, cookie: string | null) {
  const send = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    env.app.inject({ method, url, headers: { ...headers, ...(cookie ? { cookie } : {}) }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    get: (url: string) => send('GET', url),
    /** `headers`: an `Idempotency-Key`, say. */
    post: (url: string, payload?: unknown, headers?: Record<string, string>) => send('POST', url, payload, headers),
    patch: (url: string, payload?: unknown) => send('PATCH', url, payload),
    delete: (url: string) => send('DELETE', url),
  };
}

/** The newest audit rows, newest first. */
export function latestAudit(env: TestEnv, limit = 5) {
  return env.ctx.db.selectFrom('audit_event').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Signs each user in once and reuses the session: `const client = await signedIn(user)`. */
export function sessionCache(env: TestEnv) {
  const cookies = new Map<string, string>();
  return async (user: TestUser) => {
    let cookie = cookies.get(user.id);
    if (!cookie) {
      cookie = await signIn(env, user);
      cookies.set(user.id, cookie);
    }
    return as(env, cookie);
  };
}

/** The audit rows of one action (optionally about one record), newest first (ids are UUIDv7, in creation order). */
export function auditRows(env: TestEnv, action: string, recordId?: string) {
  let q = env.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', action);
  if (recordId !== undefined) q = q.where('record_id', '=', recordId);
  return q.orderBy('id', 'desc').execute();
}
