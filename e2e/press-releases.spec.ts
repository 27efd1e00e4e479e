/**
 * Issue #4's browser test: a public-information officer drafts a press release from a closed operation's
 * outcome, leaks the name of a woman the officers recorded and is refused with the words pointed at,
 * fixes it, approves; the lead agency's coordinator approves; the release is published and read on the
 * public site in English and Spanish, with JavaScript and without.
 *
 * One story told in steps (issue #9, item 16), as in ./operations.spec.ts: each step is a test of its
 * own with its own time budget, run in order in one worker, carrying forward only the ids it made. A
 * failed step skips the rest, and a retry tells the story again from the start. Each step opens the
 * pages it needs.
 */
import type { Browser, Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { PLACES, post, startOperation, whoAmI } from './support/operations.ts';

const HOTLINE = '1-888-373-7888';

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

/** A public page in a browser without JavaScript: what a reader on an old phone, or a crawler, gets. */
async function withoutJavaScript(browser: Browser, baseURL: string, path: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: 'es-US' });
  const page = await context.newPage();
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(200);
  return { page, close: () => context.close() };
}

/** What each step may take: under 15 s on a quiet two-core machine, several times that on a loaded one. */
const STEP_BUDGET_MS = 150_000;

test.describe('press releases (issue #4): drafted from the outcome, refused for a leaked name, fixed, approved twice, published and read in both languages with and without JavaScript', () => {
  test.describe.configure({ mode: 'serial', timeout: STEP_BUDGET_MS });

  const suffix = uniqueSuffix();
  const name = `Operation Quiet Harbor ${suffix} (e2e)`;
  // A woman the officers identified: her name must never reach the public.
  const victimName = `Marisol Quintero${suffix.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
  const victimSentence = `\n\nThe officers spoke with ${victimName} at the scene.`;
  let operationId = '';
  let releaseId = '';
  let slug = '';

  /** The PIO on the release's page, in a browser of their own. */
  async function pioOnRelease(pageAs: (who: 'pio') => Promise<Page>): Promise<Page> {
    expect(releaseId, 'the release drafted in an earlier step').not.toBe('');
    const pio = await pageAs('pio');
    await pio.goto(`/press-releases/${releaseId}`);
    await expect(h1(pio, `Press release: ${name}`)).toBeVisible();
    return pio;
  }

  test('the scene, through the API: an operation run and closed, two men detained, three women offered services', async ({ apiAs }) => {
    const coordinatorApi = await apiAs('coordinator');
    const officerApi = await apiAs('officer');
    const me = await whoAmI(coordinatorApi);
    const officer = await whoAmI(officerApi);
    const startsMs = Math.floor((Date.now() - 4 * 3_600_000) / 60_000) * 60_000;
    const op = {
      id: await startOperation(coordinatorApi, {
        taskForceId: me.taskForces[0]!.id,
        name,
        startsMs,
        hours: 3,
        location: PLACES.sedalia,
        commander: { name: `Sgt. Quinn Harbor ${suffix}`, phone: '(660) 555-0190' },
        briefing: `Staging at the grain co-op on Route 65 (${suffix}).`,
        assignedUserIds: [officer.user.id],
      }),
    };
    for (let i = 0; i < 2; i++) {
      await post(officerApi, `/api/operations/${op.id}/contacts`, { role: 'suspect', suspectType: 'buyer', sex: 'male', ageBand: '35_to_49', disposition: 'detained' }, 201);
    }
    for (let i = 0; i < 3; i++) {
      await post(
        officerApi,
        `/api/operations/${op.id}/contacts`,
        { role: 'adult_victim', sex: 'female', ageBand: '25_to_34', disposition: 'offered_services', services: [{ service: 'food', offered: true }, { service: 'lodging', offered: true }], ...(i === 0 ? { name: victimName } : {}) },
        201,
      );
    }
    await post(coordinatorApi, `/api/operations/${op.id}/close`, {});
    operationId = op.id;
  });

  test('the PIO drafts the release from the operation’s Press release tab', async ({ pageAs }) => {
    const pio = await pageAs('pio');
    await pio.goto(`/operations/${operationId}`);
    await expect(h1(pio, name)).toBeVisible();
    await pio.getByRole('link', { name: 'Press release', exact: true }).click();
    await expect(pio.getByRole('heading', { name: 'Draft a press release' })).toBeVisible();
    await expectAccessible(pio, 'operation: press release tab');
    await pio.getByLabel('Dateline city').fill('Sedalia');
    await pio.getByRole('button', { name: 'Draft a press release' }).click();
    await expect(h1(pio, `Press release: ${name}`)).toBeVisible();
    await expect(pio.getByText('Drafted in English and Spanish from the outcome.', { exact: false })).toBeVisible();
    releaseId = /\/press-releases\/([^/?#]+)$/.exec(new URL(pio.url()).pathname)![1]!;
    // Drafted from the outcome: the counts in AP style, the hotline, and nothing the guards object to.
    const bodyEn = pio.getByLabel('Body (English)');
    await expect(bodyEn).toHaveValue(/Two adult males were contacted and detained/);
    await expect(bodyEn).toHaveValue(/Three adult women were contacted and offered victim services/);
    await expect(bodyEn).toHaveValue(new RegExp(HOTLINE));
    await expect(pio.getByLabel('Body (Spanish)')).toHaveValue(new RegExp(HOTLINE));
    await expect(pio.getByText('The guards find nothing in the saved text: it can go to approval.')).toBeVisible();
    await expectAccessible(pio, 'press release draft');
  });

  test('a sentence naming a woman the officers recorded is flagged beside its field, and approval is refused', async ({ pageAs }) => {
    const pio = await pioOnRelease(pageAs);
    const bodyEn = pio.getByLabel('Body (English)');
    await expect(bodyEn).toHaveValue(/Two adult males were contacted and detained/);
    const drafted = await bodyEn.inputValue();
    await bodyEn.fill(`${drafted}${victimSentence}`);
    await pio.getByRole('button', { name: 'Save text' }).click();
    await expect(pio.getByText('Saved. The guards checked the new text.')).toBeVisible();
    await expect(pio.getByRole('heading', { level: 2, name: 'The guards found 1 problem' })).toBeVisible();
    await expect(pio.getByText(`Names a person recorded for this operation: “${victimName}”`).first()).toBeVisible();
    // The field itself is marked and tells screen readers why.
    await expect(bodyEn).toHaveAttribute('aria-invalid', 'true');
    await expect(pio.locator('mark', { hasText: victimName })).toBeVisible();
    await expectAccessible(pio, 'press release with a guard finding');

    await pio.getByRole('button', { name: 'Approve as public-information officer' }).click();
    await expect(pio.getByRole('heading', { level: 3, name: 'Approval refused: the guards found 1 problem' })).toBeVisible();
    await expect(pio.getByText('Not yet', { exact: true })).toHaveCount(2);
  });

  test('fixed, it passes the guards and the PIO approves', async ({ pageAs }) => {
    const pio = await pioOnRelease(pageAs);
    const bodyEn = pio.getByLabel('Body (English)');
    // The saved text still names her (the previous step saved it).
    await expect(bodyEn).toHaveValue(new RegExp(victimName));
    await bodyEn.fill((await bodyEn.inputValue()).replace(victimSentence, ''));
    await expect(bodyEn).not.toHaveValue(new RegExp(victimName));
    await pio.getByLabel('Quote (English)').fill('We thank every partner agency and advocate who stood with us.');
    await pio.getByLabel('Quote (Spanish)').fill('Agradecemos a cada agencia y organización de apoyo que nos acompañó.');
    await pio.getByLabel('Who said it').fill('Chief of Police, Oak Grove Police Department');
    await pio.getByRole('button', { name: 'Save text' }).click();
    await expect(pio.getByText('Saved. The guards checked the new text.')).toBeVisible();
    await expect(pio.getByText('The guards find nothing in the saved text: it can go to approval.')).toBeVisible();
    await pio.getByRole('button', { name: 'Approve as public-information officer' }).click();
    await expect(pio.getByText('Your approval is recorded.')).toBeVisible();
    await expect(pio.getByText('Approved by Pat Information (demo)', { exact: false })).toBeVisible();
    await expect(pio.getByText("Waiting for the lead agency coordinator's approval.")).toBeVisible();
  });

  test('the lead agency’s coordinator approves in their own browser', async ({ pageAs }) => {
    const coordinator = await pageAs('coordinator');
    await coordinator.goto('/press-releases');
    await expect(h1(coordinator, 'Press releases')).toBeVisible();
    await expectAccessible(coordinator, 'press releases list');
    await coordinator.goto(`/press-releases/${releaseId}`);
    await expect(h1(coordinator, `Press release: ${name}`)).toBeVisible();
    await coordinator.getByRole('button', { name: 'Approve as lead agency coordinator' }).click();
    await expect(coordinator.getByText('Your approval is recorded.')).toBeVisible();
    await expect(coordinator.getByText('Approved by Corey Coordinator (demo)', { exact: false })).toBeVisible();
  });

  test('the PIO publishes it, after a confirmation', async ({ pageAs }) => {
    const pio = await pioOnRelease(pageAs);
    await expect(pio.getByText('Approved by Corey Coordinator (demo)', { exact: false })).toBeVisible();
    await pio.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = pio.getByRole('dialog', { name: 'Publish this press release?' });
    await expect(dialog.getByText('It goes out at once', { exact: false })).toBeVisible();
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(pio.getByText('Published. The public pages and PDFs are ready.')).toBeVisible();
    const href = await pio.getByRole('link', { name: /^Public page in English/ }).getAttribute('href');
    slug = /^\/news\/([a-z0-9-]+)$/.exec(href ?? '')![1]!;
    await expectAccessible(pio, 'published press release');
  });

  test('the public reads it in English with JavaScript, then in Spanish through the language switch', async ({ pageAs }) => {
    expect(slug, 'the slug of the release published in an earlier step').not.toBe('');
    const reader = await pageAs(null);
    await reader.goto('/news');
    await expect(h1(reader, 'News')).toBeVisible();
    // Newest first: this release comes before the demo's 2020 release (other tests may publish releases
    // of their own at the same moment, so it need not be the very first).
    const links = reader.locator('.lantern-release-list a');
    const hrefs = async () => links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    await expect.poll(async () => (await hrefs()).includes(`/news/${slug}`)).toBe(true);
    const order = await hrefs();
    const story = order.findIndex((h) => h?.startsWith('/news/2020-10-24-'));
    expect(story === -1 || order.indexOf(`/news/${slug}`) < story, order.join('\n')).toBe(true);
    const newest = links.and(reader.locator(`[href="/news/${slug}"]`));
    const title = await newest.innerText();
    await newest.click();
    await expect(h1(reader, title)).toBeVisible();
    const article = reader.locator('article');
    await expect(article).toContainText('Two adult males were contacted and detained');
    await expect(article).toContainText('“We thank every partner agency and advocate who stood with us,” said the chief of police of the Oak Grove Police Department.');
    await expect(reader.getByRole('link', { name: HOTLINE }).first()).toHaveAttribute('href', 'tel:+18883737888');
    await expect(reader.getByText(victimName)).toHaveCount(0);
    await expect(reader.locator('html')).toHaveAttribute('lang', 'en');
    await expectAccessible(reader, 'public press release (English)');

    await reader.getByRole('link', { name: 'Español' }).click();
    await expect(reader).toHaveURL(new RegExp(`/news/${slug}\\?lang=es$`));
    await expect(reader.locator('html')).toHaveAttribute('lang', 'es');
    await expect(reader.locator('article')).toContainText('Dos hombres adultos');
    await expect(reader.locator('article')).toContainText(HOTLINE);
    await expect(reader.getByText(victimName)).toHaveCount(0);
    await expectAccessible(reader, 'public press release (Spanish)');
  });

  test('without JavaScript the page reads the same, in both languages', async ({ browser, baseURL }) => {
    expect(slug, 'the slug of the release published in an earlier step').not.toBe('');
    for (const [path, lang, phrase] of [
      [`/news/${slug}`, 'en', 'Two adult males were contacted and detained'],
      [`/news/${slug}?lang=es`, 'es', 'Dos hombres adultos'],
    ] as const) {
      const { page, close } = await withoutJavaScript(browser, baseURL!, path);
      try {
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expect(page.locator('article')).toContainText(phrase);
        await expect(page.locator('article')).toContainText(HOTLINE);
        await expect(page.getByText(victimName)).toHaveCount(0);
        // No script on the page: what axe checked with JavaScript is what this reader gets.
        await expect(page.locator('script')).toHaveCount(0);
      } finally {
        await close();
      }
    }
  });

  test('the public API and the PDF carry the same text, and never the name', async ({ pageAs }) => {
    expect(slug, 'the slug of the release published in an earlier step').not.toBe('');
    const anonymous = (await pageAs(null)).context().request;
    const res = await anonymous.get(`/api/public/press-releases/${slug}`);
    expect(res.status()).toBe(200);
    const release = (await res.json()) as { slug: string; title: string; body: string; language: string; publishedAt: string };
    expect(release).toMatchObject({ slug, language: 'en' });
    expect(release.body).toContain('Two adult males were contacted and detained');
    expect(release.body).not.toContain(victimName);
    expect(release.body).not.toMatch(/<[a-z]/);
    const pdf = await anonymous.get(`/news/${slug}.pdf?lang=es`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
