/**
 * Issue #11 done end to end, on the demo task force: the demo's summary gives the attorney general's
 * figures (77 landlords notified, 41 responded, 23 evicted or in eviction); the attorney general's analyst
 * takes a new business from identified to closed — evidence verified by a second person, the landlord
 * entered, a notice letter generated (its PDF looked at) and recorded as sent, the landlord's answer, the
 * eviction — and the dashboard's funnel and map count one more closed business in Jackson County; then a
 * public tip naming the closed business's phone raises a re-opening alert.
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { choose } from './support/uswds.ts';

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const section = (page: Page, name: string) => page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) });
const JACKSON = '29095';

/** The closed businesses the dashboard shows: the funnel's "Closed" row and Jackson County on the map. */
async function closedOnDashboard(page: Page): Promise<{ funnel: number; jackson: number }> {
  await page.goto('/businesses/dashboard');
  await expect(h1(page, /dashboard/i)).toBeVisible();
  const funnel = page.locator('table').filter({ has: page.locator('caption', { hasText: 'Businesses that reached each stage' }) });
  const closedRow = funnel.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Closed', exact: true }) });
  await expect(closedRow).toBeVisible();
  const reached = Number((await closedRow.getByRole('cell').first().innerText()).replace(/[^\d]/g, ''));
  await choose(page.getByLabel('Closed', { exact: true }));
  const county = page.locator(`path[data-fips="${JACKSON}"]`);
  await expect(county).toBeVisible();
  return { funnel: reached, jackson: Number(await county.getAttribute('data-count')) };
}

