/**
 * Issue #10 done end to end, on the demo task force: a tip filed in Spanish from a phone with ZIP 64075
 * reaches the queue of the agency serving that part of Jackson County (Oak Grove PD), linked to the
 * story operation through the phone number it shares — written the way ads disguise it; the analyst asks
 * a question, the tipster comes back with the receipt and answers it; an urgent tip alerts the
 * coordinator; and an analyst of an agency outside the operation's task force reads the tip that shares
 * that number without any link to the operation. (The hotline import's bad row: ./tips-import.spec.ts.)
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { tick } from './support/uswds.ts';

const PHONE = { width: 360, height: 740 };
const OPERATION = 'Operation Harvest Moon (demo)';
const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const section = (page: Page, name: string) => page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) });

async function readReceipt(page: Page): Promise<string> {
  const receipt = await page.locator('[data-receipt]').getAttribute('data-receipt');
  expect(receipt).toMatch(/^\d{20}$/);
  return receipt!;
}

test.describe('a tip from the public to the analyst and back (issue #10, done when)', () => {
  test.describe.configure({ mode: 'serial', timeout: 150_000 });

  const suffix = uniqueSuffix();
  const narrative = `Vecina ${suffix}: cada noche llegan hombres al motel de Broadway y dos muchachas no pueden salir; el anuncio da un número.`;
  const question = `Analyst ${suffix}: what colour is the car that brings the men?`;
  const answer = `Es un carro gris ${suffix}.`;
  let receipt = '';
  let tipId = '';

  test('a tipster files a tip in Spanish from a phone and keeps the receipt', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, viewport: PHONE, locale: 'es-US' });
    try {
      const page = await context.newPage();
      await page.goto('/tip?lang=es');
      await expect(h1(page, 'Enviar información')).toBeVisible();
      await page.getByLabel('¿Qué pasó?').fill(narrative);
      await page.getByLabel('Código postal (ZIP)').fill('64075');
      // The story operation's phone, (816) 555-0199, as an ad disguises it.
      await page.getByLabel('Números de teléfono').fill('8I6 cinco cinco cinco 0I99');
      await expect(page.locator('#tip-proof-note')).toHaveText('Comprobación hecha.');
      await page.getByRole('button', { name: 'Enviar la información' }).click();
      await expect(h1(page, 'Su información fue enviada')).toBeVisible();
      receipt = await readReceipt(page);
    } finally {
      await context.close();
    }
  });

  test('an analyst of Oak Grove PD finds it in their queue, linked to the operation, and asks a question', async ({ pageAs }) => {
    expect(receipt, 'the receipt of the first step').not.toBe('');
    const page = await pageAs('oakgrove-analyst');
    await page.goto('/tip-queue');
    const card = page.getByRole('listitem').filter({ hasText: `Vecina ${suffix}` });
    await expect(card).toBeVisible();
    await expect(card.getByText(/In the queue of Oak Grove Police Department/)).toBeVisible();
    await card.getByRole('link', { name: /^Tip received/ }).click();
    await expect(h1(page, /^Tip received/)).toBeVisible();
    tipId = new URL(page.url()).pathname.split('/').pop()!;

    const links = section(page, 'Records sharing identifiers');
    // The operation, by the phone it shares (masked), and the demo's motel tip that gives the same number.
    const byOperation = links.getByRole('listitem').filter({ has: page.getByRole('link', { name: OPERATION }) });
    await expect(byOperation.getByText('Shares: Phone •••-•••-0199')).toBeVisible();
    await expectAccessible(page, 'the tip with its link (analyst)');

    const conversation = section(page, 'Conversation with the tipster');
    await conversation.getByLabel(/^Ask the tipster a question/).fill(question);
    await conversation.getByRole('button', { name: 'Send the question' }).click();
    await expect(page.getByText(/^Question sent\./)).toBeVisible();
  });

  test('the tipster comes back with the receipt, reads the question and answers it', async ({ browser, baseURL }) => {
    expect(tipId, 'the tip the analyst opened').not.toBe('');
    const context = await browser.newContext({ baseURL, viewport: PHONE, locale: 'es-US' });
    try {
      const page = await context.newPage();
      await page.goto('/tip/status?lang=es');
      await page.getByLabel('Recibo').fill(receipt.replace(/(\d{4})(?=\d)/g, '$1 '));
      await page.getByRole('button', { name: 'Ver mi denuncia' }).click();
      const conversation = page.locator('.lantern-tip-messages');
      await expect(conversation).toContainText(question);
      await expect(conversation.getByText('Investigador').first()).toBeVisible();
      // The tipster reads a status word, never a detail of the investigation.
      await expect(page.getByRole('heading', { level: 2, name: /^Estado: / })).toBeVisible();
      await expect(page.getByRole('main')).not.toContainText(OPERATION);
      await page.getByLabel('Su mensaje').fill(answer);
      await page.getByRole('button', { name: 'Enviar', exact: true }).click();
      await expect(page.getByText('Su mensaje fue enviado.')).toBeVisible();
    } finally {
      await context.close();
    }
  });

  test('the analyst reads the answer', async ({ pageAs }) => {
    const page = await pageAs('oakgrove-analyst');
    await page.goto(`/tip-queue/${tipId}`);
    await expect(section(page, 'Conversation with the tipster')).toContainText(answer);
  });

  test('an urgent tip alerts the coordinator at once', async ({ browser, baseURL, pageAs }) => {
    const danger = `Danger ${suffix}: a woman says the man outside will hurt her.`;
    const context = await browser.newContext({ baseURL, viewport: PHONE, locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto('/tip');
      await tick(page.getByLabel('Someone is in danger right now'));
      await expect(page.locator('#tip-danger-now').getByRole('link', { name: 'Call 911 now' })).toBeVisible();
      await page.getByLabel('What happened?', { exact: true }).fill(danger);
      await page.getByLabel('ZIP code').fill('64075');
      await expect(page.locator('#tip-proof-note')).toHaveText('Check done.');
      await page.getByRole('button', { name: 'Send the tip' }).click();
      await expect(h1(page, 'Your tip was sent')).toBeVisible();
    } finally {
      await context.close();
    }
    const coordinator = await pageAs('coordinator');
    await coordinator.goto('/inbox');
    await expect(coordinator.getByRole('link', { name: 'Urgent tip received' }).first()).toBeVisible();
    await coordinator.goto('/tip-queue?urgent=true');
    await expect(coordinator.getByRole('listitem').filter({ hasText: `Danger ${suffix}` }).getByText('Urgent', { exact: true })).toBeVisible();
  });

  test('an analyst of an agency outside the operation’s task force reads the tip that shares its number, without the link', async ({ pageAs, apiAs }) => {
    const page = await pageAs('springfield-analyst');
    await page.goto('/tip-queue');
    const card = page.getByRole('listitem').filter({ hasText: 'Ads for massage in Springfield' });
    await expect(card).toBeVisible();
    // Oak Grove's tips are not in Springfield's queue.
    await expect(page.getByRole('listitem').filter({ hasText: `Vecina ${suffix}` })).toHaveCount(0);
    await card.getByRole('link', { name: /^Tip received/ }).click();
    await expect(h1(page, /^Tip received/)).toBeVisible();
    const links = section(page, 'Records sharing identifiers');
    await expect(links.getByText('No record you may see shares an identifier with this tip.')).toBeVisible();
    await expect(page.getByRole('main')).not.toContainText(OPERATION);
    await expectAccessible(page, 'the tip without the link (another task force)');

    // Nor does the API say anything of the operation or of Oak Grove's tip: not a link, not a count.
    const api = await apiAs('springfield-analyst');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const res = await api.get(`/api/tips/${id}`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { links: unknown[] };
    expect(body.links).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('Harvest Moon');
    expect((await api.get(`/api/tips/${tipId}`)).status()).toBe(404);
  });
});
