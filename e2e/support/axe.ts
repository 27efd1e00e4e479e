import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const WCAG_21_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core with the WCAG 2.1 A and AA rules on the page as it is now; fails listing every violation
 * with the elements it found and what to fix. Waits first for the page heading and for any
 * "Loading…" line to go, so it checks the page people see, not a spinner.
 */
export async function expectAccessible(page: Page, what?: string): Promise<void> {
  await expect(page.locator('h1').first()).toBeVisible();
  await expect(page.locator('.lantern-loading')).toHaveCount(0);
  // Legacy mode runs axe in the page itself: Lantern has no frames, and it saves the blank page the
  // default mode opens to merge frame results (about a second per check).
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_A_AA).setLegacyMode(true).analyze();
  const where = what ?? new URL(page.url()).pathname;
  if (results.violations.length > 0) {
    await test.info().attach(`axe violations on ${where}`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  }
  const details = results.violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      - ${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      return `  • ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`);
  expect(summary, `axe: ${results.violations.length} WCAG 2.1 A/AA violation(s) on ${where}\n${details}\n`).toEqual([]);
}
