import { submitPassword } from './support/auth.ts';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { totpCode } from './support/totp.ts';
import { tick } from './support/uswds.ts';

test.describe('user administration', () => {
  test.use({ signedInAs: 'admin' });

  test('an agency admin adds an officer, who signs in with the temporary password, sets up MFA and must choose a new password', async ({
    page,
    pageAs,
    baseURL,
  }) => {
    const suffix = uniqueSuffix();
    const firstName = `Riley${suffix}`;
    const name = `${firstName} Rookie`;
    const email = `rookie-${suffix}@demo.lantern.test`;

    // The admin adds the account.
    await page.goto('/admin/users');
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await page.getByRole('link', { name: 'Add user' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Add a user' })).toBeVisible();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Full name').fill(name);
    const agency = page.getByLabel('Agency', { exact: true });
    if (await agency.isVisible()) await expect(agency.locator('option:checked')).toHaveText('Oak Grove Police Department');
    await tick(page.getByRole('checkbox', { name: /^Officer/ }));
    await page.getByRole('button', { name: 'Add user' }).click();

    await expect(page.getByRole('heading', { level: 1, name: `${name} has been added` })).toBeVisible();
    await expect(page.getByText('This password is shown only once.')).toBeVisible();
    const temporaryPassword = (await page.locator('.lantern-secret').textContent())?.trim() ?? '';
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(15);
    await expectAccessible(page, 'new user: temporary password');
    const goToAccount = page.getByRole('button', { name: 'Go to their account' });
    await expect(goToAccount).toBeDisabled();
    await tick(page.getByLabel('I have given this password to them, or noted it to hand over'));
    await goToAccount.click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByText('Authenticator not set up').first()).toBeVisible();
    await expect(page.locator('.lantern-secret')).toHaveCount(0);

    // The new officer signs in for the first time: set up the authenticator, save recovery codes.
    const newcomer = await pageAs(null);
    await submitPassword(newcomer, email, temporaryPassword);
    await expect(newcomer).toHaveURL(/\/sign-in\/enrol$/);
    await expect(newcomer.getByRole('heading', { level: 1, name: 'Set up your authenticator' })).toBeVisible();
    await expect(newcomer.getByRole('img', { name: /QR code for adding Lantern/ })).toBeVisible();
    const secret = ((await newcomer.locator('.lantern-secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await newcomer.getByLabel('6-digit code from the app').fill(totpCode(secret, new Date()));
    await newcomer.getByRole('button', { name: 'Finish set-up' }).click();

    await expect(newcomer.getByRole('heading', { level: 1, name: 'Your authenticator is set up' })).toBeVisible();
    await expect(newcomer.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
    await expectAccessible(newcomer, 'enrolment: recovery codes');
    const continueButton = newcomer.getByRole('button', { name: 'Continue to Lantern' });
    await expect(continueButton).toBeDisabled();
    await tick(newcomer.getByLabel('I have saved these codes somewhere safe'));
    await continueButton.click();

    // A temporary password is good for one thing: choosing a new one.
    await expect(newcomer).toHaveURL(/\/account$/);
    await expect(newcomer.getByRole('heading', { level: 2, name: 'Choose a new password to continue' })).toBeVisible();
    await expectAccessible(newcomer, 'account: must change password');
    await newcomer.goto('/admin/task-forces');
    await expect(newcomer).toHaveURL(/\/account$/);

    const newPassword = newcomer.getByLabel('New password', { exact: true });
    await newcomer.getByLabel('Current password').fill(temporaryPassword);
    await newPassword.fill('correct horse battery staple');
    await newcomer.getByLabel('Type the new password again').fill('correct horse battery staple');
    await newcomer.getByRole('button', { name: 'Change password' }).click();
    await expect(newPassword).toHaveAttribute('aria-invalid', 'true');
    await expect(newPassword).toHaveAccessibleDescription(/New password is a commonly used password; choose another/);
    await expect(newcomer.locator('#new-password-error')).toHaveText(/commonly used password/);

    const chosen = `quiet maple harbor ${suffix} at dawn`;
    await newcomer.getByLabel('Current password').fill(temporaryPassword);
    await newPassword.fill(chosen);
    await newcomer.getByLabel('Type the new password again').fill(chosen);
    await newcomer.getByRole('button', { name: 'Change password' }).click();
    await expect(newcomer.getByText('Your password has been changed.')).toBeVisible();
    await expect(newcomer.getByRole('heading', { name: 'Choose a new password to continue' })).toHaveCount(0);

    await newcomer.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Home' }).click();
    await expect(newcomer).toHaveURL(`${baseURL}/home`);
    await expect(newcomer.getByRole('heading', { level: 1, name: `Welcome, ${firstName}` })).toBeVisible();
    await expect(newcomer.getByRole('banner')).toContainText('Oak Grove Police Department');

    // The admin now sees the account as an active officer.
    await page.goto(`/admin/users?q=${suffix}`);
    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText('Officer');
    await expect(row).toContainText('Active');
  });
});
