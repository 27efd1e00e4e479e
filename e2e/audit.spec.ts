import fs from 'node:fs';
import { expectAccessible } from './support/axe.ts';
import { expect, test } from './support/fixtures.ts';

test.describe('audit log', () => {
  test.use({ signedInAs: 'platform' });

  test('the platform admin searches by action and exports the same search as CSV', async ({ page }) => {
    await page.goto('/admin/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await page.getByLabel('Action', { exact: true }).selectOption('auth.login');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL(/[?&]action=auth\.login/);

    const table = page.getByRole('table', { name: /Audit log entries/ });
    const rows = table.locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    const actions = await rows.locator('td[data-label="Action"]').allInnerTexts();
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions.map((a) => a.trim()))).toEqual(new Set(['auth.login']));
    await expect(page.getByRole('status').filter({ hasText: /^Showing (the newest )?\d+ entr/ })).toBeVisible();
    await expectAccessible(page, 'audit log: search results');

    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    await expect(exportLink).toHaveAttribute('href', /\/api\/audit\/export\.csv\?action=auth\.login/);
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^lantern-audit-.*\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('time_utc,user_id,user_email,user_name,agency_id,action,record_type,record_id,outcome,changed_fields,ip,user_agent,request_id');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain(',auth.login,');
  });
});
