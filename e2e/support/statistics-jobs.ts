/**
 * The statistics page's jobs (issue #8) in browser tests: a preview or a publication runs on the server
 * and the page follows it with a progress bar. These helpers let a test split a release into steps
 * (issue #9, item 16) and say where its time went.
 */
import type { APIRequestContext, Page, TestInfo } from '@playwright/test';
import { expect } from './fixtures.ts';

/**
 * How long a test waits for a statistics job to end. On the demo data a preview or a publication takes
 * 0.4–2 s on the server, and up to 13 s with a CPU hog beside the suite (measured, issue #9 item 16: most
 * of it "waiting for the statistics ledger", then 3 linear programs for 150 hidden counts). A larger
 * audit may take minutes, so that one wait is given a generous bound, not the whole test.
 */
export const JOB_WAIT = { timeout: 120_000 };
/** The budget of a test step that waits for a job: the job's bound and the step's pages around it. */
export const JOB_STEP_BUDGET_MS = 180_000;

/** Where the page keeps the job it follows (web/src/features/statistics/StatisticsReleasesPage.tsx). */
const JOB_KEY = 'lantern.statistics.job';

/**
 * A PIO coming back to the page in a new tab: it shows the job `id` again (its progress, or its finished
 * preview), as it does for the tab that started it. Call before the first navigation.
 */
export async function comeBackToJob(page: Page, id: string): Promise<void> {
  expect(id, 'the job started in an earlier step').not.toBe('');
  await page.addInitScript(([key, value]) => {
    if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, value);
  }, [JOB_KEY, id] as const);
}

/** Resolves to the id of the job the next "Preview…" or "Publish" click starts. */
export function nextJobStarted(page: Page, timeout: number): Promise<string> {
  return page
    .waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/api/statistics/jobs', { timeout })
    .then(async (res) => {
      expect(res.status(), await res.text()).toBe(202);
      return ((await res.json()) as { id: string }).id;
    });
}

/**
 * Writes down, with the time since this call, each line the progress bar shows ("Auditing… 12 of 40
 * checks"), as the browser sees it. Call once the page is loaded; read it back with the returned function.
 */
export async function recordJobProgress(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const started = performance.now();
    const seen: string[] = [];
    let last = '(no progress bar)';
    const note = () => {
      const text = document.querySelector('.lantern-job-progress__text')?.textContent ?? '(no progress bar)';
      if (text !== last) seen.push(`${((performance.now() - started) / 1000).toFixed(1)} s: ${(last = text)}`);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
    (window as unknown as { lanternJobProgress: string[] }).lanternJobProgress = seen;
  });
  return () => page.evaluate(() => (window as unknown as { lanternJobProgress: string[] }).lanternJobProgress);
}

/**
 * Attaches to the test's report how long the job `id` ran on the server (its start and end as the server
 * recorded them) and what the browser saw of its progress, so a slow run says where its time went.
 */
export async function reportJob(testInfo: TestInfo, api: APIRequestContext, id: string, progress: string[]): Promise<void> {
  const res = await api.get(`/api/statistics/jobs/${id}`);
  expect(res.status(), await res.text()).toBe(200);
  const job = (await res.json()) as { kind: string; status: string; startedAt: string; finishedAt: string | null };
  const seconds = job.finishedAt ? ((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000).toFixed(1) : '?';
  const description = `${job.kind} job ${job.status} in ${seconds} s on the server; the browser saw: ${progress.join(' | ')}`;
  testInfo.annotations.push({ type: 'statistics job', description });
  console.log(`[${testInfo.project.name}] ${testInfo.title}: ${description}`);
}
