import fs from 'node:fs';
import path from 'node:path';
import { expect, request, type APIRequestContext, type Page } from '@playwright/test';
import { demoAccounts, type Credentials, type DemoUser } from './accounts.ts';
import { dataDirOf, type Backend } from './env.ts';
import { withFileLock } from './locks.ts';
import { withTotpCode } from './totp.ts';

export type StorageState = Awaited<ReturnType<APIRequestContext['storageState']>>;

/** Sign-in, step one, through the form. Leaves the page wherever the app goes next. */
export async function submitPassword(page: Page, email: string, password: string): Promise<void> {
  if (new URL(page.url()).pathname !== '/sign-in') await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Sign-in, step two, on the MFA page: a fresh code, submitted while no other worker uses one for this user. */
export async function enterSecurityCode(page: Page, backend: Backend, who: Credentials): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Enter your security code' })).toBeVisible();
  await withTotpCode(backend, who, async (code) => {
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page).not.toHaveURL(/\/sign-in/);
  });
}

/** Both steps through the UI, for an account whose authenticator is already set up. */
export async function signInThroughUi(page: Page, backend: Backend, who: Credentials): Promise<void> {
  await submitPassword(page, who.email, who.password);
  await enterSecurityCode(page, backend, who);
}

/** Both steps through the API; the returned request context carries the session cookie. */
export async function signInThroughApi(baseURL: string, backend: Backend, who: Credentials): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL });
  const login = await api.post('/api/auth/login', { data: { email: who.email, password: who.password } });
  expect(login.status(), `POST /api/auth/login for ${who.email}: ${await login.text()}`).toBe(200);
  expect(await login.json()).toMatchObject({ mfaRequired: true, enrolmentRequired: false });
  await withTotpCode(backend, who, async (code) => {
    const mfa = await api.post('/api/auth/mfa', { data: { code } });
    expect(mfa.status(), `POST /api/auth/mfa for ${who.email}: ${await mfa.text()}`).toBe(200);
  });
  return api;
}

/**
 * A signed-in session for a demo user, for tests that are not about signing in. One session per user
 * and back end is shared by every test and worker; it is checked before each reuse and replaced when
 * something (a test signing out other sessions) has ended it.
 */
export async function storageStateFor(backend: Backend, baseURL: string, who: DemoUser): Promise<StorageState> {
  const dir = path.join(dataDirOf(backend), 'e2e-states');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${who}.json`);
  return withFileLock(path.join(dir, `${who}.lock`), async () => {
    if (fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as StorageState;
      const check = await request.newContext({ baseURL, storageState: saved });
      const me = await check.get('/api/me');
      await check.dispose();
      if (me.ok()) return saved;
    }
    const api = await signInThroughApi(baseURL, backend, demoAccounts(backend)[who]);
    const state = await api.storageState();
    await api.dispose();
    fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
    return state;
  });
}
