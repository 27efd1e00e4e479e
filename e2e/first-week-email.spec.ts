/**
 * Issue #9, item 6: notices that reach people. A custody hand-off recorded on the field log and a PIO's
 * approval of a press release arrive as emails at the test SMTP server (global-setup.ts appends what it
 * receives to <data dir>/mail.jsonl) — “You have a notice in Lantern” and a link, never what the notice
 * is about. Each person chooses on their account page which notices come by email, and how often.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { createUser } from './support/api.ts';
import { expectAccessible } from './support/axe.ts';
import { dataDirOf, type Backend } from './support/env.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { post, startOperation, whoAmI, PLACES } from './support/operations.ts';
import { choose } from './support/uswds.ts';

interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

function mailTo(backend: Backend, address: string): Mail[] {
  const file = path.join(dataDirOf(backend), 'mail.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Mail)
    .filter((m) => m.to.includes(address));
}

/** Waits for an email to `address`, polling the captured mail (no fixed sleep). */
async function waitForMail(backend: Backend, address: string): Promise<Mail> {
  await expect.poll(() => mailTo(backend, address).length, { message: `an email to ${address}`, timeout: 20_000 }).toBeGreaterThan(0);
  return mailTo(backend, address)[0]!;
}

function expectNoCaseContent(mail: Mail, words: string[]) {
  for (const w of words) expect(`${mail.subject}\n${mail.text}`).not.toContain(w);
}

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

