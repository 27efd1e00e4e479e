import { test as base, expect, request, type APIRequestContext, type Page } from '@playwright/test';
import { demoAccounts, type DemoAccounts, type DemoUser } from './accounts.ts';
import { storageStateFor } from './auth.ts';
import type { Backend } from './env.ts';

export interface FixtureOptions {
  /** Which Lantern the project runs against (set per project in the config). */
  backend: Backend;
  /** `test.use({ signedInAs: 'admin' })`: the default `page` starts signed in as that demo user. */
  signedInAs: DemoUser | undefined;
}

interface Fixtures {
  /** The demo accounts of this project's data directory. */
  demo: DemoAccounts;
  /** Another browser (its own context and cookies), signed in as a demo user, or signed out with null. */
  pageAs: (who: DemoUser | null) => Promise<Page>;
  /** The API, signed in as a demo user: for setting the scene when the UI for it is not what is tested. */
  apiAs: (who: DemoUser) => Promise<APIRequestContext>;
}

export const test = base.extend<FixtureOptions & Fixtures>({
  backend: ['sqlite', { option: true }],
  signedInAs: [undefined, { option: true }],

  storageState: async ({ signedInAs, backend, baseURL, storageState }, use) => {
    await use(signedInAs ? await storageStateFor(backend, baseURL!, signedInAs) : storageState);
  },

  page: async ({ page }, use) => {
    const errors: string[] = [];
    watchForErrors(page, errors);
    await use(page);
    expect(errors, 'errors in the browser console').toEqual([]);
  },

  demo: async ({ backend }, use) => {
    await use(demoAccounts(backend));
  },

  pageAs: async ({ browser, backend, baseURL, viewport, locale, timezoneId }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    const errors: string[] = [];
    await use(async (who) => {
      const context = await browser.newContext({
        baseURL,
        viewport,
        locale,
        timezoneId,
        ...(who ? { storageState: await storageStateFor(backend, baseURL!, who) } : {}),
      });
      contexts.push(context);
      const page = await context.newPage();
      watchForErrors(page, errors);
      return page;
    });
    await Promise.all(contexts.map((c) => c.close()));
    expect(errors, 'errors in the browser console').toEqual([]);
  },

  apiAs: async ({ backend, baseURL }, use) => {
    const contexts: APIRequestContext[] = [];
    await use(async (who) => {
      const api = await request.newContext({ baseURL, storageState: await storageStateFor(backend, baseURL!, who) });
      contexts.push(api);
      return api;
    });
    await Promise.all(contexts.map((c) => c.dispose()));
  },
});

export { expect };

/**
 * Uncaught exceptions and console errors on a page, collected as they happen. The browser logs every
 * 4xx answer as a failed resource; those are how the API says no, and the tests check the UI shows it.
 */
const droppedOnPurpose = new WeakMap<Page, RegExp>();

/** A test that drops connections itself (`route.abort`) to `url`: the browser's report of each is expected. */
export function expectDroppedConnections(page: Page, url: RegExp): void {
  droppedOnPurpose.set(page, url);
}

function watchForErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    const dropped = droppedOnPurpose.get(page);
    if (dropped && /^Failed to load resource: net::ERR_/.test(message.text()) && dropped.test(message.location().url)) return;
    errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
}

/** A short random suffix so names and emails created by a test (and its retry) never collide. */
export function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}
