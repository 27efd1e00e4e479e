/**
 * The identifier search page (issues #10 and #12): an analyst opens Search from the navigation, types the
 * demo operation's subject phone with the keyboard alone and finds Operation Harvest Moon, linked to its
 * page; an officer searching a client's phone finds nothing, as for an unknown phone, because a client's
 * phone enters the index only for the recipient of a release. Each page passes axe.
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test } from './support/fixtures.ts';

/** The story operation's subject phone (server/demo/demo-operations.ts). */
const STORY_PHONE = '(816) 555-0199';
const STORY = 'Operation Harvest Moon (demo)';
const LABEL = 'Phone, email, plate, handle or address';

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

test.describe('the identifier search page', () => {
  test('an analyst finds the demo operation by its phone, from the navigation and by keyboard, and opens it', async ({ pageAs }) => {
    const page = await pageAs('analyst');
    await page.goto('/home');
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Search', exact: true }).click();
    await expect(h1(page, 'Search identifiers')).toBeVisible();
    await expectAccessible(page, '/search');

    // Too short: the message stands beside the field, and the field keeps focus.
    const field = page.getByLabel(LABEL);
    await field.fill('8');
    await field.press('Enter');
    await expect(page.getByText('Enter at least 2 characters.')).toBeVisible();
    await expect(field).toBeFocused();

    await field.fill(STORY_PHONE);
    await field.press('Enter');
    const answer = page.getByRole('heading', { level: 2, name: /records? shares? this value/ });
    await expect(answer).toBeFocused();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: STORY, exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell').nth(0)).toHaveText('Operation');
    await expect(row.getByRole('cell').nth(1)).toContainText('Phone');
    await expectAccessible(page, '/search (results)');

    await row.getByRole('link', { name: STORY }).click();
    await expect(h1(page, STORY)).toBeVisible();
    // Back to the search: the same answer, and the value is nowhere in the address.
    await page.goBack();
    await expect(page.getByRole('link', { name: STORY, exact: true })).toBeVisible();
    expect(page.url()).not.toContain('555');
  });

  test('an officer searching a client’s phone finds nothing, as for an unknown phone', async ({ apiAs, pageAs }) => {
    // A walk-in client of RISE with a phone of an area code no demo record uses.
    const phone = `(314) 555-01${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`;
    const advocate = await apiAs('advocate');
    const created = await advocate.post('/api/clients', { data: { intake: 'walk_in', name: 'Search E2E', phone } });
    expect(created.status(), await created.text()).toBe(201);

    const page = await pageAs('officer');
    await page.goto('/search');
    await expect(h1(page, 'Search identifiers')).toBeVisible();
    const field = page.getByLabel(LABEL);
    for (const value of [phone, '(314) 555-0000']) {
      await field.fill(value);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page.getByRole('heading', { level: 2, name: 'No record you may see shares this value' })).toBeFocused();
      await expect(page.getByRole('table')).toHaveCount(0);
    }
    await expectAccessible(page, '/search (nothing found)');
  });
});
