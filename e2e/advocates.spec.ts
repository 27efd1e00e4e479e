/**
 * Issue #12, done when: an advocate accepts a referral, opens a client record, records a service, takes a
 * release for the prosecutor's office scoped to service status and shares under it; the prosecutor's
 * user reads exactly that (the service status, never the phone); the advocate revokes; the prosecutor's
 * next read is refused. The scene (an operation, a woman recorded and referred to RISE) is set through
 * the API; the advocate's and the prosecutor's parts through the UI, with axe on the client record and
 * on the shared record.
 */
import fs from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { PLACES, post, startOperation, taskForceMembers, whoAmI } from './support/operations.ts';
import { choose, tick } from './support/uswds.ts';

const RISE = 'RISE Coalition';
const AGO = "Missouri Attorney General's Human Trafficking Task Force";
/** The same sender and callback as first-week-advocate.spec.ts reads on the newest referral to RISE. */
const CALLBACK = '(660) 555-0141';
/** In the referral's safe-contact line: it becomes the client's phone, which a service-status release never carries. */
const CLIENT_PHONE_DIGITS = '555-0177';

/** A small, well-formed PDF: what a scanner's "save as PDF" starts with. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

test.describe.serial('advocates: a client, a release to the prosecutor, a share, a revocation', () => {
  const suffix = uniqueSuffix();
  const name = `Dee ${suffix}`;
  const purpose = `Victim-witness coordination (${suffix})`;
  let referralId = '';
  /** Clients given emergency shelter this quarter by RISE before this test's service (the demo's and other runs'). */
  let shelteredBefore = 0;
  const now = new Date();
  const year = now.getFullYear();
  const quarter = Math.floor(now.getMonth() / 3) + 1;
  const sheltered = async (api: APIRequestContext) => {
    const res = await api.get(`/api/clients/reports/tims?year=${year}&quarter=${quarter}`);
    expect(res.status(), await res.text()).toBe(200);
    const report = (await res.json()) as { services: { category: string; clients: number }[] };
    return report.services.find((s) => s.category === 'emergency_shelter')?.clients ?? 0;
  };

  test('the scene: a woman recorded on an operation and referred to RISE', async ({ apiAs }) => {
    const coordinatorApi = await apiAs('coordinator');
    const officerApi = await apiAs('officer');
    const coordinator = await whoAmI(coordinatorApi);
    const officer = await whoAmI(officerApi);
    const taskForceId = coordinator.taskForces[0]!.id;
    const rise = (await taskForceMembers(coordinatorApi, taskForceId)).get(RISE)!;
    // A two-hour window on a random past day, so no other test's operation can stop it from starting.
    const startsMs = Math.floor((Date.now() - (3 + Math.random() * 1500) * 86_400_000) / 60_000) * 60_000;
    const operationId = await startOperation(coordinatorApi, {
      taskForceId,
      name: `Operation Harbor ${suffix} (e2e)`,
      type: 'victim_recovery',
      startsMs,
      hours: 2,
      location: PLACES.lexington,
      participants: [{ agencyId: rise.agencyId, role: 'victim_services' }],
      commander: { name: `Sgt. Harbor ${suffix}`, phone: '(660) 555-0193' },
      assignedUserIds: [officer.user.id],
    });
    const contact = await post<{ id: string }>(officerApi, `/api/operations/${operationId}/contacts`, { role: 'adult_victim', sex: 'female', ageBand: '25_to_34' }, 201);
    const referral = await post<{ id: string }>(
      officerApi,
      `/api/contacts/${contact.id}/referrals`,
      { toAgencyId: rise.agencyId, firstName: name, language: 'English', services: ['lodging', 'counseling'], safeContact: `Text only, (816) ${CLIENT_PHONE_DIGITS}`, consent: true, callbackPhone: CALLBACK },
      201,
    );
    referralId = referral.id;
    shelteredBefore = await sheltered(await apiAs('advocate'));
  });

  test('the advocate serves, takes a release and shares; the prosecutor reads exactly that until it is revoked', async ({ pageAs }) => {
    const advocate = await pageAs('advocate');
    const analyst = await pageAs('ago-analyst');
    await test.step('the advocate accepts the referral and opens a client record from it', async () => {
    await advocate.goto(`/referrals/${referralId}`);
    await expect(h1(advocate, `Referral: ${name}`)).toBeVisible();
    await advocate.getByRole('button', { name: 'Accept referral' }).click();
    await advocate.getByRole('dialog').getByRole('button', { name: 'Accept referral' }).click();
    await expect(advocate.getByText('Referral accepted.', { exact: false })).toBeVisible();

    await advocate.getByRole('button', { name: 'Open a client record' }).click();
    await expect(h1(advocate, name)).toBeVisible();
    await expect(advocate.getByText(`Client record opened for ${name}.`)).toBeVisible();
    // The referral's services became needs.
    await expect(advocate.getByRole('checkbox', { name: 'Emergency shelter' })).toBeChecked();

    await advocate.getByLabel('Service', { exact: true }).selectOption({ label: 'Emergency shelter' });
    await advocate.getByRole('button', { name: 'Record service' }).click();
    await expect(advocate.getByText('Service recorded.')).toBeVisible();
    await expect(advocate.getByRole('list', { name: 'Services provided' }).getByRole('listitem')).toHaveCount(1);
    await expect(advocate.getByRole('list', { name: 'Services provided' })).toContainText('Emergency shelter');
    await expectAccessible(advocate, 'client record (advocate)');
    });

    await test.step('the advocate attaches the signed intake form as a PDF and downloads it back, byte for byte', async () => {
    const documents = advocate.getByRole('region', { name: 'Documents' });
    await expect(documents.getByText('No documents yet.')).toBeVisible();
    await documents.getByLabel('Add a document').setInputFiles({ name: `intake ${suffix}.pdf`, mimeType: 'application/pdf', buffer: PDF });
    await documents.getByRole('button', { name: 'Upload document' }).click();
    await expect(advocate.getByText(`Document added: intake ${suffix}.pdf.`)).toBeVisible();
    const link = documents.getByRole('link', { name: `Download intake ${suffix}.pdf (1 KB)` });
    const [download] = await Promise.all([advocate.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^intake.*\.pdf$/);
    expect(fs.readFileSync(await download.path())).toEqual(PDF);
    });

    await test.step('the advocate takes a release for the prosecutor, scoped to service status, and shares', async () => {
    await advocate.getByRole('button', { name: 'Take a release' }).click();
    // Nothing filled in: each missing answer is said beside its field.
    await advocate.getByRole('button', { name: 'Record release' }).click();
    await expect(advocate.locator('#release-recipientAgencyId-error')).toContainText('Recipient agency is required.');
    await expect(advocate.getByText('Confirm that you explained the release to the client.')).toBeVisible();

    await advocate.getByLabel('Recipient agency').selectOption({ label: AGO });
    await tick(advocate.getByRole('checkbox', { name: 'Service status only' }));
    await advocate.getByLabel('Purpose').fill(purpose);
    await expect(advocate.getByText('Leave empty for the default: 90 days after the start', { exact: false })).toBeVisible();
    await tick(advocate.getByRole('checkbox', { name: /^I have explained to the client what will be shared/ }));
    await advocate.getByLabel("Client's signature (their name, typed by them)").fill(name);
    await advocate.getByRole('button', { name: 'Record release' }).click();
    await expect(advocate.getByText(`Release recorded for ${AGO}.`)).toBeVisible();

    const release = advocate.locator('.lantern-contact-card').filter({ hasText: `Release for ${AGO}` });
    await expect(release).toContainText('Service status only');
    await expect(release).toContainText('In effect');
    await release.getByRole('button', { name: /^Share now/ }).click();
    const dialog = advocate.getByRole('dialog');
    await expect(dialog).toContainText(`${AGO} will see: Service status only. Nothing else.`);
    await dialog.getByRole('button', { name: 'Share now' }).click();
    await expect(advocate.getByText(`Shared with ${AGO}.`)).toBeVisible();
    await expect(release.getByText('Nothing shared yet.')).toHaveCount(0);
    });

    await test.step('the prosecutor’s analyst reads exactly the service status, marked with the release', async () => {
    await analyst.goto('/home');
    await analyst.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Shared with us' }).click();
    await expect(h1(analyst, 'Shared with us')).toBeVisible();
    await analyst.getByRole('link', { name, exact: true }).click();
    await expect(h1(analyst, name)).toBeVisible();
    await expect(analyst.getByRole('heading', { name: new RegExp(`^Shared by ${RISE} under a release of information — for ${purpose.replace(/[()]/g, '\\$&')} — expires `) })).toBeVisible();
    await expect(analyst.getByRole('heading', { level: 2, name: 'Service status' })).toBeVisible();
    await expect(analyst.locator('main')).toContainText('Emergency shelter');
    // Nothing outside the scope: no contact details, no phone, no statement.
    await expect(analyst.getByRole('heading', { name: 'Contact details' })).toHaveCount(0);
    await expect(analyst.getByRole('heading', { name: 'Statement' })).toHaveCount(0);
    await expect(analyst.locator('body')).not.toContainText(CLIENT_PHONE_DIGITS);
    await expectAccessible(analyst, 'shared record (prosecutor)');
    });

    await test.step('the advocate revokes; the analyst’s next read is refused', async () => {
    const release = advocate.locator('.lantern-contact-card').filter({ hasText: `Release for ${AGO}` });
    await release.getByRole('button', { name: /^Revoke/ }).click();
    const dialog = advocate.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'Revoke this release?' })).toBeVisible();
    await choose(dialog.getByRole('radio', { name: 'In writing' }));
    await dialog.getByLabel('Note').fill(`Letter received (${suffix})`);
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect(advocate.getByText(`Release revoked: ${AGO} can no longer read what was shared.`)).toBeVisible();
    await expect(release).toContainText('Revoked');
    await expect(release).toContainText('Not in effect');
    await expect(release.getByRole('button', { name: /^Share now/ })).toHaveCount(0);
    await expect(release.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);

    await analyst.reload();
    await expect(analyst.getByText('This release is not in effect (revoked, expired, or not shared with you).')).toBeVisible();
    await expect(analyst.locator('body')).not.toContainText('Emergency shelter');
    });

    await test.step('the client signs a new release on paper: the advocate uploads the scan from the release form, and the release names it', async () => {
    await advocate.getByRole('button', { name: 'Take a release' }).click();
    await advocate.getByLabel('Recipient agency').selectOption({ label: AGO });
    await tick(advocate.getByRole('checkbox', { name: 'Service status only' }));
    await advocate.getByLabel('Purpose').fill(`${purpose}, renewed on paper`);
    await tick(advocate.getByRole('checkbox', { name: /^I have explained to the client what will be shared/ }));
    await choose(advocate.getByRole('radio', { name: 'A signed paper form, scanned' }));
    await expect(advocate.getByLabel("Client's signature (their name, typed by them)")).toHaveCount(0);
    // Not chosen yet: the form says so beside the field.
    await advocate.getByRole('button', { name: 'Record release' }).click();
    await expect(advocate.locator('#release-scanDocumentId-error')).toContainText('The scanned form is required.');
    await advocate.getByLabel('Upload the scanned form').setInputFiles({ name: `release ${suffix}.pdf`, mimeType: 'application/pdf', buffer: PDF });
    await advocate.getByRole('button', { name: 'Upload scan' }).click();
    await expect(advocate.getByLabel('The scanned form').locator('option:checked')).toHaveText(`release ${suffix}.pdf`);
    await advocate.getByRole('button', { name: 'Record release' }).click();
    await expect(advocate.getByText(`Release recorded for ${AGO}.`)).toBeVisible();
    const scanned = advocate.locator('.lantern-contact-card').filter({ hasText: `${purpose}, renewed on paper` });
    await expect(scanned).toContainText('A signed paper form, scanned');
    await expect(scanned.getByRole('link', { name: `Scanned form: release ${suffix}.pdf` })).toBeVisible();
    await expect(advocate.getByRole('region', { name: 'Documents' }).getByRole('link', { name: /^Download release .*\.pdf/ })).toBeVisible();
    await expectAccessible(advocate, 'client record with a scanned release (advocate)');
    });
  });

  test('an officer searching the client’s phone finds nothing; the quarterly report counts the service', async ({ apiAs, pageAs }) => {
    // The client's phone is in the compartment only: no release with contact details was ever shared.
    const officerApi = await apiAs('officer');
    for (const value of [`(816) ${CLIENT_PHONE_DIGITS}`, '(816) 555-0000']) {
      const res = await officerApi.get(`/api/identifiers/search?value=${encodeURIComponent(value)}`);
      expect(res.status(), await res.text()).toBe(200);
      expect(await res.json()).toEqual({ results: [] });
    }
    const advocate = await pageAs('advocate');
    await advocate.goto('/clients/report');
    await expect(h1(advocate, 'Quarterly performance report (OVC TIMS)')).toBeVisible();
    await advocate.getByLabel('Year').selectOption(String(year));
    await advocate.getByLabel('Quarter').selectOption(String(quarter));
    const services = advocate.locator('table').filter({ has: advocate.getByText('Services provided in the quarter, by category') });
    const row = services.getByRole('row').filter({ has: advocate.getByRole('rowheader', { name: 'Emergency shelter', exact: true }) });
    await expect(row.getByRole('cell').first()).toHaveText(String(shelteredBefore + 1));
  });
});
