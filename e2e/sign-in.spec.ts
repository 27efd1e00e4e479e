import { request } from '@playwright/test';
import { enterSecurityCode, submitPassword } from './support/auth.ts';
import { expect, test } from './support/fixtures.ts';

test.describe('sign-in with MFA', () => {
  test('the coordinator signs in with a password and a code, sees who and where they are, and signing out ends the session', async ({
    page,
    demo,
    backend,
    baseURL,
  }) => {
    const coordinator = demo.coordinator;

    await page.goto('/home');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Lantern' })).toBeVisible();

    await submitPassword(page, coordinator.email, coordinator.password);
    await expect(page).toHaveURL(/\/sign-in\/mfa$/);
    await enterSecurityCode(page, backend, coordinator);

    await expect(page).toHaveURL(`${baseURL}/home`);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Corey' })).toBeVisible();
    await expect(page.getByText('You are signed in for Oak Grove Police Department.')).toBeVisible();
    const header = page.getByRole('banner');
    await expect(header).toContainText('Corey Coordinator (demo)');
    await expect(header).toContainText('Oak Grove Police Department');
    await expect(header).toContainText('Task force: West Missouri Human Trafficking Task Force');
    await expect(page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Task forces' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Users' })).toHaveCount(0);

    // The session lives in an HttpOnly, SameSite=Strict cookie (not Secure here: the test server is plain HTTP).
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'lantern_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await header.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?reason=signedOut$/);
    await expect(page.getByRole('status').filter({ hasText: 'You have signed out.' })).toBeVisible();

    // The session ended on the server, not just in this browser: its old cookie no longer works.
    const stale = await request.newContext({ baseURL, storageState: { cookies, origins: [] } });
    expect((await stale.get('/api/me')).status()).toBe(401);
    await stale.dispose();

    await page.goBack();
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Lantern' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Lantern' })).toBeVisible();
    await expect(page.getByText('Corey Coordinator (demo)')).toHaveCount(0);
  });

  test('a wrong password is refused with a message that does not say whether the account exists', async ({ page, demo }) => {
    await submitPassword(page, demo.analyst.email, 'not the right password at all');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('You could not be signed in');
    await expect(alert).toContainText('Email or password is incorrect.');
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  });

  test('a wrong code keeps the user on the code page with the error beside the field', async ({ page, demo }) => {
    await submitPassword(page, demo.caseworker.email, demo.caseworker.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Enter your security code' })).toBeVisible();
    await page.getByLabel('6-digit code').fill('12345');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByLabel('6-digit code')).toHaveAccessibleDescription(/Enter the 6 digits from your authenticator app\./);
    await expect(page).toHaveURL(/\/sign-in\/mfa$/);
  });
});
