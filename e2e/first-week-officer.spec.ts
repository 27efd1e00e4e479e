/**
 * Issue #9, the officer's first week: they keep their work phone on their account (a number that cannot
 * be dialed is refused beside the field), find the operation they are assigned to on Home, record a
 * woman on its field log and refer her to the advocates, the callback number already filled with their
 * own phone. The scene (an operation approved and started by the coordinator) is set through the API;
 * the officer's part through the UI, at desktop and phone width, axe-clean.
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { PLACES, post, startOperation, taskForceMembers, whoAmI } from './support/operations.ts';
import { choose, tick } from './support/uswds.ts';

/**
 * The demo officer's work phone. first-week-plan-location.spec.ts sets the same number (through the API)
 * and reads it back on the plan form, so the two specs may run side by side in either order.
 */
const OFFICER_PHONE = '(816) 555-0142';
/** Not RISE: the advocate's own first-week spec reads the newest referral sent to RISE. */
const ADVOCATES = 'Relentless Pursuit';

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test.describe(`officer, first week (${label})`, () => {
    test.use({ signedInAs: 'officer', viewport });

    test('sets their work phone, finds their operation on Home, records a woman and refers her with their number filled in', async ({ page, apiAs }) => {
      const suffix = uniqueSuffix();
      const name = `Operation Porch Light ${suffix} (e2e)`;
      const coordinatorApi = await apiAs('coordinator');
      const coordinator = await whoAmI(coordinatorApi);
      const officer = await whoAmI(await apiAs('officer'));
      const taskForceId = coordinator.taskForces[0]!.id;
      const advocates = (await taskForceMembers(coordinatorApi, taskForceId)).get(ADVOCATES)!;
      // A two-hour window on a random past day: a past operation's overlaps only inform, so no other
      // test's operation (or this one at the other width) can stop it from starting.
      const startsMs = Math.floor((Date.now() - (3 + Math.random() * 1500) * 86_400_000) / 60_000) * 60_000;
      const op = {
        id: await startOperation(coordinatorApi, {
          taskForceId,
          name,
          type: 'victim_recovery',
          startsMs,
          hours: 2,
          location: PLACES.sedalia,
          participants: [{ agencyId: advocates.agencyId, role: 'victim_services' }],
          commander: { name: `Sgt. Robin Porch ${suffix}`, phone: '(660) 555-0193' },
          assignedUserIds: [officer.user.id],
        }),
      };

      await test.step('the account page refuses a number that cannot be dialed, beside the field, and keeps a good one', async () => {
        await page.goto('/account');
        await expect(h1(page, 'Your account')).toBeVisible();
        const phone = page.getByLabel('Work phone');
        await phone.fill('555-1234');
        await page.getByRole('button', { name: 'Save work phone' }).click();
        const refusal = page.locator('#work-phone-error');
        await expect(refusal).toContainText('must be a phone number that can be dialed');
        await expect(phone).toHaveAttribute('aria-invalid', 'true');
        await expect(phone).toBeFocused();
        await expectAccessible(page, `account, work phone refused (${label})`);

        await phone.fill(OFFICER_PHONE);
        await page.getByRole('button', { name: 'Save work phone' }).click();
        await expect(page.getByText('Your work phone is saved.')).toBeVisible();
        await expect(refusal).toHaveCount(0);
        await expect(phone).toHaveValue(OFFICER_PHONE);
      });

      await test.step('Home lists the operation they are assigned to; its field log opens from there', async () => {
        await page.goto('/home');
        await expect(page.getByRole('heading', { level: 3, name: /active operations? you are assigned to$/ })).toBeVisible();
        const link = page.getByRole('link', { name: `Field log: ${name}`, exact: true });
        await expect(link).toBeVisible();
        await expectAccessible(page, `home (officer, ${label})`);
        await link.click();
        await expect(h1(page, 'Field log')).toBeVisible();
      });

      await test.step('records a woman offered lodging, which she accepts', async () => {
        const form = page.getByRole('form', { name: 'Record person' });
        const tile = (legend: string, option: string) => choose(form.getByRole('group', { name: legend, exact: true }).getByRole('radio', { name: option, exact: true }));
        await tile('Role', 'Adult potential victim');
        await tile('Sex', 'Female');
        await tile('Age band', '25–34');
        await tile('Disposition', 'Offered services');
        await tick(form.getByRole('checkbox', { name: 'Lodging offered', exact: true }));
        await tick(form.getByRole('checkbox', { name: 'Lodging accepted', exact: true }));
        await form.getByRole('button', { name: 'Record person', exact: true }).click();
        await expect(page.getByRole('heading', { level: 2, name: /^Recorded: Person \d+ — Adult potential victim — Offered services$/ })).toBeVisible();
      });

      await test.step('refers her to the advocates: the callback number is their work phone, and can be changed', async () => {
        await page.getByRole('link', { name: /^Refer Person \d+ to victim services$/ }).click();
        await expect(h1(page, 'Refer to victim services')).toBeVisible();
        const callback = page.getByLabel('Your callback number');
        await expect(callback).toHaveValue(OFFICER_PHONE);
        await expect(page.getByText('Filled in from the work phone on your account.', { exact: false })).toBeVisible();
        await expect(page.getByRole('radio', { name: new RegExp(`^${ADVOCATES}`) })).toBeChecked();
        await expect(page.getByRole('checkbox', { name: 'Lodging', exact: true })).toBeChecked();
        await expectAccessible(page, `referral form, callback number filled in (${label})`);

        await page.getByLabel('First name or alias').fill(`Dee ${suffix}`);
        await page.getByLabel('Language').fill('English');
        await page.getByLabel('How to reach the person safely').fill('Through the advocate on scene only (e2e)');
        await tick(page.getByRole('checkbox', { name: /agreed to be referred to this agency/ }));
        await page.getByRole('button', { name: 'Send referral' }).click();
        await expect(page.getByText(`Referral sent to ${ADVOCATES}.`)).toBeVisible();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      });

      await post(coordinatorApi, `/api/operations/${op.id}/close`, {});
    });
  });
}
