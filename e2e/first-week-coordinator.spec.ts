/**
 * Issue #9, the coordinator's first week (items 1, 2, 3 and 5), at desktop and at phone width: a plan
 * that conflicts with another agency's operation shows their commander and phone and nothing of their
 * plan; a start that the conflict blocks says why beside the button; resolving it clears the saved
 * message's count and tells the other agency by name; the operation starts; the operations list is
 * filtered by dates, agency and county and downloaded as CSV. Each page checked with axe.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { TIME_ZONE, post, whoAmI } from './support/operations.ts';

const KCPD = 'Kansas City Missouri Police Department';
const OAK_GROVE_PD = 'Oak Grove Police Department';

/** Places no demo operation or other spec uses, each inside its county; one per width so the two runs never meet. */
const PLACES = {
  desktop: { label: 'Motel on I-70 Dr SW, Columbia (first week e2e)', countyFips: '29019', county: 'Boone', lat: 38.9517, lng: -92.3341 },
  phone: { label: 'Truck stop on US-50, Jefferson City (first week e2e)', countyFips: '29051', county: 'Cole', lat: 38.5767, lng: -92.1735 },
} as const;

/** A `date` input's value (YYYY-MM-DD) for an instant, in the browser's (Chicago) time. */
function localDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

const h1 = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });

