/**
 * Issue #9, the administrator's first week: the audit log is searched by a person's name and an action
 * chosen from the list; a lockout reads as a failure; times and the day filters are in the admin's time
 * zone and agree; records are named, not shown as ids. The users page offers only the admin's agency.
 * At desktop and phone width, axe-clean.
 */
import { request } from '@playwright/test';
import { createUser, me } from './support/api.ts';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';

/** The day as a date input reads it in the browser's zone (Playwright runs it in Chicago time). */
const chicagoDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test.describe(`admin, first week (${label})`, () => {
    test.use({ signedInAs: 'admin', viewport });

    test('finds a locked-out person by name and the action from the list: a failure, named, in local time', async ({ page, baseURL }) => {
      const suffix = uniqueSuffix();
      const name = `Lee Lockout ${suffix}`;
      const email = `lockout-${suffix}@demo.lantern.test`;
      const { agency } = await me(page.request);
      await createUser(page.request, { email, displayName: name, agencyId: agency.id, roles: ['officer'] });
      // Five wrong passwords lock the account.
      const visitor = await request.newContext({ baseURL });
      for (let i = 1; i <= 5; i++) await visitor.post('/api/auth/login', { data: { email, password: `wrong passphrase ${i} for the e2e test` } });
      await visitor.dispose();

      // The users page filters only by the agencies this admin manages: theirs alone, so no agency filter.
      await page.goto('/admin/users');
      await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
      await expect(page.getByLabel('Agency', { exact: true })).toHaveCount(0);

      await page.goto('/admin/audit');
      await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
      await page.getByLabel('Person', { exact: true }).fill(`lockout ${suffix}`);
      await page.getByLabel('Action', { exact: true }).selectOption('auth.lockout');
      const today = chicagoDay(Date.now());
      await page.getByLabel('From', { exact: true }).fill(today);
      await page.getByLabel('To', { exact: true }).fill(today);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page).toHaveURL(/[?&]action=auth\.lockout/);

      const table = page.getByRole('table', { name: /Audit log entries.*America\/Chicago/ });
      const rows = table.locator('tbody tr');
      await expect(rows).toHaveCount(1);
      const row = rows.first();
      await expect(row.locator('td[data-label="Outcome"]')).toHaveText('Failure');
      await expect(row.locator('td[data-label="Record"]')).toHaveText(`User ${name}`);
      await expect(row.locator('td[data-label="Action"]')).toHaveText('auth.lockout');
      // The time is the admin's (Central), and the row falls on the day the filter named.
      const time = row.locator('time');
      await expect(time).toHaveText(/C[SD]T$/);
      const at = Date.parse((await time.getAttribute('datetime'))!);
      expect(chicagoDay(at)).toBe(today);
      // (The header row is hidden on a phone, where each cell carries its own label.)
      await expect(table.locator('thead th').first()).toHaveText('Time (America/Chicago)');
      await expectAccessible(page, `audit log: a lockout (${label})`);

      // The person's own sign-in failures, by their name: each one a failure, named by its person.
      await page.getByLabel('Action', { exact: true }).selectOption('auth.login');
      await page.getByLabel('Person', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page).toHaveURL(/[?&]action=auth\.login/);
      await expect(rows.first()).toBeVisible();
      for (const outcome of await rows.locator('td[data-label="Outcome"]').allTextContents()) expect(outcome.trim()).toBe('Failure');
      await expect(rows.first().locator('td[data-label="User"]')).toHaveText(name);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    });
  });
}
