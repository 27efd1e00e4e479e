/**
 * Issue #9, the advocate's first week: a referral names the officer who sent it and the number to call
 * them back on, and the advocates' notes are a dated history — two notes added, both kept, oldest first.
 * At desktop and phone width, axe-clean.
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';

const factOf = (page: Page, term: string) => page.locator(`dt:text-is("${term}") + dd`);

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test.describe(`advocate, first week (${label})`, () => {
    test.use({ signedInAs: 'advocate', viewport });

    test('reads a referral with the officer’s name and callback number, adds two notes and sees them dated in order', async ({ page }) => {
      const suffix = uniqueSuffix();
      await page.goto('/referrals');
      await expect(page.getByRole('heading', { level: 1, name: 'Referrals' })).toBeVisible();
      // Every status tab is on screen: at phone width they wrap rather than run off the side.
      const tabs = page.getByRole('navigation', { name: 'Filter by status' }).getByRole('link');
      await expect(tabs.first()).toBeVisible();
      for (const box of await tabs.evaluateAll((links) => links.map((l) => l.getBoundingClientRect().right))) expect(box).toBeLessThanOrEqual(viewport.width);
      await page.locator('.lantern-contact-card__title a').first().click();
      await expect(page.getByRole('heading', { level: 1, name: /^Referral: / })).toBeVisible();

      // Who sent it, and how to reach them: a tap-to-call number.
      await expect(factOf(page, 'Referring officer')).toHaveText('Olivia Officer (demo)');
      const callback = factOf(page, 'Callback number').getByRole('link');
      await expect(callback).toHaveText('(660) 555-0141');
      await expect(callback).toHaveAttribute('href', 'tel:6605550141');
      await expectAccessible(page, `referral (advocate, ${label})`);

      const history = page.getByRole('list', { name: 'Your notes' });
      for (const text of [`Called back, left a message (${suffix}).`, `Intake booked for Thursday (${suffix}).`]) {
        await page.getByLabel('New note').fill(text);
        await page.getByRole('button', { name: 'Add note' }).click();
        await expect(page.getByText('Note added.')).toBeVisible();
        await expect(history.getByText(text)).toBeVisible();
        await expect(page.getByLabel('New note')).toHaveValue('');
      }

      // Both kept, oldest first, each with its time and author.
      const mine = history.locator('li').filter({ hasText: suffix });
      await expect(mine).toHaveCount(2);
      await expect(mine.nth(0)).toContainText('Called back, left a message');
      await expect(mine.nth(1)).toContainText('Intake booked for Thursday');
      for (const i of [0, 1]) {
        await expect(mine.nth(i).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
        await expect(mine.nth(i)).toContainText('Ava Advocate (demo)');
      }
      const [first, second] = await Promise.all([0, 1].map((i) => mine.nth(i).locator('time').getAttribute('datetime')));
      expect(Date.parse(first!)).toBeLessThanOrEqual(Date.parse(second!));
      // Nothing runs off the side of the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await expectAccessible(page, `referral with notes (advocate, ${label})`);
    });
  });
}