for (const width of ['desktop', 'phone'] as const) {
  test.describe(`the coordinator's first week at ${width} width (issue #9)`, () => {
    test.use({ viewport: width === 'phone' ? { width: 390, height: 844 } : { width: 1280, height: 800 } });

    test('a conflict with another agency: whom to call, a refused start says why, resolve, start; then filter the list and download it', async ({ pageAs, apiAs }) => {
      test.setTimeout(120_000);
      const suffix = uniqueSuffix();
      const place = PLACES[width];
      // Starting in three hours: within a day, so starting now asks nothing more of the coordinator.
      const startsMs = Math.floor((Date.now() + 3 * 3_600_000) / 60_000) * 60_000;
      const window = { startsAt: new Date(startsMs).toISOString(), endsAt: new Date(startsMs + 4 * 3_600_000).toISOString() };
      const theirs = { name: `Operation Keystone ${suffix} (KCPD, e2e)`, label: `Warehouse ${suffix}`, briefing: `KCPD briefing ${suffix}`, commander: `Lt. Avery Cole ${suffix}`, phone: '(816) 555-0163' };
      const name = `Operation First Week ${suffix} (e2e)`;

      // KCPD, another agency of the task force, already has an operation there, then.
      const kcpd = await apiAs('kcpd-coordinator');
      await post(
        kcpd,
        '/api/operations',
        {
          taskForceId: (await whoAmI(kcpd)).taskForces[0]!.id,
          name: theirs.name,
          type: 'warrant_service',
          ...window,
          locations: [{ label: theirs.label, countyFips: place.countyFips, lat: place.lat + 0.001, lng: place.lng }],
          commander: { name: theirs.commander, phone: theirs.phone },
          briefing: theirs.briefing,
        },
        201,
      );
      // The coordinator's draft is set up through the API (the plan form is another test's subject).
      const api = await apiAs('coordinator');
      const draft = await post<{ id: string }>(
        api,
        '/api/operations',
        {
          taskForceId: (await whoAmI(api)).taskForces[0]!.id,
          name: `${name} (draft)`,
          type: 'buyer_sting',
          ...window,
          locations: [{ label: place.label, countyFips: place.countyFips, lat: place.lat, lng: place.lng }],
          commander: { name: `Sgt. Robin Vale ${suffix}`, phone: '(816) 555-0142' },
        },
        201,
      );

      const page = await pageAs('coordinator');
      const conflicts = page.locator('#conflicts');
      const card = conflicts.getByRole('listitem').filter({ hasText: theirs.commander });
      const savedMessage = page.getByText(/^Saved\. Deconfliction found \d+ open conflicts? with/);

      await test.step('saving the plan reports the conflict: their agency, commander and phone, nothing of their plan', async () => {
        await page.goto(`/operations/${draft.id}/edit`);
        await page.getByLabel('Operation name').fill(name);
        await page.getByRole('button', { name: /^Save changes/ }).click();
        await expect(h1(page, name)).toBeVisible();
        await expect(savedMessage).toHaveText(/^Saved\. Deconfliction found 1 open conflict with another agency's operation/);
        await expect(card).toHaveCount(1);
        await expect(card.locator('dt:text-is("Other agency") + dd')).toHaveText(KCPD);
        await expect(card.getByRole('link', { name: theirs.phone })).toHaveAttribute('href', 'tel:8165550163');
        for (const secret of [theirs.name, theirs.label, theirs.briefing]) await expect(page.getByText(secret)).toHaveCount(0);
        await expectAccessible(page, `operation page with a conflict (${width})`);
      });

      await test.step('approved, its start is refused and says why beside the button', async () => {
        await page.getByRole('button', { name: 'Approve plan' }).click();
        await page.getByRole('dialog', { name: `Approve “${name}”?` }).getByRole('button', { name: 'Approve plan' }).click();
        await expect(page.getByText('The plan is approved.')).toBeVisible();
        // The saved message was the moment of saving; the state is shown where it is decided.
        await expect(savedMessage).toHaveCount(0);
        await expect(page.getByRole('heading', { name: '1 unresolved conflict stops this operation from starting' })).toBeVisible();
        const start = page.getByRole('button', { name: 'Start operation', exact: true });
        await expect(start).toHaveClass(/usa-button--outline/);
        await start.click();
        const confirm = page.getByRole('dialog', { name: `Start “${name}”?` });
        await expect(confirm.getByText('1 conflict is still open: Lantern will refuse the start until it is resolved or waived.')).toBeVisible();
        await confirm.getByRole('button', { name: 'Start operation' }).click();
        const refusal = page.locator('#op-step-refusal');
        await expect(refusal).toContainText('“Start operation” was refused. It cannot start with 1 deconfliction conflict unresolved.');
        await expect(start).toHaveAttribute('aria-describedby', 'op-step-refusal');
        await expectAccessible(page, `operation page, start refused (${width})`);
      });

      await test.step('resolving tells KCPD by name; nothing stale is left, and the operation starts', async () => {
        await card.getByRole('button', { name: /^Resolve/ }).click();
        const resolve = page.getByRole('dialog', { name: 'Mark this conflict resolved?' });
        await resolve.getByLabel('What was agreed').fill(`Spoke with ${theirs.commander}: their entry is at 9 p.m., ours ends by 8.`);
        await resolve.getByRole('button', { name: 'Mark resolved' }).click();
        await expect(page.getByText(`The conflict is marked resolved. The coordinators of ${KCPD} have been told.`)).toBeVisible();
        await expect(card.getByText('Resolved', { exact: true })).toBeVisible();
        await expect(page.getByRole('heading', { name: /unresolved conflicts? stops? this operation/ })).toHaveCount(0);
        await expect(page.locator('#op-step-refusal')).toHaveCount(0);
        await expect(page.getByText(/conflict\(s\)/)).toHaveCount(0);
        const start = page.getByRole('button', { name: 'Start operation', exact: true });
        await expect(start).not.toHaveClass(/usa-button--outline/);
        await start.click();
        const confirm = page.getByRole('dialog', { name: `Start “${name}”?` });
        await expect(confirm.getByText(/more than a day from now/)).toHaveCount(0);
        await confirm.getByRole('button', { name: 'Start operation' }).click();
        await expect(page.getByText('The operation is active. The field log is open.')).toBeVisible();
      });

      await test.step('the operations list, filtered by dates, agency and county, downloads as CSV', async () => {
        await page.goto('/operations');
        await expect(h1(page, 'Operations')).toBeVisible();
        await page.getByLabel('From (date)').fill(localDate(startsMs));
        await page.getByLabel('To (date)').fill(localDate(startsMs + 86_400_000));
        await page.getByLabel('Agency taking part').selectOption({ label: OAK_GROVE_PD });
        await page.getByLabel('County', { exact: true }).selectOption({ label: place.county });
        await page.getByRole('button', { name: 'Find', exact: true }).click();
        await expect(page).toHaveURL(new RegExp(`county=(%22)?${place.countyFips}`));
        const table = page.getByRole('table');
        await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
        await expect(table.locator('tbody tr')).toHaveCount(1);
        await expectAccessible(page, `operations list, filtered (${width})`);

        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download this list (CSV)' }).click()]);
        expect(download.suggestedFilename()).toMatch(/^lantern-operations-\d{4}-\d{2}-\d{2}\.csv$/);
        const csv = await readFile((await download.path())!, 'utf8');
        const lines = csv.trim().split('\r\n');
        expect(lines[0]).toBe('name,type,status,starts_at_utc,ends_at_utc,lead_agency,counties,open_conflicts,contacts,investigation_hold,id');
        expect(lines).toHaveLength(2);
        expect(lines[1]).toContain(name);
        expect(lines[1]).toContain(`${place.county} (${place.countyFips})`);
        expect(csv).not.toContain(theirs.name);
      });
    });
  });
}
