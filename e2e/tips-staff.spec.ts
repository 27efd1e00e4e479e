/**
 * Issue #10's staff side in the browser: a coordinator records a tip phoned in about Oak Grove (ZIP
 * 64075), reads the receipt to the caller, finds the tip in their agency's queue (routed there by the
 * ZIP), assigns it to themself, asks the tipster a question and moves it to "under review"; each page
 * passes axe.
 *
 * One story told in steps, as in ./operations.spec.ts: each step a test of its own, run in order in one
 * worker, carrying forward only the tip's id. Each step opens the pages it needs.
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { tick } from './support/uswds.ts';

const PHONE = { width: 375, height: 812 };
const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const section = (page: Page, name: string) => page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) });

/** What each step may take: a few seconds on a quiet two-core machine, many times that on a loaded one. */
const STEP_BUDGET_MS = 150_000;

test.describe('the tip queue (issue #10): a phoned-in tip recorded, found in the queue, assigned, questioned and reviewed', () => {
  test.describe.configure({ mode: 'serial', timeout: STEP_BUDGET_MS });

  const suffix = uniqueSuffix();
  // The first words are the queue's summary: the suffix makes this run's tip the one to find.
  const narrative = `Caller ${suffix} reports women driven every night to the spa on Main Street in Oak Grove; they say they owe a debt and cannot leave.`;
  let tipId = '';

  test('the coordinator records a phoned-in tip and reads the receipt to the caller', async ({ pageAs }) => {
    const page = await pageAs('coordinator');
    await page.goto('/tip-queue');
    await expect(h1(page, 'Tip queue')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Tip queue' })).toBeVisible();
    await page.getByRole('link', { name: 'Record a phoned-in tip' }).first().click();
    await expect(h1(page, 'Record a phoned-in tip')).toBeVisible();
    await expectAccessible(page, '/tip-queue/new');

    await expect(page.getByRole('radio', { name: 'Phone' })).toBeChecked();
    await page.getByLabel(/^What happened/).fill(narrative);
    await page.getByLabel(/^ZIP code/).fill('64075');
    await page.getByLabel(/^Phone numbers/).fill('816-555-0142');
    await page.getByLabel(/^Businesses/).fill('Golden Lotus Spa');
    await tick(page.getByLabel('A minor (under 18) may be involved'));
    await page.getByRole('button', { name: 'Record the tip' }).click();

    await expect(page.getByRole('heading', { name: 'Tip recorded: read the receipt to the caller' })).toBeVisible();
    const receipt = (await page.getByTestId('tip-receipt').textContent()) ?? '';
    expect(receipt).toMatch(/^\d{4}( \d{4}){3,}$/);
    await expectAccessible(page, '/tip-queue/new (receipt)');
    await page.getByRole('link', { name: 'Open the tip' }).click();
    await expect(h1(page, /^Tip received/)).toBeVisible();
    tipId = new URL(page.url()).pathname.split('/').pop()!;
    expect(tipId).toMatch(/^[0-9a-f-]{36}$/);
    // The receipt is shown once: the tip page never carries it.
    await expect(page.getByText(receipt)).toHaveCount(0);
  });

  test('the tip is in the queue, urgent (a minor), with the reasons for its rank in words', async ({ pageAs }) => {
    expect(tipId, 'the tip recorded in the first step').not.toBe('');
    const page = await pageAs('coordinator');
    await page.goto('/tip-queue?urgent=true');
    await expect(h1(page, 'Tip queue')).toBeVisible();
    await expect(page.getByLabel('Urgent tips only')).toBeChecked();
    const card = page.getByRole('listitem').filter({ hasText: `Caller ${suffix}` });
    await expect(card).toBeVisible();
    await expect(card.getByText('Urgent', { exact: true })).toBeVisible();
    await expect(card.getByText('Minor involved')).toBeVisible();
    await expect(card.getByText('A minor may be involved')).toBeVisible();
    await expect(card.getByText(/^Typology words: .*debt/)).toBeVisible();
    await expect(card.getByText(/In the queue of Oak Grove Police Department/)).toBeVisible();
    await expect(page.getByRole('table', { name: 'Tips by county' }).getByRole('link', { name: 'Show the tips of Jackson' })).toBeVisible();
    await expect(page.getByRole('img', { name: /tips by county/ })).toBeVisible();
    await expectAccessible(page, '/tip-queue');
    await card.getByRole('link', { name: /^Tip received/ }).click();
    await expect(page).toHaveURL(new RegExp(`/tip-queue/${tipId}$`));
  });

  test('the coordinator assigns the tip to themself, asks the tipster a question and moves it to under review', async ({ pageAs }) => {
    expect(tipId, 'the tip recorded in the first step').not.toBe('');
    const page = await pageAs('coordinator');
    await page.goto(`/tip-queue/${tipId}`);
    await expect(h1(page, /^Tip received/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'A minor may be involved', level: 2 })).toBeVisible();
    await expect(section(page, 'The tipster').getByText('Tipster', { exact: true })).toBeVisible();
    await expect(section(page, 'How it was routed').getByText(/ZIP 64075/)).toBeVisible();
    await expectAccessible(page, '/tip-queue/:id');

    const actions = section(page, 'Work this tip');
    await actions.getByRole('button', { name: 'Assign to me' }).click();
    await expect(page.getByText(/^Tip assigned to /)).toBeVisible();
    await expect(section(page, 'History').getByText(/^Assigned to /)).toBeVisible();

    const conversation = section(page, 'Conversation with the tipster');
    await conversation.getByLabel(/^Ask the tipster a question/).fill('Which nights do you see the van?');
    await conversation.getByRole('button', { name: 'Send the question' }).click();
    await expect(page.getByText(/^Question sent\./)).toBeVisible();
    await expect(conversation.getByText('Which nights do you see the van?')).toBeVisible();

    await actions.getByLabel(/^New state/).selectOption('under_review');
    await actions.getByRole('button', { name: 'Change state' }).click();
    await expect(page.getByText('State changed to Under review.')).toBeVisible();
    await expect(page.locator('.lantern-page-head').getByText('Under review', { exact: true })).toBeVisible();
    await expect(section(page, 'History').getByText('State changed to Under review')).toBeVisible();

    // Closing asks for the reason, then for confirmation; cancelling leaves the tip as it was.
    await actions.getByLabel(/^New state/).selectOption('closed');
    await actions.getByLabel('Reason for closing').selectOption('duplicate');
    await actions.getByRole('button', { name: 'Change state' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close this tip?' });
    await expect(dialog).toBeVisible();
    await expectAccessible(page, '/tip-queue/:id (closing)');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('.lantern-page-head').getByText('Under review', { exact: true })).toBeVisible();
    await expectAccessible(page, '/tip-queue/:id (after)');
  });

  test('on a phone, the queue and the tip fit the screen', async ({ pageAs }) => {
    expect(tipId, 'the tip recorded in the first step').not.toBe('');
    const page = await pageAs('coordinator');
    await page.setViewportSize(PHONE);
    for (const path of ['/tip-queue', `/tip-queue/${tipId}`]) {
      await page.goto(path);
      await expect(page.locator('h1').first()).toBeVisible();
      await expect(page.locator('.lantern-loading')).toHaveCount(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(PHONE.width);
    }
    await expectAccessible(page, '/tip-queue/:id (phone)');
  });
});
