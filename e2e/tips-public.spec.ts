/**
 * The tipster's side of issue #10 in a browser: a tip filed in Spanish from a phone-sized screen, the
 * proof of work solved by the page's own script, the receipt read off the page and used to come back to
 * /tip/status and answer; then the same without JavaScript. axe checks every page on the way.
 */
import { createHash } from 'node:crypto';
import type { Browser, Page, Request } from '@playwright/test';
import { createChallenge } from 'altcha-lib/v1';
import { expectAccessible } from './support/axe.ts';
import { expect, test } from './support/fixtures.ts';
import { tick } from './support/uswds.ts';

const PHONE = { width: 360, height: 740 };

/** Nothing is wider than the screen: no sideways scrolling on a phone. */
async function expectFitsPhone(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what}: wider than the phone`).toBeLessThanOrEqual(0);
}

/**
 * Until the intake (branch h/intake) serves GET /api/public/tips/challenge, the page is given a challenge
 * made the same way (altcha-lib), so the browser's solver is still what is tested.
 */
async function challengeServed(page: Page) {
  const res = await page.request.get('/api/public/tips/challenge');
  if (res.ok()) return;
  const challenge = await createChallenge({ hmacKey: 'tips-public.spec', maxnumber: 50_000, expires: new Date(Date.now() + 10 * 60_000) });
  await page.route('**/api/public/tips/challenge', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(challenge) }));
}

/** The solved proof the form sent: the number is one whose SHA-256 with the salt is the challenge. */
function expectSolvedProof(post: Request) {
  const altcha = new URLSearchParams(post.postData() ?? '').get('altcha') ?? '';
  expect(altcha, 'the form sent a proof of work').not.toBe('');
  const proof = JSON.parse(Buffer.from(altcha, 'base64').toString('utf8')) as { algorithm: string; challenge: string; number: number; salt: string; signature: string };
  expect(proof.algorithm).toBe('SHA-256');
  expect(createHash('sha256').update(`${proof.salt}${proof.number}`).digest('hex')).toBe(proof.challenge);
  expect(proof.signature).toMatch(/^[0-9a-f]{64}$/);
}

async function readReceipt(page: Page): Promise<string> {
  const receipt = await page.locator('[data-receipt]').getAttribute('data-receipt');
  expect(receipt).toMatch(/^\d{20}$/);
  // Shown in groups of four, and in no address.
  await expect(page.locator('.lantern-tip-receipt-number')).toHaveText(receipt!.replace(/(\d{4})(?=\d)/g, '$1 '));
  expect(page.url()).not.toContain(receipt!.slice(0, 8));
  return receipt!;
}

test.describe('the public tip form and the tipster’s status pages (issue #10)', () => {
  test.use({ viewport: PHONE, locale: 'es-US' });

  test('in Spanish on a phone, with JavaScript: the proof is solved, the receipt kept, and the tipster comes back and writes', async ({ pageAs }) => {
    const page = await pageAs(null);
    await challengeServed(page);
    const res = await page.goto('/tip?lang=es');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['set-cookie']).toBeUndefined();
    await expect(page.getByRole('heading', { level: 1, name: 'Enviar información' })).toBeVisible();
    // 911 before anything else in the page's own content.
    const main = page.getByRole('main');
    await expect(main.getByRole('link').first()).toHaveAttribute('href', 'tel:911');
    await expect(main.getByRole('link').first()).toHaveText('Llame al 911 ahora');
    await expect(main).toContainText('Un recibo perdido no se puede recuperar');
    await expectFitsPhone(page, 'the tip form');
    await expectAccessible(page, 'the tip form (es, phone)');

    // Checking the danger box shows "call 911 now" at once.
    const dangerNow = page.locator('#tip-danger-now');
    await expect(dangerNow).toBeHidden();
    await tick(page.getByLabel('Alguien está en peligro ahora mismo'));
    await expect(dangerNow).toBeVisible();
    await expect(dangerNow.getByRole('link', { name: 'Llame al 911 ahora' })).toHaveAttribute('href', 'tel:911');
    await page.locator('label[for="tip-immediateDanger"]').click();
    await expect(page.getByLabel('Alguien está en peligro ahora mismo')).not.toBeChecked();
    await expect(dangerNow).toBeHidden();

    await page.getByLabel('¿Qué pasó?').fill('Dos mujeres viven en el spa de la calle Main y un hombre las lleva cada noche.');
    await page.getByLabel('Código postal (ZIP)').fill('64075');
    await page.getByLabel('Números de teléfono').fill('816-555-0142');
    await tick(page.getByLabel('Hay un niño o adolescente menor de 18 años involucrado'));
    // The proof is worked out while the tipster writes; the note says so.
    await expect(page.locator('#tip-proof-note')).toHaveText(/Comprobando que no es un envío automático…|Comprobación hecha\./);
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/tip');
    await page.getByRole('button', { name: 'Enviar la información' }).click();
    expectSolvedProof(await sent);

    await expect(page.getByRole('heading', { level: 1, name: 'Su información fue enviada' })).toBeVisible();
    const receipt = await readReceipt(page);
    await expectFitsPhone(page, 'the receipt');
    await expectAccessible(page, 'the receipt (es, phone)');

    await page.getByRole('link', { name: 'Consultar su denuncia' }).click();
    await expect(page).toHaveURL(/\/tip\/status\?lang=es$/);
    await expectAccessible(page, 'the receipt form (es, phone)');
    await page.getByLabel('Recibo').fill(receipt.replace(/(\d{4})(?=\d)/g, '$1 '));
    await page.getByRole('button', { name: 'Ver mi denuncia' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Estado: Recibida' })).toBeVisible();
    expect(page.url()).not.toContain(receipt.slice(0, 8));
    await expectFitsPhone(page, 'the status page');
    await expectAccessible(page, 'the status page (es, phone)');

    await page.getByLabel('Su mensaje').fill('La camioneta es blanca, con placas de Kansas.');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    await expect(page.getByText('Su mensaje fue enviado.')).toBeVisible();
    const conversation = page.locator('.lantern-tip-messages');
    await expect(conversation.getByText('Usted')).toBeVisible();
    await expect(conversation).toContainText('La camioneta es blanca, con placas de Kansas.');
    await expectAccessible(page, 'the conversation (es, phone)');
  });

  test('without JavaScript: errors beside their fields, the receipt, and the way back', async ({ browser, baseURL }) => {
    const { page, close } = await noScript(browser, baseURL!);
    try {
      const res = await page.goto('/tip');
      expect(res?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1, name: 'Report a tip' })).toBeVisible();
      // Someone in danger: with no script, 911 is already the first thing on the page.
      await expect(page.getByRole('main').getByRole('link').first()).toHaveAttribute('href', 'tel:911');

      await page.getByLabel('ZIP code').fill('640');
      await tick(page.getByLabel('Someone is in danger right now'));
      await page.getByRole('button', { name: 'Send the tip' }).click();
      await expect(page.getByRole('heading', { level: 2, name: 'There is a problem' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'What happened?: Tell us what happened.' })).toHaveAttribute('href', '#tip-narrative');
      await expect(page.locator('#tip-narrative-error')).toHaveText('Tell us what happened.');
      await expect(page.locator('#tip-zip-error')).toHaveText('Enter a five-digit ZIP code, or leave it empty.');
      await expect(page.getByLabel('ZIP code')).toHaveValue('640');
      // The danger box came back checked, and with it the 911 panel, drawn by the server.
      await expect(page.locator('#tip-danger-now')).toBeVisible();

      await page.getByLabel('What happened?', { exact: true }).fill('A man collects the women from the motel on Route 7 every morning.');
      await page.getByLabel('ZIP code').fill('64075');
      await page.getByRole('button', { name: 'Send the tip' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Your tip was sent' })).toBeVisible();
      const receipt = await readReceipt(page);

      await page.goto('/tip/status');
      await page.getByLabel('Receipt').fill(receipt);
      await page.getByRole('button', { name: 'Show my tip' }).click();
      await expect(page.getByRole('heading', { level: 2, name: 'Status: Received' })).toBeVisible();
      await page.getByLabel('Your message').fill('He drives a white van.');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect(page.getByText('Your message was sent.')).toBeVisible();
      await expect(page.locator('.lantern-tip-messages')).toContainText('He drives a white van.');
    } finally {
      await close();
    }
  });
});

async function noScript(browser: Browser, baseURL: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, viewport: PHONE, locale: 'en-US' });
  return { page: await context.newPage(), close: () => context.close() };
}