test.describe('email notices (issue #9)', () => {
  test('a custody hand-off emails the receiving caseworkers and a PIO’s approval emails the lead coordinators, with no case content', async ({ apiAs, pageAs, backend, baseURL }) => {
    test.setTimeout(120_000);
    const suffix = uniqueSuffix();
    const name = `Operation Lamplight ${suffix} (e2e)`;
    const childName = `Tessa Quill${suffix.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
    const platformApi = await apiAs('platform');
    const coordinatorApi = await apiAs('coordinator');
    const officerApi = await apiAs('officer');
    const me = await whoAmI(coordinatorApi);
    const officer = await whoAmI(officerApi);
    const caseworker = await whoAmI(await apiAs('caseworker'));

    // Fresh recipients, so the emails this test waits for are the ones its own notices caused.
    const newCaseworker = `caseworker-${suffix}@e2e.test`;
    const newCoordinator = `coordinator-${suffix}@e2e.test`;
    await createUser(platformApi, { email: newCaseworker, displayName: `Casey Worker ${suffix}`, agencyId: caseworker.agency.id, roles: ['caseworker'] });
    await createUser(platformApi, { email: newCoordinator, displayName: `Cory Ordinator ${suffix}`, agencyId: me.agency.id, roles: ['coordinator'] });

    const startsMs = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
    const op = {
      id: await startOperation(coordinatorApi, {
        taskForceId: me.taskForces[0]!.id,
        name,
        startsMs,
        hours: 6,
        location: PLACES.sedalia,
        commander: { name: `Sgt. Lamp ${suffix}`, phone: '(660) 555-0191' },
        assignedUserIds: [officer.user.id],
      }),
    };
    const child = await post<{ id: string; personNumber: number }>(
      officerApi,
      `/api/operations/${op.id}/contacts`,
      { role: 'minor', sex: 'female', ageBand: 'under_5', estimatedAge: 3, disposition: 'protective_custody', name: childName },
      201,
    );

    await test.step('the officer records the hand-off on the field log; the new caseworker gets “You have a notice in Lantern”', async () => {
      const page = await pageAs('officer');
      await page.goto(`/contacts/${child.id}`);
      await page.getByRole('link', { name: `Record custody hand-off for Person ${child.personNumber}` }).click();
      await expect(h1(page, 'Custody hand-off')).toBeVisible();
      await choose(page.getByRole('radio', { name: /^Imminent danger/ }));
      await page.getByRole('button', { name: /^Now\W+Juvenile officer notified at$/ }).click();
      await page.getByRole('button', { name: /^Now\W+Children's Division notified at$/ }).click();
      await page.getByRole('button', { name: `Record hand-off of Person ${child.personNumber}` }).click();
      await expect(h1(page, `Custody hand-off: Person ${child.personNumber}`)).toBeVisible();

      const mail = await waitForMail(backend, newCaseworker);
      expect(mail.subject).toBe('You have a notice in Lantern');
      expect(mail.text).toContain(`${baseURL}/inbox`);
      expect(mail.text).toContain(`${baseURL}/account#notifications`);
      expectNoCaseContent(mail, [childName, name, suffix, 'Person', 'Oak Grove', 'Sedalia']);
    });

    await test.step('the PIO approves a release; the lead agency’s new coordinator is emailed that one awaits approval', async () => {
      const pioApi = await apiAs('pio');
      const release = await post<{ id: string }>(pioApi, `/api/operations/${op.id}/press-releases`, { datelineCity: 'Sedalia' }, 201);
      const page = await pageAs('pio');
      await page.goto(`/press-releases/${release.id}`);
      await expect(h1(page, `Press release: ${name}`)).toBeVisible();
      await page.getByRole('button', { name: 'Approve as public-information officer' }).click();
      await expect(page.getByText('Your approval is recorded.')).toBeVisible();

      const mail = await waitForMail(backend, newCoordinator);
      expect(mail.subject).toBe('You have a notice in Lantern');
      expectNoCaseContent(mail, [name, suffix, 'Sedalia', 'press release', 'Press release']);
    });
  });

  const preferencesFlow = (who: 'analyst' | 'advocate', viewport: { width: number; height: number }) => async ({ pageAs, apiAs }: { pageAs: (w: 'analyst' | 'advocate') => Promise<Page>; apiAs: (w: 'analyst' | 'advocate') => Promise<APIRequestContext> }) => {
    const page = await pageAs(who);
    await page.setViewportSize(viewport);
    const restore = async () => {
      const api = await apiAs(who);
      const res = await api.put('/api/me/notification-preferences', { data: { email: { deconfliction: true, pressReleases: true, account: true }, delivery: 'immediate' } });
      expect(res.status()).toBe(200);
    };
    await restore();
    try {
      await page.goto('/account#notifications');
      const section = page.getByRole('region', { name: 'Email notices' });
      await expect(section.getByRole('heading', { level: 2, name: 'Email notices' })).toBeVisible();
      const custody = section.getByRole('checkbox', { name: /^Custody hand-offs and statement deadlines/ });
      await expect(custody).toBeChecked();
      await expect(custody).toBeDisabled();
      await expect(section.getByText(/cannot be turned off/)).toBeVisible();
      await expectAccessible(page, `account: email notices (${viewport.width} px)`);

      const press = section.getByRole('checkbox', { name: /^Press releases awaiting approval or approved/ });
      await expect(press).toBeChecked();
      await page.locator(`label[for="${await press.getAttribute('id')}"]`).click();
      await expect(press).not.toBeChecked();
      await choose(section.getByRole('radio', { name: /^Once a day/ }));
      await section.getByRole('button', { name: 'Save email choices' }).click();
      await expect(section.getByText('Your email choices are saved.')).toBeVisible();

      await page.reload();
      await expect(page.getByRole('checkbox', { name: /^Press releases awaiting approval or approved/ })).not.toBeChecked();
      await expect(page.getByRole('radio', { name: /^Once a day/ })).toBeChecked();
      await expect(page.getByRole('radio', { name: /^As each notice arrives/ })).not.toBeChecked();
      const overflowing = await page.locator('#notifications').evaluate((section) =>
        [...section.querySelectorAll('*')]
          .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .map((el) => `${el.tagName}.${el.className}`),
      );
      expect(overflowing, 'nothing in the section runs past the screen').toEqual([]);
      await expectAccessible(page, `account: email notices saved (${viewport.width} px)`);

      // A refusal the server names a field for is shown beside that field.
      await page.route('**/api/me/notification-preferences', (route) =>
        route.request().method() === 'PUT'
          ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid', message: 'delivery: must be immediate or digest', field: 'delivery' } }) })
          : route.continue(),
      );
      await page.getByRole('button', { name: 'Save email choices' }).click();
      const delivery = page.getByRole('group', { name: 'When to email' });
      await expect(delivery.locator('.usa-error-message')).toContainText('must be immediate or digest');
      await expectAccessible(page, `account: email notices with an error (${viewport.width} px)`);
    } finally {
      await restore();
    }
  };

  test('the account page keeps each person’s email choices, custody deadlines always on (desktop)', preferencesFlow('analyst', { width: 1280, height: 800 }));
  test('the account page keeps each person’s email choices at phone width', preferencesFlow('advocate', { width: 390, height: 844 }));
});
