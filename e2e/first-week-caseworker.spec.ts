/**
 * Issue #9, the caseworker's first week: a child's custody hand-off shows the officer's phone, and the
 * receipt records the placement's name. The scene (an operation run by Oak Grove, a child handed off
 * with the officer's number) is set through the API; the caseworker's part through the UI, at desktop
 * and phone width, axe-clean.
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { PLACES, post, taskForceMembers, whoAmI } from './support/operations.ts';
import { choose } from './support/uswds.ts';

const DSS = "Missouri DSS Children's Division";
const factOf = (page: Page, term: string) => page.locator(`dt:text-is("${term}") + dd`);

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test.describe(`caseworker, first week (${label})`, () => {
    test.use({ viewport });

    test('sees the officer’s phone on a hand-off and records the placement’s name', async ({ pageAs, apiAs }) => {
      const suffix = uniqueSuffix();
      const coordinatorApi = await apiAs('coordinator');
      const officerApi = await apiAs('officer');
      const me = await whoAmI(coordinatorApi);
      const officer = await whoAmI(officerApi);
      const dss = (await taskForceMembers(coordinatorApi, me.taskForces[0]!.id)).get(DSS)!;
      // A two-hour window on a random past day, so no other test's operation overlaps it.
      const startsMs = Math.floor((Date.now() - (30 + Math.random() * 2000) * 86_400_000) / 60_000) * 60_000;
      const op = await post<{ id: string }>(
        coordinatorApi,
        '/api/operations',
        {
          taskForceId: me.taskForces[0]!.id,
          name: `Operation Safe Passage ${suffix} (e2e)`,
          type: 'victim_recovery',
          startsAt: new Date(startsMs).toISOString(),
          endsAt: new Date(startsMs + 2 * 3_600_000).toISOString(),
          locations: [{ label: PLACES.lexington.label, countyFips: PLACES.lexington.countyFips, lat: PLACES.lexington.lat, lng: PLACES.lexington.lng }],
          commander: { name: `Sgt. Casey Passage ${suffix}`, phone: '(660) 555-0190' },
          assignedUserIds: [officer.user.id],
        },
        201,
      );
      await post(coordinatorApi, `/api/operations/${op.id}/approve`, {});
      await post(coordinatorApi, `/api/operations/${op.id}/activate`, {});
      const child = await post<{ id: string }>(officerApi, `/api/operations/${op.id}/contacts`, { role: 'minor', sex: 'female', ageBand: '15_to_17', estimatedAge: 15 }, 201);
      const handoff = await post<{ id: string }>(
        officerApi,
        `/api/contacts/${child.id}/custody`,
        { takenAt: new Date(Date.now() - 30 * 60_000).toISOString(), reason: 'trafficking_victim', toAgencyId: dss.agencyId, officerPhone: '660-555-0187' },
        201,
      );

      const caseworker = await pageAs('caseworker');
      await caseworker.goto(`/custody/${handoff.id}`);
      await expect(caseworker.getByRole('heading', { level: 1, name: /^Custody hand-off: Person \d+$/ })).toBeVisible();
      const phone = factOf(caseworker, "Officer's phone").getByRole('link');
      await expect(phone).toHaveText('(660) 555-0187');
      await expect(phone).toHaveAttribute('href', 'tel:6605550187');
      await expect(factOf(caseworker, 'Officer who took the child')).toContainText('Olivia Officer (demo)');
      await expectAccessible(caseworker, `custody hand-off with the officer's phone (${label})`);

      // The placement's name is required, beside its field.
      await choose(caseworker.getByRole('radio', { name: 'Foster home', exact: true }));
      await caseworker.getByRole('button', { name: 'Record receipt' }).click();
      await expect(caseworker.getByText("Placement's name is required", { exact: false })).toBeVisible();
      const placement = `Maple Street foster home (${suffix})`;
      await caseworker.getByLabel("Placement's name").fill(placement);
      await caseworker.getByRole('button', { name: 'Record receipt' }).click();
      await expect(caseworker.getByText('Receipt recorded. The officer has been told.')).toBeVisible();
      await expect(factOf(caseworker, "Placement's name")).toHaveText(placement);
      expect(await caseworker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await expectAccessible(caseworker, `custody hand-off received (${label})`);

      await post(coordinatorApi, `/api/operations/${op.id}/close`, {});
    });
  });
}
