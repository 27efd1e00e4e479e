/**
 * Issue #9, item 4: a coordinator planning an operation finds its place by name instead of typing
 * coordinates, checks it on the map (moving it by keyboard), and names a commander whose phone comes
 * from their account. The offline gazetteer answers (the e2e servers run with the default geocoder).
 */
import { expect, test } from './support/fixtures.ts';
import { expectAccessible } from './support/axe.ts';
import { whoAmI } from './support/operations.ts';
import { tick } from './support/uswds.ts';

const OFFICER_PHONE = '(816) 555-0142';

for (const [width, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test.describe(`plan location at ${width} width`, () => {
    test.use({ signedInAs: 'coordinator', viewport });

    test('a coordinator finds "Oak Grove, MO", sees it on the map, moves it, and the commander\'s phone fills', async ({ page, apiAs }) => {
      // The officer keeps their own work phone on their account (PATCH /api/users/:id by themself).
      const officerApi = await apiAs('officer');
      const officer = await whoAmI(officerApi);
      const saved = await officerApi.patch(`/api/users/${officer.user.id}`, { data: { phone: OFFICER_PHONE } });
      expect(saved.status(), await saved.text()).toBe(200);

      await page.goto('/operations/new');
      await expect(page.getByRole('heading', { level: 1, name: 'Plan an operation' })).toBeVisible();

      await test.step('search for the town and choose the result', async () => {
        const search = page.getByLabel('Find an address or place');
        await search.fill('Oak Grove, MO');
        await search.press('Enter');
        await expect(page.getByRole('status').filter({ hasText: /1 result\./ })).toBeVisible();
        const result = page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: /Oak Grove, MO/ });
        // The first result takes the focus: the keyboard chooses it.
        await expect(result).toBeFocused();
        await expect(result).toContainText('Jackson County · town center (approximate)');
        await page.keyboard.press('Enter');
        await expect(page.getByText('Filled from Oak Grove, MO.')).toBeVisible();
        // The town's center, from the gazetteer: 38.99751, -94.14544.
        await expect(page.getByLabel('Latitude')).toHaveValue('38.99751');
        await expect(page.getByLabel('Longitude')).toHaveValue('-94.14544');
        await expect(page.getByLabel('County', { exact: true })).toHaveValue('29095');
        await expect(page.getByLabel('Address or place name')).toHaveValue('Oak Grove, MO');
        await expect(page.getByTestId('location-picker-point')).toBeVisible();
      });

      await test.step('move the point north with the arrow keys, and click the map', async () => {
        const before = Number(await page.getByLabel('Latitude').inputValue());
        const map = page.getByRole('application', { name: 'Map for Location 1' });
        await map.focus();
        await page.keyboard.press('ArrowUp');
        await expect.poll(async () => Number(await page.getByLabel('Latitude').inputValue())).toBeGreaterThan(before);
        await expect(page.getByText(/^Point set at 3[89]\.\d+, -94\.\d+, in Jackson County\.$/)).toBeVisible();
        // A click sets the point where it lands: near the map's center, still in Jackson County.
        const box = (await page.getByTestId('location-picker-map').boundingBox())!;
        await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.55);
        await expect.poll(async () => Number(await page.getByLabel('Longitude').inputValue())).toBeLessThan(-94);
        await expect(page.getByLabel('County', { exact: true })).toHaveValue(/^29\d{3}$/);
      });

      await test.step("assign the officer, make them commander: their phone fills", async () => {
        await tick(page.getByRole('checkbox', { name: officer.user.displayName }));
        await page.getByLabel('Choose from assigned users').selectOption({ label: `${officer.user.displayName} (${officer.agency.name})` });
        await expect(page.getByLabel("Commander's name")).toHaveValue(officer.user.displayName);
        await expect(page.getByLabel('24/7 phone')).toHaveValue(OFFICER_PHONE);
      });

      await expectAccessible(page, `plan form with a location (${width})`);
    });

    test("the task force page lists partners' coordinators and their phones", async ({ page, apiAs }) => {
      const kcpd = await apiAs('kcpd-coordinator');
      const partner = await whoAmI(kcpd);
      const saved = await kcpd.patch(`/api/users/${partner.user.id}`, { data: { phone: '(816) 555-0177' } });
      expect(saved.status(), await saved.text()).toBe(200);
      const me = await whoAmI(await apiAs('coordinator'));
      await page.goto(`/admin/task-forces/${me.taskForces[0]!.id}`);
      const contacts = page.getByRole('region', { name: 'Partner contacts' });
      const row = contacts.getByRole('row').filter({ hasText: partner.user.displayName });
      await expect(row).toContainText(partner.agency.name);
      await expect(row.getByRole('link', { name: '(816) 555-0177' })).toHaveAttribute('href', 'tel:8165550177');
      await expectAccessible(page, `task force contacts (${width})`);
    });
  });
}
