import type { Page } from '@playwright/test';
import { findUser } from './support/api.ts';
import { signInThroughUi, submitPassword } from './support/auth.ts';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';

const LOCKED = 'This account is locked after too many failed sign-in attempts. Ask your agency administrator to unlock it.';

/** Five wrong passwords in a row for one email; returns the text of the alert after the fifth. */
async function failFiveTimes(page: Page, email: string): Promise<string> {
  const alert = page.getByRole('alert');
  for (let attempt = 1; attempt <= 5; attempt++) {
    await submitPassword(page, email, `wrong passphrase number ${attempt} for e2e`);
    if (attempt < 5) {
      await expect(alert).toContainText('You could not be signed in');
      await expect(alert).toContainText('Email or password is incorrect.');
    }
  }
  await expect(alert).toContainText('Your account is locked');
  await expect(alert).toContainText(LOCKED);
  return (await alert.innerText()).replace(/\s+/g, ' ').trim();
}

test.describe('lockout', () => {
  test.use({ signedInAs: 'admin' });

  test('five wrong passwords lock an account, an unknown email gets the same message, and the admin unlocks it', async ({
    page,
    pageAs,
    demo,
    backend,
    baseURL,
  }) => {
    const pio = demo.pio;
    // A retry may find the account still locked by the first attempt: start from unlocked.
    const before = await findUser(page.request, pio.email);
    if (before.locked) expect((await page.request.post(`/api/users/${before.id}/unlock`, { data: {} })).ok()).toBe(true);

    const visitor = await pageAs(null);
    const lockedMessage = await failFiveTimes(visitor, pio.email);
    await expectAccessible(visitor, 'sign-in: locked');

    // Someone guessing at an address with no account sees exactly the same thing.
    const unknownMessage = await failFiveTimes(visitor, `nobody-${uniqueSuffix()}@demo.lantern.test`);
    expect(unknownMessage).toBe(lockedMessage);

    // While locked, even the right password is refused.
    await submitPassword(visitor, pio.email, pio.password);
    await expect(visitor.getByRole('alert')).toContainText(LOCKED);
    await expect(visitor).toHaveURL(/\/sign-in$/);

    // The agency admin sees the lock and lifts it.
    await page.goto('/admin/users');
    const row = page.getByRole('row', { name: /Pat Information \(demo\)/ });
    await expect(row.getByText('Locked after 5 failed sign-ins')).toBeVisible();
    await expectAccessible(page, 'users: with a locked account');
    await row.getByRole('link', { name: 'Pat Information (demo)' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pat Information (demo)' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Locked after 5 failed sign-ins' })).toBeVisible();
    await page.getByRole('button', { name: 'Unlock account' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The account has been unlocked.' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Locked after 5 failed sign-ins' })).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Users' }).click();
    await expect(page.getByRole('row', { name: /Pat Information \(demo\)/ }).getByText('Locked after 5 failed sign-ins')).toHaveCount(0);

    // And the user is back in.
    await signInThroughUi(visitor, backend, pio);
    await expect(visitor).toHaveURL(`${baseURL}/home`);
    await expect(visitor.getByRole('heading', { level: 1, name: 'Welcome, Pat' })).toBeVisible();
  });
});
