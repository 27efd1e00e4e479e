/**
 * Issue #9, items 14 and 15, as a visitor's browser meets them: the sign-in page of the demo says it is
 * a demo and links to the public site (axe-clean, at desktop and phone width); the web app arrives
 * compressed, its hashed files cached for a year and its shell revalidated.
 */
import { expectAccessible } from './support/axe.ts';
import { expect, test } from './support/fixtures.ts';

const PHONE = { width: 390, height: 844 };

test.describe('the demo’s sign-in page (issue #9)', () => {
  for (const [label, viewport] of [
    ['desktop', null],
    ['phone', PHONE],
  ] as const) {
    test(`says it is a demo and links to the public site, at ${label} width`, async ({ page }) => {
      if (viewport) await page.setViewportSize(viewport);
      await page.goto('/sign-in');
      await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Lantern' })).toBeVisible();
      await expect(page.getByRole('heading', { level: 2, name: 'This is a demonstration of Lantern' })).toBeVisible();
      await expect(page.getByText(/passwords are published/)).toContainText('Never enter real names');
      await expectAccessible(page, `sign-in (demo, ${label})`);

      await page.getByRole('link', { name: /public site/ }).click();
      await expect(page).toHaveURL(/^https?:\/\/[^/]+\/$/);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    });
  }
});

test.describe('the web app over the wire (issue #9, item 14)', () => {
  test('its scripts and stylesheet arrive as brotli, cached for a year; its shell is revalidated', async ({ page }) => {
    const seen: Promise<{ url: string; encoding: string | undefined; cache: string | undefined }>[] = [];
    page.on('response', (res) => {
      if (!new URL(res.url()).pathname.startsWith('/assets/')) return;
      seen.push(res.allHeaders().then((h) => ({ url: res.url(), encoding: h['content-encoding'], cache: h['cache-control'] })));
    });
    const shell = await page.goto('/sign-in');
    expect(shell?.headers()['cache-control']).toBe('no-cache');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Lantern' })).toBeVisible();
    await page.waitForLoadState('load');
    const scripts = (await Promise.all(seen)).filter((a) => /\.(js|css)$/.test(new URL(a.url).pathname));
    expect(scripts.length).toBeGreaterThan(1);
    for (const a of scripts) expect(a, a.url).toMatchObject({ encoding: 'br', cache: 'public, max-age=31536000, immutable' });
  });
});
