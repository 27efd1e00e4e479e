import type { Locator, Page } from '@playwright/test';
import { createUser, me } from './support/api.ts';
import { submitPassword } from './support/auth.ts';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';

const PHONE = { width: 375, height: 812 };

/** Opens a page by its address and checks it once its heading shows. */
async function visit(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expectAccessible(page, path);
}

/** Follows a link the way a person would (through the menu at phone width) and checks where it lands. */
async function follow(page: Page, link: Locator, heading: string | RegExp): Promise<void> {
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expectAccessible(page, new URL(page.url()).pathname);
}

/** A link of the primary navigation, opening the phone menu first when there is one. */
async function navLink(page: Page, name: string): Promise<Locator> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  return page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name, exact: true });
}

const inTable = (page: Page, name: string) => page.getByRole('table').getByRole('link', { name });
const firstInTable = (page: Page) => page.getByRole('table').locator('tbody').getByRole('link').first();

test.describe('accessibility (axe, WCAG 2.1 A and AA)', () => {
  test('sign-in, security code and authenticator set-up pages', async ({ page, pageAs, apiAs, demo }) => {
    await visit(page, '/sign-in', 'Sign in to Lantern');

    await test.step('sign-in with a field error', async () => {
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByLabel('Email address')).toHaveAccessibleDescription('Enter your email address.');
      await expectAccessible(page, 'sign-in: empty form');
    });

    await test.step('security code', async () => {
      await submitPassword(page, demo.analyst.email, demo.analyst.password);
      await expect(page.getByRole('heading', { level: 1, name: 'Enter your security code' })).toBeVisible();
      await expectAccessible(page, '/sign-in/mfa');
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await expect(page.getByLabel('Recovery code')).toBeVisible();
      await expectAccessible(page, '/sign-in/mfa: recovery code');
    });

    await test.step('authenticator set-up', async () => {
      const admin = await apiAs('admin');
      const suffix = uniqueSuffix();
      const email = `enrol-${suffix}@demo.lantern.test`;
      const { temporaryPassword } = await createUser(admin, {
        email,
        displayName: `Enid Enrol ${suffix}`,
        agencyId: (await me(admin)).agency.id,
        roles: ['analyst'],
      });
      const newcomer = await pageAs(null);
      await submitPassword(newcomer, email, temporaryPassword);
      await expect(newcomer.getByRole('heading', { level: 1, name: 'Set up your authenticator' })).toBeVisible();
      await expect(newcomer.getByRole('img', { name: /QR code/ })).toBeVisible();
      await expectAccessible(newcomer, '/sign-in/enrol');
    });

    await test.step('not found, signed out', () => visit(page, '/no-such-page', 'Page not found'));
  });

  test.describe('signed in, desktop width', () => {
    test.use({ signedInAs: 'platform' });

    test('home, account and agencies', async ({ page }) => {
      await visit(page, '/home', /^Welcome, /);
      await follow(page, await navLink(page, 'Account'), 'Your account');
      await follow(page, await navLink(page, 'Agencies'), 'Agencies');
      await follow(page, page.getByRole('link', { name: 'Add agency' }), 'Add an agency');
      await page.getByRole('main').getByRole('link', { name: 'Agencies' }).click();
      await follow(page, inTable(page, 'Oak Grove Police Department'), 'Edit Oak Grove Police Department');
    });

    test('task forces and users', async ({ page }) => {
      await visit(page, '/admin/task-forces', 'Task forces');
      await follow(page, page.getByRole('link', { name: 'Create task force' }), 'Create a task force');
      await page.getByRole('main').getByRole('link', { name: 'Task forces' }).click();
      const taskForce = firstInTable(page);
      await follow(page, taskForce, (await taskForce.innerText()).trim());
      await follow(page, await navLink(page, 'Users'), 'Users');
      await follow(page, page.getByRole('link', { name: 'Add user' }), 'Add a user');
      await page.getByRole('main').getByRole('link', { name: 'Users' }).click();
      await follow(page, inTable(page, 'Olivia Officer (demo)'), 'Olivia Officer (demo)');
    });

    test('audit log and a page that does not exist', async ({ page }) => {
      await visit(page, '/admin/audit', 'Audit log');
      await visit(page, '/admin/no-such-page', 'Page not found');
    });
  });

  test.describe('signed in, phone width', () => {
    test.use({ signedInAs: 'platform', viewport: PHONE });

    test('home with the menu open and closed', async ({ page }) => {
      await visit(page, '/home', /^Welcome, /);
      const menu = page.getByRole('button', { name: 'Menu' });
      await menu.click();
      const users = page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Users' });
      await expect(users).toBeVisible();
      await expect(page.getByRole('button', { name: 'Close menu' })).toBeFocused();
      await expectAccessible(page, 'home: menu open');
      await page.keyboard.press('Escape');
      await expect(users).toBeHidden();
      await expect(menu).toBeFocused();
    });

    test('the main pages', async ({ page }) => {
      await visit(page, '/account', 'Your account');
      await follow(page, await navLink(page, 'Agencies'), 'Agencies');
      await follow(page, await navLink(page, 'Task forces'), 'Task forces');
      await follow(page, await navLink(page, 'Users'), 'Users');
      await follow(page, page.getByRole('link', { name: 'Add user' }), 'Add a user');
      await follow(page, await navLink(page, 'Audit log'), 'Audit log');
    });
  });

  test.describe('at phone width, signed out', () => {
    test.use({ viewport: PHONE });

    test('sign-in', async ({ page }) => {
      await visit(page, '/sign-in', 'Sign in to Lantern');
    });
  });
});

test.describe('keyboard', () => {
  async function skipLinkComesFirst(page: Page): Promise<void> {
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
    // The next Tab continues inside the main content, not back in the header.
    await page.keyboard.press('Tab');
    await expect(page.locator('main :focus')).toHaveCount(1);
  }

  test('on the sign-in page, Tab reaches the skip link first and it moves focus to the main content', async ({ page }) => {
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Lantern' })).toBeVisible();
    await skipLinkComesFirst(page);
  });

  test.describe('signed in', () => {
    test.use({ signedInAs: 'platform' });

    test('on a staff page, Tab reaches the skip link first and it moves focus to the main content', async ({ page }) => {
      await page.goto('/admin/users');
      await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
      await skipLinkComesFirst(page);
    });
  });
});
