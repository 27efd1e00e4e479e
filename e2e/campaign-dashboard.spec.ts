/**
 * Issue #11's campaign pages in the browser, as the attorney general's analyst sees them: the dashboard
 * (the sentence, the figures, the funnel and the county map with their tables, printable), the notice
 * template and a batch of letters followed to the end, and the re-opening alerts; each page passes axe.
 *
 * `ago-analyst` is the demo's analyst of the AGO HT Task Force (server/demo/demo-directory.ts, added with
 * the campaign's demo); the account list in ./support/accounts.ts names it once that lands.
 */
import type { Page } from '@playwright/test';
import type { DemoUser } from './support/accounts.ts';
import { expectAccessible } from './support/axe.ts';
import { expect, test } from './support/fixtures.ts';

const AGO_ANALYST = 'ago-analyst' as DemoUser;
const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const section = (page: Page, name: string | RegExp) => page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name }) });

test.describe('the campaign dashboard, letters and alerts (issue #11)', () => {
  test.use({ signedInAs: AGO_ANALYST });

  test('the dashboard says the sentence and shows the figures, funnel and map with tables, and prints without its buttons', async ({ page }) => {
    await page.goto('/businesses/dashboard');
    await expect(h1(page, 'Campaign dashboard')).toBeVisible();
    await expect(page.getByTestId('campaign-sentence')).toHaveText(/^\d+ businesses? (has|have) been evicted or (is|are) in some phase of eviction\.?$/);
    await expect(section(page, 'Landlords and closures').getByText('Landlords notified')).toBeVisible();
    await expect(section(page, 'Businesses by stage').getByRole('row', { name: /^Closed \d+$/ })).toBeVisible();
    await expect(section(page, 'The funnel').getByRole('table')).toBeVisible();
    const map = section(page, /^Businesses by county in /);
    await expect(map.locator('path[data-fips]').first()).toBeVisible();
    await expect(map.getByRole('table')).toBeVisible();
    await map.getByText('Closed', { exact: true }).first().click();
    await expect(map.getByRole('img', { name: /have closed/ })).toBeVisible();
    await expectAccessible(page, '/businesses/dashboard');

    const csv = await page.request.get(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href') ?? '');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');

    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
    await expect(page.getByTestId('campaign-sentence')).toBeVisible();
    await page.emulateMedia({ media: 'screen' });
  });

  test('the notice template lists its merge fields, and a batch of letters runs to the end with its letters and refusals', async ({ page }) => {
    await page.goto('/businesses/letters');
    await expect(h1(page, 'Notice letters')).toBeVisible();
    const template = section(page, 'The notice template');
    await expect(template.getByLabel(/^Letter text/)).toBeVisible();
    await expect(template.getByRole('button', { name: /^Insert \{\{owner\}\}/ })).toBeVisible();
    await expectAccessible(page, '/businesses/letters');

    const batch = section(page, 'Generate letters for many businesses');
    await expect(batch.getByLabel('Businesses at the stage')).toHaveValue('landlord_identified');
    const choices = batch.locator('.lantern-campaign-batch-list input[type="checkbox"]');
    await expect(choices.first()).toBeAttached();
    // Two businesses, so the run shows progress and ends with whatever each one gave.
    await batch.locator('.lantern-campaign-batch-list label').nth(0).click();
    if ((await choices.count()) > 1) await batch.locator('.lantern-campaign-batch-list label').nth(1).click();
    await batch.getByRole('button', { name: /^Generate \d+ letters?$/ }).click();
    await expect(batch.getByRole('progressbar', { name: 'Generating the letters' })).toBeVisible();
    await expect(batch.getByTestId('batch-status')).toHaveText(/^Done\./, { timeout: 60_000 });
    await expect(batch.getByRole('heading', { name: /letters? generated$/ })).toBeVisible();
    await expect(batch.getByRole('heading', { name: /refused$/ })).toBeVisible();
    await expectAccessible(page, '/businesses/letters (batch done)');
  });

  test('the re-opening alerts say where a closed business showed up', async ({ page }) => {
    await page.goto('/businesses/alerts');
    await expect(h1(page, 'Re-opening alerts')).toBeVisible();
    // The demo raises one alert (issue #11, item 8).
    await expect(page.getByTestId('reopening-alert').first()).toBeVisible();
    await expect(page.getByTestId('reopening-alert').first().getByText(/^What matched: /)).toBeVisible();
    await expectAccessible(page, '/businesses/alerts');
  });
});
