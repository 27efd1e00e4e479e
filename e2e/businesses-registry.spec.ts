/**
 * Issue #11's registry in the browser: Oak Grove PD's coordinator (who works the campaign) enters a
 * business, enters it again and is shown the one already there, adds evidence with a photo, finds
 * the business in the registry, and corrects a demo business's hours with their source; each page passes axe.
 *
 * One story told in steps, as in ./tips-staff.spec.ts: each step a test of its own, run in order in one
 * worker, carrying forward only the business's id.
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const section = (page: Page, name: string) => page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) });

/** What each step may take: a few seconds on a quiet two-core machine, many times that on a loaded one. */
const STEP_BUDGET_MS = 150_000;

/** A 1×1 PNG: the photo of the covered windows. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test.describe('the business registry (issue #11): a business entered, its duplicate caught, evidence added', () => {
  test.describe.configure({ mode: 'serial', timeout: STEP_BUDGET_MS });

  const suffix = uniqueSuffix();
  const name = `Lotus ${suffix} Spa`;
  const address = '1201 S Broadway';
  let businessId = '';

  /** Fills the entry form with this run's business (the task force chosen when the user has several). */
  async function fillEntry(page: Page) {
    await page.getByLabel('Business name', { exact: true }).fill(name);
    await page.getByLabel('Source', { exact: true }).fill('Site visit by the coordinator');
    const taskForce = page.getByLabel('Task force');
    if ((await taskForce.count()) > 0) await taskForce.selectOption({ index: 1 });
    await page.getByLabel('Street address', { exact: true }).fill(address);
    await page.getByLabel('City', { exact: true }).fill('Oak Grove');
    await page.getByLabel(/^ZIP code/).fill('64075');
    // ZIP 64075 spans Jackson and Lafayette counties: the county is chosen.
    await page.getByLabel(/^County/).selectOption({ label: 'Jackson' });
    await page.getByLabel('Phone 1', { exact: true }).fill('816-555-0142');
  }

  test('the coordinator enters a business and lands on its page', async ({ pageAs }) => {
    const page = await pageAs('coordinator');
    await page.goto('/businesses');
    await expect(h1(page, 'Businesses')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Campaign dashboard' })).toBeVisible();
    await expectAccessible(page, '/businesses');
    await page.getByRole('link', { name: 'Enter a business' }).first().click();
    await expect(h1(page, 'Enter a business')).toBeVisible();
    await expectAccessible(page, '/businesses/new');

    // A required field left empty is named beside it, before anything is sent.
    await page.getByRole('button', { name: 'Enter the business' }).click();
    await expect(page.getByText('Business name is required.')).toBeVisible();
    await expectAccessible(page, '/businesses/new (errors)');

    await fillEntry(page);
    await page.getByRole('button', { name: 'Enter the business' }).click();
    await expect(h1(page, name)).toBeVisible();
    await expect(page.getByText(`${name} is entered in the registry.`)).toBeVisible();
    businessId = new URL(page.url()).pathname.split('/').pop()!;
    expect(businessId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(section(page, 'Summary').getByText('Identified').first()).toBeVisible();
    await expect(section(page, 'Phones, websites, handles and former names').getByText(/816/)).toBeVisible();
    await expect(section(page, 'Pipeline').locator('[aria-current="step"]')).toContainText('Identified');
    await expect(section(page, 'Landlord and letters')).toBeVisible();
    await expectAccessible(page, '/businesses/:id');
  });

  test('entering it again is caught, with a link to the business already there', async ({ pageAs }) => {
    expect(businessId, 'the business entered in the first step').not.toBe('');
    const page = await pageAs('coordinator');
    await page.goto('/businesses/new');
    await expect(h1(page, 'Enter a business')).toBeVisible();
    await fillEntry(page);
    await page.getByRole('button', { name: 'Enter the business' }).click();
    await expect(page.getByRole('heading', { name: 'This business is already in the registry' })).toBeVisible();
    await expectAccessible(page, '/businesses/new (duplicate)');
    await page.getByRole('link', { name: 'Open the business already in the registry' }).click();
    await expect(page).toHaveURL(new RegExp(`/businesses/${businessId}$`));
    await expect(h1(page, name)).toBeVisible();
  });

  test('the coordinator adds evidence with a photo, and it counts in the score', async ({ pageAs }) => {
    expect(businessId, 'the business entered in the first step').not.toBe('');
    const page = await pageAs('coordinator');
    await page.goto(`/businesses/${businessId}`);
    await expect(h1(page, name)).toBeVisible();
    const evidence = section(page, 'Evidence');
    await evidence.getByLabel('Indicator').selectOption('covered_windows');
    await evidence.getByLabel(/^What was seen/).fill('Front windows papered over from the inside; a buzzer at the locked door.');
    await evidence.getByLabel(/^Photo or document/).setInputFiles({ name: 'windows.png', mimeType: 'image/png', buffer: PNG });
    await evidence.getByRole('button', { name: 'Add evidence' }).click();
    await expect(evidence.getByText('Evidence added: Covered or blacked-out windows.')).toBeVisible();
    const item = evidence.getByRole('listitem').filter({ hasText: 'Front windows papered over' });
    await expect(item.getByText('Not yet verified')).toBeVisible();
    await expect(item.getByRole('link', { name: /^Download windows\.png/ })).toBeVisible();
    // The recorder cannot verify their own evidence: a second person does.
    await expect(item.getByRole('button', { name: /^Verify/ })).toHaveCount(0);
    await expect(section(page, 'Summary').getByText(/^Covered or blacked-out windows: 1 piece of evidence/)).toBeVisible();
    await expectAccessible(page, '/businesses/:id (evidence)');
  });

  test('the business is in the registry, found by its name', async ({ pageAs }) => {
    expect(businessId, 'the business entered in the first step').not.toBe('');
    const page = await pageAs('coordinator');
    await page.goto(`/businesses?q=${encodeURIComponent(suffix)}`);
    await expect(h1(page, 'Businesses')).toBeVisible();
    await expect(page.getByLabel(/^Search/)).toHaveValue(suffix);
    const row = page.getByRole('row').filter({ hasText: name });
    await expect(row).toBeVisible();
    await expect(row.getByText('Identified')).toBeVisible();
    await expectAccessible(page, '/businesses?q=');
    await row.getByRole('link', { name }).click();
    await expect(page).toHaveURL(new RegExp(`/businesses/${businessId}$`));
  });

  test('the coordinator corrects a demo business’s hours with their source, and the page shows them', async ({ pageAs }) => {
    const page = await pageAs('coordinator');
    // Odessa's storefronts are Oak Grove PD's (its coordinator keeps their facts); no other flow changes them.
    await page.goto('/businesses?q=Odessa');
    await expect(h1(page, 'Businesses')).toBeVisible();
    const link = page.getByRole('table').getByRole('link', { name: /\(demo\)$/ }).first();
    const demoName = (await link.textContent())!.trim();
    await link.click();
    await expect(h1(page, demoName)).toBeVisible();
    const summary = section(page, 'Summary');
    await summary.getByRole('button', { name: 'Edit details' }).click();
    const form = page.getByRole('form', { name: 'Correct the name, hours or license' });
    await expect(form.getByLabel('Business name', { exact: true })).toHaveValue(demoName);
    const hours = `Noon to 4 am every day (${suffix})`;
    const source = `Sign on the door, site visit ${suffix}`;
    await form.getByLabel(/^Hours/).fill(hours);
    await form.getByLabel(/^Source/).fill(source);
    await expectAccessible(page, '/businesses/:id (edit details)');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('The business’s details are corrected.')).toBeVisible();
    await expect(form).toHaveCount(0);
    await expect(summary.getByText(hours)).toBeVisible();
    await expect(summary.getByText(`(source: ${source})`)).toBeVisible();
  });
});
