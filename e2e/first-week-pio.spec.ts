/**
 * Issue 9, item 8: the public-information officer's first week. They open a closed operation's press
 * release draft and read when the operation actually ran (not its planned date), write "No one should
 * be bought or sold" without a refusal, paste a phone number an officer recorded and see exactly one
 * finding — a phone number, not a name — and, once the release is out, the Spanish public page reads
 * in Spanish: the agency, the dates and who was quoted. At desktop width and on a phone (390×844).
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { planApprovedOperation, post, whoAmI } from './support/operations.ts';

const TIME_ZONE = 'America/Chicago';
const AP_MONTHS = ['Jan.', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'];
const ES_MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** The calendar day of an instant in the task force's time zone, as AP and as a Spanish paper write it. */
function dayOf(ms: number) {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms)).split('-').map(Number) as [number, number, number];
  return { en: `${AP_MONTHS[m - 1]} ${d}, ${y}`, es: `${d} de ${ES_MONTHS[m - 1]} de ${y}`, day: `${AP_MONTHS[m - 1]} ${d}` };
}

const RECORDED_PHONE = '(660) 555-0147';
/**
 * Henry County: places no other browser test plans in, one per width and on different days, so the
 * two tests (run in parallel) never conflict with each other or with anything else.
 */
const PLACES = {
  desktop: { label: 'Motel off Route 7, Clinton (e2e)', countyFips: '29083', lat: 38.3686, lng: -93.7783, daysAgo: 6 },
  phone: { label: 'Truck stop on Route 52, Windsor (e2e)', countyFips: '29083', lat: 38.5322, lng: -93.5222, daysAgo: 9 },
};