/** Moves the business to `stage` through the pipeline's confirmation, with an outcome (its value) where it has one. */
async function moveTo(page: Page, stage: string, outcome?: string) {
  const pipeline = section(page, 'Pipeline');
  await pipeline.getByRole('button', { name: `Move to ${stage}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: `Move to ${stage}?` })).toBeVisible();
  if (outcome) await dialog.getByLabel('Outcome').selectOption(outcome);
  await dialog.getByRole('button', { name: `Move to ${stage}` }).click();
  await expect(page.getByText(new RegExp(`^Moved to ${stage}`))).toBeVisible();
  await expect(pipeline.locator('[aria-current="step"]')).toContainText(stage);
}

test.describe('the business campaign from first signs to eviction and back (issue #11, done when)', () => {
  test.describe.configure({ mode: 'serial', timeout: 180_000 });

  const suffix = uniqueSuffix();
  const name = `Jade ${suffix} Wellness`;
  // A number in the fictional 555-01xx range, this run's own.
  const phoneDigits = `816555${String(1000 + (Number(suffix.replace(/\D/g, '').slice(-3)) % 9000)).padStart(4, '0')}`;
  const phone = `${phoneDigits.slice(0, 3)}-${phoneDigits.slice(3, 6)}-${phoneDigits.slice(6)}`;
  let businessId = '';
  let before = { funnel: 0, jackson: 0 };

  test('the demo’s summary gives the attorney general’s figures', async ({ apiAs }) => {
    const api = await apiAs('coordinator');
    const res = await api.get('/api/businesses/summary');
    expect(res.status()).toBe(200);
    const summary = (await res.json()) as { landlordsNotified: number; landlordsResponded: number; evictedOrInEviction: number; byStage: Record<string, number> };
    expect(summary).toMatchObject({ landlordsNotified: 77, landlordsResponded: 41, evictedOrInEviction: 23 });
    expect(Object.keys(summary.byStage)).toEqual(expect.arrayContaining(['identified', 'verified', 'landlord_identified', 'landlord_notified', 'landlord_responded', 'lease_action', 'closed']));
  });

  test('the attorney general’s analyst enters a business with evidence; a second person verifies it', async ({ pageAs }) => {
    const page = await pageAs('ago-analyst');
    before = await closedOnDashboard(page);
    await expectAccessible(page, '/businesses/dashboard');

    await page.goto('/businesses/new');
    await expect(h1(page, 'Enter a business')).toBeVisible();
    await page.getByLabel('Business name', { exact: true }).fill(name);
    await page.getByLabel('Source', { exact: true }).fill('Site visit and online ads');
    const taskForce = page.getByLabel('Task force');
    if ((await taskForce.count()) > 0) await taskForce.selectOption({ index: 1 });
    await page.getByLabel('Street address', { exact: true }).fill('4410 Main Street');
    await page.getByLabel('City', { exact: true }).fill('Kansas City');
    await page.getByLabel(/^County/).selectOption({ label: 'Jackson' });
    await page.getByLabel('Phone 1', { exact: true }).fill(phone);
    await page.getByRole('button', { name: 'Enter the business' }).click();
    await expect(h1(page, name)).toBeVisible();
    businessId = new URL(page.url()).pathname.split('/').pop()!;

    const evidence = section(page, 'Evidence');
    await evidence.getByLabel('Indicator').selectOption('reviews_describe_sex_acts');
    await evidence.getByLabel(/^What was seen/).fill('Reviews on a sex-buyer forum describe the services in explicit terms.');
    await evidence.getByRole('button', { name: 'Add evidence' }).click();
    await expect(evidence.getByText('Evidence added: Reviews describing sex acts.')).toBeVisible();

    // The recorder may not verify their own evidence; Oak Grove's coordinator does.
    const coordinator = await pageAs('coordinator');
    await coordinator.goto(`/businesses/${businessId}`);
    const item = section(coordinator, 'Evidence').getByRole('listitem').filter({ hasText: 'Reviews on a sex-buyer forum' });
    await item.getByRole('button', { name: /^Verify/ }).click();
    await expect(item.getByText(/^Verified by/)).toBeVisible();
  });

  test('from verified to a generated letter, sent: the landlord is notified', async ({ pageAs }) => {
    expect(businessId, 'the business entered in the step before').not.toBe('');
    const page = await pageAs('ago-analyst');
    await page.goto(`/businesses/${businessId}`);
    await expect(h1(page, name)).toBeVisible();
    await moveTo(page, 'Verified');

    // The landlord, from the county's records: entering them moves the business on.
    const letters = section(page, 'Landlord and letters');
    const form = letters.getByRole('form', { name: 'Set the landlord' });
    await choose(form.getByLabel('A new owner'));
    await form.getByLabel('Owner’s name').fill(`Main Street ${suffix} Holdings LLC`);
    await form.getByLabel(/^Agent/).fill('Robin Property Manager');
    await form.getByLabel(/^Mailing address/).fill('PO Box 410, Kansas City, MO 64101');
    await form.getByLabel(/^Source/).fill('Jackson County Assessor, parcel 30-420-07');
    await form.getByRole('button', { name: 'Set the landlord' }).click();
    await expect(section(page, 'Pipeline').locator('[aria-current="step"]')).toContainText('Landlord identified');

    await letters.getByRole('button', { name: 'Generate notice letter' }).click();
    const pdfLink = letters.getByRole('link', { name: /^Letter HOPE-\d{4}-\d{4} as PDF$/ });
    await expect(pdfLink).toBeVisible();
    const number = (await pdfLink.getAttribute('aria-label'))?.match(/HOPE-\d{4}-\d{4}/)?.[0] ?? (await pdfLink.innerText()).match(/HOPE-\d{4}-\d{4}/)?.[0];
    expect(number).toBeTruthy();
    // The PDF itself: a tagged document in English, named by its number.
    const pdf = await page.request.get((await pdfLink.getAttribute('href'))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect(pdf.headers()['content-disposition']).toContain(`${number}.pdf`);
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('/StructTreeRoot');
    await expectAccessible(page, '/businesses/:id (letter generated)');

    await letters.getByRole('button', { name: 'Record as sent' }).first().click();
    const sent = letters.getByRole('form', { name: `Record letter ${number} as sent` });
    await sent.getByLabel('Sent by').selectOption('certified_mail');
    await sent.getByRole('button', { name: 'Record as sent' }).click();
    await expect(section(page, 'Pipeline').locator('[aria-current="step"]')).toContainText('Landlord notified', { timeout: 30_000 });
  });

  test('the landlord commits, the eviction is filed and done: the funnel and the map count it', async ({ pageAs }) => {
    const page = await pageAs('ago-analyst');
    await page.goto(`/businesses/${businessId}`);
    await expect(h1(page, name)).toBeVisible();
    await moveTo(page, 'Landlord responded', 'committed');
    await moveTo(page, 'Lease action', 'eviction_filed');
    await moveTo(page, 'Closed', 'evicted');

    const after = await closedOnDashboard(page);
    expect(after.funnel).toBe(before.funnel + 1);
    expect(after.jackson).toBe(before.jackson + 1);
  });

  test('a public tip names the closed business’s phone: a re-opening alert reaches the campaign', async ({ browser, baseURL, pageAs }) => {
    const context = await browser.newContext({ baseURL, locale: 'en-US' });
    try {
      const tipster = await context.newPage();
      await tipster.goto('/tip');
      await tipster.getByLabel('What happened?', { exact: true }).fill(`Massage place ${suffix} reopened under a new name, same number, men coming and going all night.`);
      await tipster.getByLabel('ZIP code').fill('64075');
      await tipster.getByLabel('Phone numbers').fill(phone);
      await expect(tipster.locator('#tip-proof-note')).toHaveText('Check done.');
      await tipster.getByRole('button', { name: 'Send the tip' }).click();
      await expect(h1(tipster, 'Your tip was sent')).toBeVisible();
    } finally {
      await context.close();
    }
    const page = await pageAs('ago-analyst');
    await page.goto('/businesses/alerts');
    await expect(h1(page, 'Re-opening alerts')).toBeVisible();
    const alert = page.getByRole('listitem').filter({ has: page.getByRole('link', { name }) });
    await expect(alert).toBeVisible();
    await expect(alert.getByText('A tip')).toBeVisible();
    await expect(alert.getByText(/phone/)).toBeVisible();
    await expectAccessible(page, '/businesses/alerts');
  });
});
