import { signInThroughApi } from './support/auth.ts';
import { expectAccessible } from './support/axe.ts';
import { expect, test } from './support/fixtures.ts';
import { withTotpCode, wrongTotpCode } from './support/totp.ts';
import { tick } from './support/uswds.ts';

test.describe('account page', () => {
  test('lists sessions, signs out the other ones after a confirmation, and asks for a code before new recovery codes', async ({
    pageAs,
    demo,
    backend,
    baseURL,
  }) => {
    const officer = demo.officer;
    // Signed in somewhere else too (another browser, as far as the server can tell).
    const elsewhere = await signInThroughApi(baseURL!, backend, officer);
    const page = await pageAs('officer');

    await page.goto('/account');
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
    const sessions = page.getByRole('table', { name: 'Your signed-in sessions' });
    const rows = sessions.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    await expect(rows.filter({ hasText: 'This browser' })).toHaveCount(1);
    await expectAccessible(page, 'account');

    // Asking first, and "Cancel" changes nothing.
    const signOutOthers = page.getByRole('button', { name: 'Sign out my other sessions' });
    await signOutOthers.click();
    const dialog = page.getByRole('dialog', { name: 'Sign out your other sessions?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(/other sessions? will end at once\. This browser stays signed in\./);
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectAccessible(page, 'account: confirm signing out other sessions');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect((await elsewhere.get('/api/me')).status()).toBe(200);

    await signOutOthers.click();
    await dialog.getByRole('button', { name: 'Sign out my other sessions' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Your other sessions have been signed out.' })).toBeVisible();
    await expect(rows).toHaveCount(1);
    await expect(page.getByText('You are not signed in anywhere else.')).toBeVisible();
    expect((await elsewhere.get('/api/me')).status()).toBe(401);
    await elsewhere.dispose();

    // New recovery codes: not without a code, not with a wrong one.
    const code = page.getByLabel('6-digit code from your authenticator app');
    const regenerate = page.getByRole('button', { name: 'Get new recovery codes' });
    await regenerate.click();
    await expect(code).toHaveAttribute('aria-invalid', 'true');
    await expect(code).toHaveAccessibleDescription(/Enter the 6 digits from your authenticator app\./);

    await code.fill(wrongTotpCode(officer.totpSecret));
    await regenerate.click();
    await expect(code).toHaveAccessibleDescription(/is not the current code from your authenticator app/);
    await expect(page.getByRole('list', { name: 'Recovery codes' })).toHaveCount(0);

    await withTotpCode(backend, officer, async (current) => {
      await code.fill(current);
      await regenerate.click();
      await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
    });
    await expect(page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
    await expectAccessible(page, 'account: new recovery codes');
    await tick(page.getByLabel('I have saved these codes somewhere safe'));
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Your new recovery codes are in effect.' })).toBeVisible();
  });
});
