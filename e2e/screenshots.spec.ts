/**
 * The README's screenshots, taken from the demo data on SQLite. Not part of the test run: take them
 * with `scripts/e2e.sh --grep @screenshots`, which writes docs/screenshots/*.png.
 */
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { createUser, me } from './support/api.ts';
import { submitPassword } from './support/auth.ts';
import { repoRoot } from './support/env.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { JOB_STEP_BUDGET_MS, JOB_WAIT } from './support/statistics-jobs.ts';

const OUT = path.join(repoRoot(), 'docs/screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

/** Takes the viewport, scrolled to the top or to put `scrollTo` near the top. */
async function shoot(page: Page, name: string, scrollTo?: Locator): Promise<void> {
  await expect(page.locator('.lantern-loading')).toHaveCount(0);
  // No caret or focus ring caught mid-blink.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  if (scrollTo) await scrollTo.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 24));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUT, name), animations: 'disabled', caret: 'hide' });
}

test.describe('README screenshots', { tag: '@screenshots' }, () => {
  // One after the other: the users list must not catch the account the set-up screenshot creates.
  test.describe.configure({ mode: 'default' });
  test.use({ viewport: DESKTOP });

  test('sign-in', async ({ page }) => {
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Lantern' })).toBeVisible();
    await shoot(page, 'sign-in.png');
  });

  test('coordinator home, desktop and phone', async ({ pageAs }) => {
    const page = await pageAs('coordinator');
    await page.goto('/home');
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Corey' })).toBeVisible();
    await shoot(page, 'home.png');
    await page.setViewportSize(PHONE);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Corey' })).toBeVisible();
    await shoot(page, 'home-phone.png');
  });

  test('users, as the agency admin', async ({ pageAs }) => {
    const page = await pageAs('admin');
    await page.goto('/admin/users');
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Users' }).locator('tbody tr').first()).toBeVisible();
    await shoot(page, 'users.png');
  });

  test('audit log, as the platform admin', async ({ pageAs }) => {
    const page = await pageAs('platform');
    await page.goto('/admin/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expect(page.getByRole('table', { name: /Audit log entries/ }).locator('tbody tr').first()).toBeVisible();
    // The search form fills the first screen; show it from the Search button down, with the entries.
    await shoot(page, 'audit.png', page.getByRole('button', { name: 'Search', exact: true }));
  });

  test('authenticator set-up at first sign-in', async ({ page, apiAs }) => {
    const admin = await apiAs('admin');
    const email = `jordan.reyes.${uniqueSuffix()}@demo.lantern.test`;
    const { temporaryPassword } = await createUser(admin, {
      email,
      displayName: 'Jordan Reyes',
      agencyId: (await me(admin)).agency.id,
      roles: ['officer'],
    });
    await submitPassword(page, email, temporaryPassword);
    await expect(page.getByRole('heading', { level: 1, name: 'Set up your authenticator' })).toBeVisible();
    await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
    await shoot(page, 'enrol.png');
  });

  test('the story’s operation: its outcome, and its field log at phone width', async ({ pageAs }) => {
    const page = await pageAs('coordinator');
    await page.goto('/operations');
    await page.getByRole('table').getByRole('link', { name: 'Operation Harvest Moon (demo)', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Operation Harvest Moon (demo)' })).toBeVisible();
    await page.getByRole('link', { name: 'Outcome', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Outcome' })).toBeVisible();
    await shoot(page, 'outcome.png');
    const operationPath = new URL(page.url()).pathname.replace(/\/outcome$/, '');
    const officer = await pageAs('officer');
    await officer.setViewportSize(PHONE);
    await officer.goto(`${operationPath}/field`);
    await expect(officer.getByRole('heading', { level: 1, name: 'Field log' })).toBeVisible();
    await expect(officer.getByRole('heading', { level: 2, name: '18 people contacted' })).toBeVisible();
    await shoot(officer, 'field-log-phone.png', officer.getByRole('heading', { level: 2, name: '18 people contacted' }));
  });

  test('the story’s press release in Lantern, and on the public site in Spanish', async ({ pageAs }) => {
    const page = await pageAs('pio');
    await page.goto('/press-releases');
    await expect(page.getByRole('heading', { level: 1, name: 'Press releases' })).toBeVisible();
    await page.getByRole('link', { name: /^Human trafficking operation in Oak Grove/ }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: /^Press release: Operation Harvest Moon/ })).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 1200 });
    await shoot(page, 'press-release.png');
    const reader = await pageAs(null);
    await reader.goto('/news?lang=es');
    await reader.getByRole('link', { name: /^Operativo contra la trata de personas en Oak Grove/ }).click();
    await expect(reader.locator('article')).toContainText('Cinco hombres adultos');
    await shoot(reader, 'news-es.png');
  });

  test('the PIO previews the next statistics release: what the audit would hide and why', async ({ pageAs }) => {
    // The server's release audit is the one long wait (issue #9, item 16): this test's budget is for it.
    test.setTimeout(JOB_STEP_BUDGET_MS);
    const pio = await pageAs('pio');
    await pio.setViewportSize({ width: 1280, height: 1300 });
    const preview = pio.getByRole('table', { name: 'Release 2, if published now' });
    await test.step('the preview job runs to its end', async () => {
      await pio.goto('/statistics/releases');
      await expect(pio.getByRole('heading', { level: 1, name: 'Public statistics' })).toBeVisible();
      await pio.getByRole('button', { name: 'Preview the next release' }).click();
      await expect(preview).toBeVisible(JOB_WAIT);
      await expect(pio.getByRole('progressbar')).toHaveCount(0);
    });
    await test.step('the screenshot', async () => {
      const protecting = pio.locator('summary', { hasText: /^Hidden to protect another count/ });
      if (await protecting.count()) await protecting.first().click();
      await shoot(pio, 'statistics-preview.png', preview);
    });
  });

  test('public statistics, with small counts hidden', async ({ pageAs }) => {
    const reader = await pageAs(null);
    await reader.setViewportSize({ width: 1280, height: 1500 });
    await reader.goto('/statistics?family=persons&year=2020');
    await expect(reader.getByRole('heading', { level: 1, name: 'Public statistics' })).toBeVisible();
    // The figures, the withheld ones and the county map, below the explanation.
    await shoot(reader, 'statistics.png', reader.getByRole('heading', { name: 'Persons contacted, by role, 2020' }));
  });

  test('the public front door, in English on a desktop and in Spanish on a phone', async ({ pageAs }) => {
    const reader = await pageAs(null);
    await reader.goto('/?lang=en');
    await expect(reader.getByRole('heading', { level: 1 })).toBeVisible();
    await shoot(reader, 'front-door.png');
    await reader.setViewportSize(PHONE);
    await reader.goto('/?lang=es');
    await expect(reader.locator('html')).toHaveAttribute('lang', 'es');
    await shoot(reader, 'front-door-es-phone.png');
  });

  test('planning: an address search fills the location and the map shows the point', async ({ pageAs }) => {
    const page = await pageAs('coordinator');
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.goto('/operations/new');
    await expect(page.getByRole('heading', { level: 1, name: 'Plan an operation' })).toBeVisible();
    const search = page.getByLabel('Find an address or place');
    await search.fill('Oak Grove, MO');
    await search.press('Enter');
    const result = page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: /Oak Grove, MO/ });
    await expect(result).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByText('Filled from Oak Grove, MO.')).toBeVisible();
    await shoot(page, 'plan-location.png', search);
  });

  test('the operations list, with its filters and CSV export', async ({ pageAs }) => {
    const page = await pageAs('coordinator');
    await page.goto('/operations');
    await expect(page.getByRole('heading', { level: 1, name: 'Operations' })).toBeVisible();
    await expect(page.getByRole('table').locator('tbody tr').first()).toBeVisible();
    await shoot(page, 'operations-list.png');
  });
  test('the tip form in Spanish on a phone, and the tip queue with its map', async ({ pageAs }) => {
    const reader = await pageAs(null);
    await reader.setViewportSize(PHONE);
    await reader.goto('/tip?lang=es');
    await expect(reader.getByRole('heading', { level: 1, name: 'Enviar información' })).toBeVisible();
    await shoot(reader, 'tip-form-es-phone.png');

    const page = await pageAs('oakgrove-analyst');
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto('/tip-queue');
    await expect(page.getByRole('heading', { level: 1, name: 'Tip queue' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Several young women' })).toBeVisible();
    await shoot(page, 'tip-queue.png');
    await page.getByRole('listitem').filter({ hasText: 'Several young women' }).getByRole('link', { name: /^Tip received/ }).click();
    const links = page.getByRole('heading', { level: 2, name: 'Records sharing identifiers' });
    await expect(links).toBeVisible();
    await shoot(page, 'tip.png', links);
  });
  test('the advocates’ compartment: a client record with its services and releases', async ({ pageAs }) => {
    const page = await pageAs('advocate');
    await page.setViewportSize({ width: 1280, height: 1300 });
    await page.goto('/clients');
    await expect(page.getByRole('heading', { level: 1, name: 'Clients' })).toBeVisible();
    // Sunny: the demo's client whose release to the attorney general's office was shared.
    await page.getByRole('table').getByRole('link', { name: 'Sunny', exact: true }).click();
    const services = page.getByRole('list', { name: 'Services provided' });
    await expect(services).toBeVisible();
    await shoot(page, 'client.png', page.getByRole('heading', { level: 2, name: 'Services provided' }));
  });

  test('the identifier search: the demo operation found by its phone', async ({ pageAs }) => {
    const page = await pageAs('analyst');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/search');
    await page.getByLabel('Phone, email, plate, handle or address').fill('(816) 555-0199');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page.getByRole('link', { name: 'Operation Harvest Moon (demo)', exact: true })).toBeVisible();
    await shoot(page, 'search.png');
  });

  test('the business campaign: its dashboard, and a closed business with its score', async ({ pageAs }) => {
    const page = await pageAs('ago-analyst');
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto('/businesses/dashboard');
    await expect(page.getByText(/businesses have been evicted or are in some phase of eviction/).first()).toBeVisible();
    await expect(page.locator('path[data-fips="29095"]')).toBeVisible();
    await shoot(page, 'campaign-dashboard.png');
    await page.goto('/businesses?q=Jade%20Blossom');
    await page.getByRole('link', { name: /^Jade Blossom Spa/ }).first().click();
    await expect(page.getByRole('heading', { level: 2, name: 'Pipeline' })).toBeVisible();
    await shoot(page, 'business.png');
  });
});