for (const [width, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  const place = PLACES[width];
  test.describe(`the PIO's first week (${width})`, () => {
    test.use({ viewport });

    test('a closed operation’s release says when it ran, lets “No one” be, flags one phone number once, and reads in Spanish', async ({ pageAs, apiAs }) => {
      test.setTimeout(150_000);
      const suffix = uniqueSuffix();
      const name = `Operation First Week ${width} ${suffix} (e2e)`;
      const coordinatorApi = await apiAs('coordinator');
      const officerApi = await apiAs('officer');
      const pioApi = await apiAs('pio');
      const me = await whoAmI(coordinatorApi);
      const officer = await whoAmI(officerApi);

      // Planned for days ago; it actually ran today (made active and closed now).
      const plannedMs = Math.floor((Date.now() - place.daysAgo * 86_400_000) / 60_000) * 60_000;
      const op = {
        id: await planApprovedOperation(coordinatorApi, {
          taskForceId: me.taskForces[0]!.id,
          name,
          startsMs: plannedMs,
          hours: 3,
          location: { ...place, label: `${place.label} ${suffix}` },
          commander: { name: `Sgt. Casey Week ${suffix}`, phone: '(660) 555-0100' },
          assignedUserIds: [officer.user.id],
        }),
      };
      const ranFrom = Date.now();
      await post(coordinatorApi, `/api/operations/${op.id}/activate`, {});
      for (let i = 0; i < 2; i++) {
        await post(officerApi, `/api/operations/${op.id}/contacts`, { role: 'suspect', suspectType: 'buyer', sex: 'male', ageBand: '35_to_49', disposition: 'detained', ...(i === 0 ? { phones: [RECORDED_PHONE] } : {}) }, 201);
      }
      for (let i = 0; i < 3; i++) {
        await post(officerApi, `/api/operations/${op.id}/contacts`, { role: 'adult_victim', sex: 'female', ageBand: '25_to_34', disposition: 'offered_services', services: [{ service: 'food', offered: true }] }, 201);
      }
      await post(coordinatorApi, `/api/operations/${op.id}/close`, {});
      const ranTo = Date.now();
      const planned = dayOf(plannedMs);
      const started = dayOf(ranFrom);
      const closed = dayOf(ranTo);

      const pio = await pageAs('pio');
      const h1 = (page: Page, text: string | RegExp) => page.getByRole('heading', { level: 1, name: text });
      let releaseId = '';

      await test.step('the draft says the day the operation actually ran, not its planned day', async () => {
        await pio.goto(`/operations/${op.id}/press-releases`);
        await expect(pio.getByRole('heading', { name: 'Draft a press release' })).toBeVisible();
        await expectAccessible(pio, `operation press release tab (${width})`);
        await pio.getByRole('button', { name: 'Draft a press release' }).click();
        await expect(h1(pio, `Press release: ${name}`)).toBeVisible();
        releaseId = /\/press-releases\/([^/?#]+)$/.exec(new URL(pio.url()).pathname)![1]!;
        const bodyEn = pio.getByLabel('Body (English)');
        const ran = started.en === closed.en ? `on ${closed.en}` : `from ${started.day} to ${closed.en}`;
        await expect(bodyEn).toHaveValue(new RegExp(`led a human trafficking operation targeting sex buyers in .+ ${ran.replace(/[.]/g, '\\.')}`));
        await expect(bodyEn).not.toHaveValue(new RegExp(planned.en.replace(/[.]/g, '\\.')));
        await expect(pio.getByLabel('Body (Spanish)')).toHaveValue(new RegExp(closed.es));
        await expect(pio.getByText('The guards find nothing in the saved text: it can go to approval.')).toBeVisible();
        await expectAccessible(pio, `press release draft (${width})`);
      });

      const bodyEn = pio.getByLabel('Body (English)');
      const drafted = await bodyEn.inputValue();

      await test.step('“No one should be bought or sold” is not the figure one', async () => {
        await bodyEn.fill(`${drafted}\n\nNo one should be bought or sold.`);
        await pio.getByRole('button', { name: 'Save text' }).click();
        await expect(pio.getByText('Saved. The guards checked the new text.')).toBeVisible();
        await expect(pio.getByText('The guards find nothing in the saved text: it can go to approval.')).toBeVisible();
        await expect(bodyEn).not.toHaveAttribute('aria-invalid', 'true');
      });

      await test.step('a pasted phone number an officer recorded is one finding, named as a phone number', async () => {
        await bodyEn.fill(`${drafted}\n\nNo one should be bought or sold. For more, call ${RECORDED_PHONE}.`);
        await pio.getByRole('button', { name: 'Save text' }).click();
        await expect(pio.getByText('Saved. The guards checked the new text.')).toBeVisible();
        await expect(pio.getByRole('heading', { level: 2, name: 'The guards found 1 problem' })).toBeVisible();
        await expect(pio.locator('.lantern-problem-summary li')).toHaveCount(1);
        await expect(pio.locator('.lantern-problem-summary li').first()).toContainText(`Gives a phone number recorded for this operation: “${RECORDED_PHONE}”`);
        await expect(pio.getByText('Names a person recorded for this operation', { exact: false })).toHaveCount(0);
        await expect(pio.locator('mark', { hasText: RECORDED_PHONE })).toHaveCount(1);
        await expect(bodyEn).toHaveAttribute('aria-invalid', 'true');
        await expectAccessible(pio, `press release with one finding (${width})`);
        await pio.screenshot({ path: test.info().outputPath(`pio-one-finding-${width}.png`), fullPage: true });
      });

      await test.step('without it, and with a quote, the release is approved twice and published', async () => {
        await bodyEn.fill(`${drafted}\n\nNo one should be bought or sold.`);
        await pio.getByLabel('Quote (English)').fill('We thank every partner agency and advocate who stood with us.');
        await pio.getByLabel('Quote (Spanish)').fill('Agradecemos a cada agencia y organización de apoyo que nos acompañó.');
        await pio.getByLabel('Who said it').fill('Chief of Police, Oak Grove Police Department');
        await pio.getByRole('button', { name: 'Save text' }).click();
        await expect(pio.getByText('Saved. The guards checked the new text.')).toBeVisible();
        await expect(pio.getByText('The guards find nothing in the saved text: it can go to approval.')).toBeVisible();
        // Two people approve (the flow through the buttons is press-releases.spec.ts's); the PIO publishes.
        await post(pioApi, `/api/press-releases/${releaseId}/approve`, { as: 'pio' });
        await post(coordinatorApi, `/api/press-releases/${releaseId}/approve`, { as: 'coordinator' });
        await post(pioApi, `/api/press-releases/${releaseId}/publish`, {});
      });

      await test.step('the Spanish public page reads in Spanish: agency, dates and who was quoted', async () => {
        const release = (await (await pioApi.get(`/api/press-releases/${releaseId}`)).json()) as { slug: string };
        const reader = await pageAs(null);
        const res = await reader.goto(`/news/${release.slug}?lang=es`);
        expect(res?.status()).toBe(200);
        await expect(reader.locator('html')).toHaveAttribute('lang', 'es');
        const article = reader.locator('article');
        await expect(article).toContainText('El Departamento de Policía de Oak Grove encabezó un operativo contra la trata de personas');
        await expect(article).toContainText(closed.es);
        await expect(article).toContainText('“Agradecemos a cada agencia y organización de apoyo que nos acompañó”, dijo el jefe de policía del Departamento de Policía de Oak Grove.');
        await expect(article).not.toContainText('Chief of Police');
        await expect(article).not.toContainText('Police Department');
        await expect(article).not.toContainText(RECORDED_PHONE);
        await expectAccessible(reader, `public press release in Spanish (${width})`);
        await reader.screenshot({ path: test.info().outputPath(`public-release-es-${width}.png`), fullPage: true });
      });
    });
  });
}
