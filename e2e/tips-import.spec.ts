/**
 * Issue #10, item 4's browser test: a coordinator imports the national hotline's forwarded tips. The page
 * reads the CSV, suggests how its columns map onto a tip and previews the first rows, the bad one with its
 * reason; the import runs with a progress bar and reports every row: imported, or rejected with its
 * reason and downloadable as CSV. Importing the same file again reports every good row as a duplicate.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';

const SAMPLE = fs.readFileSync(path.resolve(import.meta.dirname, '../server/modules/tips/fixtures/hotline-sample.csv'), 'utf8');
/** An import of seven rows takes well under a second on the server; this bounds a loaded machine. */
const IMPORT_WAIT = { timeout: 60_000 };

test.describe('hotline import (issue #10, item 4): preview with a mapping, progress, a bad row reported, a re-import all duplicates', () => {
  test.describe.configure({ mode: 'serial', timeout: 150_000 });
  test.use({ signedInAs: 'coordinator' });

  // Case numbers of this run only: the demo database outlives a retry.
  const csv = SAMPLE.replaceAll('NHTH-2026-', `E2E${uniqueSuffix()}-`);
  const file = { name: 'hotline-forwarded.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') };

  async function chooseAndImport(page: Page) {
    await page.goto('/tip-queue/import');
    await expect(page.getByRole('heading', { level: 1, name: 'Import hotline tips' })).toBeVisible();
    await page.getByLabel('Hotline CSV file').setInputFiles(file);
    await expect(page.getByRole('table', { name: /The first 7 of 7 rows/ })).toBeVisible();
    await page.getByRole('button', { name: 'Import 7 rows' }).click();
    await expect(page.getByRole('heading', { level: 2, name: '3. What the import did' })).toBeVisible(IMPORT_WAIT);
  }

  test('the coordinator previews the file: the suggested mapping, and the bad row with its reason', async ({ page }) => {
    await page.goto('/tip-queue/import');
    await expectAccessible(page, 'the import page');
    await page.getByLabel('Hotline CSV file').setInputFiles(file);
    const preview = page.getByRole('table', { name: /The first 7 of 7 rows/ });
    await expect(preview).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Case Number' })).toHaveValue('externalRef');
    await expect(page.getByRole('combobox', { name: 'ZIP', exact: true })).toHaveValue('zip');
    await expect(page.getByRole('combobox', { name: 'State' })).toHaveValue('');
    await expect(preview.getByRole('row', { name: /^6 / })).toContainText('ZIP code: must be a five-digit ZIP code');
    await expect(page.getByText('1 of these rows has a problem')).toBeVisible();
    // Leaving the ZIP out clears the problem in the preview; putting it back brings it back.
    await page.getByRole('combobox', { name: 'ZIP', exact: true }).selectOption('');
    await expect(page.getByText('1 of these rows has a problem')).toBeHidden();
    await page.getByRole('combobox', { name: 'ZIP', exact: true }).selectOption('zip');
    await expect(page.getByText('1 of these rows has a problem')).toBeVisible();
    await expectAccessible(page, 'the import preview');
  });

  test('the import reports six tips imported and the bad row rejected with its reason, downloadable as CSV', async ({ page }) => {
    await chooseAndImport(page);
    await expect(page.getByTestId('import-imported')).toHaveText('6');
    await expect(page.getByTestId('import-duplicates')).toHaveText('0');
    await expect(page.getByTestId('import-rejected')).toHaveText('1');
    const rejected = page.getByRole('table', { name: 'Every rejected row, with the column and the reason' });
    await expect(rejected.getByRole('row', { name: /^6 / })).toContainText('ZIP');
    await expect(rejected.getByRole('row', { name: /^6 / })).toContainText('must be a five-digit ZIP code');
    await expectAccessible(page, 'the import report');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the rejected rows (CSV)' }).click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.replace(/^\ufeff/, '').split('\r\n')[0]).toMatch(/^Row,Field,Reason,Case Number,/);
    expect(text).toContain('6,zip,must be a five-digit ZIP code,');
    expect(text).toContain('64O75');
  });

  test('importing the same file again imports nothing twice: every good row is a duplicate', async ({ page }) => {
    await chooseAndImport(page);
    await expect(page.getByTestId('import-imported')).toHaveText('0');
    await expect(page.getByTestId('import-duplicates')).toHaveText('6');
    await expect(page.getByTestId('import-rejected')).toHaveText('1');
    await expect(page.getByText("A duplicate's case number is already in Lantern")).toBeVisible();
  });
});
