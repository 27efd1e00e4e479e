/**
 * Issue #13, item 4, as a user meets it: the reply to a create is lost on the way back (a dropped
 * connection after the server committed), the web app says it could not reach the server, and the user
 * presses the button again. The web app sends the same Idempotency-Key with the same form, so the server
 * answers with the record it already made: one tip, and the receipt it was given.
 */
import { expect, expectDroppedConnections, test, uniqueSuffix } from './support/fixtures.ts';

test('a tip whose reply was lost, sent again, is recorded once and shows its receipt', async ({ pageAs }) => {
  const suffix = uniqueSuffix();
  const narrative = `Resend ${suffix}: a caller reports a van that drops women at the motel on 40 Highway every night.`;
  const page = await pageAs('coordinator');
  const startedAt = new Date(Date.now() - 60_000).toISOString();

  // The first POST reaches the server and commits; the browser is told the connection was reset.
  const keys: string[] = [];
  let dropped = false;
  expectDroppedConnections(page, /\/api\/tips$/);
  await page.route('**/api/tips', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (dropped) return route.continue();
    dropped = true;
    const answered = await route.fetch();
    expect(answered.status()).toBe(201);
    return route.abort('connectionreset');
  });

  await page.goto('/tip-queue/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Record a phoned-in tip' })).toBeVisible();
  await page.getByLabel(/^What happened/).fill(narrative);
  await page.getByLabel(/^ZIP code/).fill('64075');
  await page.getByRole('button', { name: 'Record the tip' }).click();
  await expect(page.getByText('Lantern could not reach the server. Check your connection and try again.')).toBeVisible();

  // The form is as the user left it; sent again, it is answered with the tip already made.
  await expect(page.getByLabel(/^What happened/)).toHaveValue(narrative);
  await page.getByRole('button', { name: 'Record the tip' }).click();
  await expect(page.getByRole('heading', { name: 'Tip recorded: read the receipt to the caller' })).toBeVisible();
  expect(await page.getByTestId('tip-receipt').textContent()).toMatch(/^\d{4}( \d{4}){3,}$/);
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
  expect(keys[1]).toBe(keys[0]);

  // One tip in the queue, not two: every tip received since the test began, as the coordinator sees them.
  const res = await page.request.get('/api/tips', { params: { from: startedAt, limit: 200 } });
  expect(res.status(), await res.text()).toBe(200);
  const { tips } = (await res.json()) as { tips: { summary: string }[] };
  expect(tips.filter((tip) => tip.summary.startsWith(`Resend ${suffix}`))).toHaveLength(1);
});
