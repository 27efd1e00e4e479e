import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { StatisticsJobDto, StatisticsPreviewDto, StatisticsReleaseDto } from '../../api/types.ts';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import { StatisticsReleasesPage, quarterRange } from './StatisticsReleasesPage.tsx';

const first: StatisticsReleaseDto = {
  id: '00000000-0000-4000-8000-0000000000d1',
  seq: 1,
  publishedAt: '2026-10-02T15:00:00.000Z',
  publishedBy: 'Pat Information',
  quarters: ['2020Q4', '2021Q1', '2021Q2', '2021Q3'],
  newQuarters: ['2020Q4', '2021Q1', '2021Q2', '2021Q3'],
  cells: 6475,
  suppressed: { primary: 6400, complementary: 57 },
};
const preview: StatisticsPreviewDto = {
  ...first,
  id: null,
  seq: 2,
  publishedBy: null,
  quarters: [...first.quarters, '2021Q4'],
  newQuarters: ['2021Q4'],
  cells: 7000,
  suppressed: { primary: 6900, complementary: 60 },
  hidden: [
    { dimensions: { family: 'outcomes', period: '2021Q4', periodType: 'quarter', county: 'all', category: 'protective_custody' }, reason: 'primary', protects: null },
    { dimensions: { family: 'outcomes', period: '2021Q4', periodType: 'quarter', county: '29095', category: 'detained' }, reason: 'complementary', protects: 'Outcomes: protective custody, statewide, 2021Q4' },
    { dimensions: { family: 'persons', period: '2021', periodType: 'year', county: '29095', category: 'minor' }, reason: 'primary', protects: null },
  ],
  audit: { solves: 1234, protectedCounts: 61, narrowestWidth: 3 },
};

const PREVIEW_JOB = '00000000-0000-4000-8000-0000000000a1';
const PUBLISH_JOB = '00000000-0000-4000-8000-0000000000a2';
const job = (id: string, kind: string, over: Partial<StatisticsJobDto>): StatisticsJobDto => ({
  id,
  kind: kind as StatisticsJobDto['kind'],
  status: 'running',
  phase: null,
  done: 0,
  total: 0,
  startedBy: 'Pat Information',
  startedAt: '2026-10-02T15:00:00.000Z',
  updatedAt: '2026-10-02T15:00:00.000Z',
  finishedAt: null,
  preview: null,
  release: null,
  error: null,
  ...over,
});

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  sessionStorage.clear();
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('statistics releases', () => {
  it('says the quarters as a range', () => {
    expect(quarterRange(['2020Q4', '2021Q1'])).toBe('2020 Q4 – 2021 Q1');
    expect(quarterRange(['2021Q4'])).toBe('2021 Q4');
  });

  it('previews the next release as a job with its progress and the reasons, then publishes it after confirmation', async () => {
    let releases = [first];
    let polls = 0;
    const published = { ...preview, id: '00000000-0000-4000-8000-0000000000d2', publishedBy: 'Pat Information' };
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url === '/api/statistics/jobs?active=1') return jsonResponse(200, { jobs: [] });
      if (url === '/api/statistics/jobs' && init?.method === 'POST') {
        const kind = (JSON.parse(String(init.body)) as { kind: string }).kind;
        return jsonResponse(202, job(kind === 'preview' ? PREVIEW_JOB : PUBLISH_JOB, kind, { status: 'running' }));
      }
      if (url === `/api/statistics/jobs/${PREVIEW_JOB}`) {
        polls++;
        return jsonResponse(200, polls < 2 ? job(PREVIEW_JOB, 'preview', { phase: 'audit', done: 120, total: 400 }) : job(PREVIEW_JOB, 'preview', { status: 'done', phase: 'audit', done: 400, total: 400, preview }));
      }
      if (url === `/api/statistics/jobs/${PUBLISH_JOB}`) {
        releases = [published, first];
        return jsonResponse(200, job(PUBLISH_JOB, 'publish', { status: 'done', release: published }));
      }
      if (url === '/api/jurisdiction') return jsonResponse(200, { state: { fips: '29', postal: 'MO', name: { en: 'Missouri', es: 'Misuri' }, ap: 'Mo.' }, timeZone: 'America/Chicago', timeZoneName: { en: 'Central', es: 'Central' }, counties: [{ fips: '29095', name: { en: 'Jackson', es: 'Jackson' } }] });
      return jsonResponse(200, { releases, abilities: { 'statistics.publish': true } });
    });
    renderWithQuery(<StatisticsReleasesPage />);
    const ledger = await screen.findByRole('table', { name: 'Published statistics releases, newest first' });
    expect(within(ledger).getAllByText('2020 Q4 – 2021 Q3 (4 quarters)', { selector: 'td' })).toHaveLength(2);
    expect(within(ledger).getByText('6,475')).toBeTruthy();
    expect(within(ledger).getByText('6,400 fewer than 5, 57 to protect them')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Preview the next release' }));
    // Started: the bar waits for the plan to say how far it has to go, then shows it.
    const bar = await screen.findByRole('progressbar', { name: 'Checking the next release' });
    expect(bar.hasAttribute('value')).toBe(false);
    expect(screen.getByText('Starting… waiting for the statistics ledger')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Preview the next release' }) as HTMLButtonElement).disabled).toBe(true);
    expect(await screen.findByText('Auditing… 120 of 400 checks', undefined, { timeout: 3000 })).toBeTruthy();
    const measured = screen.getByRole('progressbar', { name: 'Checking the next release' });
    expect(measured.getAttribute('value')).toBe('120');
    expect(measured.getAttribute('max')).toBe('400');
    expect(sessionStorage.getItem('lantern.statistics.job')).toBe(PREVIEW_JOB);

    const table = await screen.findByRole('table', { name: 'Release 2, if published now' }, { timeout: 3000 });
    expect(screen.queryByRole('progressbar')).toBeNull();
    const row = (label: string) => within(table).getByRole('row', { name: new RegExp(`^${label}`) }).textContent;
    expect(row('New quarters')).toContain('2021 Q4 (1 quarter)');
    expect(row('Hidden: fewer than 5')).toContain('6,900');
    expect(row('Hidden to protect those')).toContain('60');
    expect(row('Shown')).toContain('40');
    expect(row('Audit: linear programs solved')).toContain('1,234');
    expect(row('Audit: narrowest range left to a hidden count')).toContain('3 wide');
    // The new hidden counts, by reason; each complementary one says what it protects.
    const protecting = screen.getByRole('list', { name: 'Hidden to protect another count (1)' });
    await waitFor(() => expect(within(protecting).getByRole('listitem').textContent).toBe('Outcomes: Detained, Jackson, 2021 Q4Withheld to protect: Outcomes: protective custody, statewide, 2021Q4'));
    const small = screen.getByRole('list', { name: 'Fewer than 5 (2)', hidden: true });
    expect(within(small).getAllByRole('listitem', { hidden: true }).map((li) => li.textContent)).toEqual(['Outcomes: Protective custody, statewide, 2021 Q4', 'Persons: Minor, Jackson, 2021']);
    const publishes = () => fetchMock.mock.calls.filter(([u, i]) => String(u) === '/api/statistics/jobs' && i?.method === 'POST' && String(i.body).includes('publish')).length;
    expect(publishes()).toBe(0);

    fireEvent.click(screen.getByRole('button', { name: 'Publish release 2' }));
    const dialog = await screen.findByRole('dialog', { name: 'Publish statistics release 2?' });
    expect(dialog.textContent).toContain('can never be withdrawn');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Release 2 is published: 2021 Q4 added.', undefined, { timeout: 3000 })).toBeTruthy();
    expect(publishes()).toBe(1);
    expect(await screen.findByText('2021 Q4 (1 quarter)', { selector: 'td' })).toBeTruthy();
  });

  it('picks up a running job on coming back to the page', async () => {
    const running = job(PUBLISH_JOB, 'publish', { phase: 'linear', done: 1, total: 3 });
    fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url === '/api/statistics/jobs?active=1') return jsonResponse(200, { jobs: [running] });
      if (url === `/api/statistics/jobs/${PUBLISH_JOB}`) return jsonResponse(200, running);
      return jsonResponse(200, { releases: [first], abilities: { 'statistics.publish': true } });
    });
    const { unmount } = renderWithQuery(<StatisticsReleasesPage />);
    const bar = await screen.findByRole('progressbar', { name: 'Publishing release' });
    expect(bar.getAttribute('value')).toBe('1');
    expect(screen.getByText('Checking against earlier releases… 1 of 3 checks')).toBeTruthy();
    expect(screen.getByText(/^Started by Pat Information\./)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Preview the next release' }) as HTMLButtonElement).disabled).toBe(true);
    unmount();
    renderWithQuery(<StatisticsReleasesPage />);
    expect(await screen.findByRole('progressbar', { name: 'Publishing release' })).toBeTruthy();
  });

  it('once a job it picked up has ended, a new preview is not taken back to it', async () => {
    const runningPublish = job(PUBLISH_JOB, 'publish', { phase: 'audit', done: 5, total: 9 });
    const published = { ...preview, id: '00000000-0000-4000-8000-0000000000d2', publishedBy: 'Pat Information' };
    let publishPolls = 0;
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      // The list of running jobs still names the publication (fetched before it ended).
      if (url === '/api/statistics/jobs?active=1') return jsonResponse(200, { jobs: [runningPublish] });
      if (url === `/api/statistics/jobs/${PUBLISH_JOB}`) return jsonResponse(200, ++publishPolls < 2 ? runningPublish : job(PUBLISH_JOB, 'publish', { status: 'done', release: published }));
      if (url === '/api/statistics/jobs' && init?.method === 'POST') return jsonResponse(202, job(PREVIEW_JOB, 'preview', { status: 'done', preview: { ...preview, seq: 3 } }));
      if (url === `/api/statistics/jobs/${PREVIEW_JOB}`) return jsonResponse(200, job(PREVIEW_JOB, 'preview', { status: 'done', preview: { ...preview, seq: 3 } }));
      return jsonResponse(200, { releases: [first], abilities: { 'statistics.publish': true } });
    });
    renderWithQuery(<StatisticsReleasesPage />);
    expect(await screen.findByRole('progressbar', { name: 'Publishing release' })).toBeTruthy();
    expect(await screen.findByText('Release 2 is published: 2021 Q4 added.', undefined, { timeout: 3000 })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Preview the next release' }));
    expect(await screen.findByRole('table', { name: 'Release 3, if published now' })).toBeTruthy();
    // Effects run: the page stays on the preview.
    await act(async () => {});
    expect(screen.getByRole('table', { name: 'Release 3, if published now' })).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('says why a job failed and what to do', async () => {
    sessionStorage.setItem('lantern.statistics.job', PREVIEW_JOB);
    fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url === '/api/statistics/jobs?active=1') return jsonResponse(200, { jobs: [] });
      if (url === `/api/statistics/jobs/${PREVIEW_JOB}`)
        return jsonResponse(200, job(PREVIEW_JOB, 'preview', { status: 'failed', error: { code: 'interrupted', message: 'The server stopped while this job ran, and it did not finish.' } }));
      return jsonResponse(200, { releases: [first], abilities: { 'statistics.publish': true } });
    });
    renderWithQuery(<StatisticsReleasesPage />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The preview did not finish');
    expect(alert.textContent).toContain('The server stopped while this job ran');
    expect(alert.textContent).toContain('Start it again with the button above.');
    expect((screen.getByRole('button', { name: 'Preview the next release' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows no release actions without the ability, and asks for no job', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { releases: [first], abilities: { 'statistics.publish': false } }));
    renderWithQuery(<StatisticsReleasesPage />);
    await screen.findByRole('table', { name: 'Published statistics releases, newest first' });
    expect(screen.queryByRole('button', { name: 'Preview the next release' })).toBeNull();
    expect(fetchMock.mock.calls.some(([u]) => String(u).startsWith('/api/statistics/jobs'))).toBe(false);
  });

  it('says plainly when there is nothing new to publish', async () => {
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url === '/api/statistics/jobs?active=1') return jsonResponse(200, { jobs: [] });
      if (url === '/api/statistics/jobs' && init?.method === 'POST') return jsonResponse(202, job(PREVIEW_JOB, 'preview', { status: 'running' }));
      if (url === `/api/statistics/jobs/${PREVIEW_JOB}`)
        return jsonResponse(200, job(PREVIEW_JOB, 'preview', { status: 'failed', error: { code: 'no_new_quarter', message: 'Every quarter through 2026Q3 is already published. The next release can go out once 2026Q4 has ended.' } }));
      return jsonResponse(200, { releases: [], abilities: { 'statistics.publish': true } });
    });
    renderWithQuery(<StatisticsReleasesPage />);
    expect(await screen.findByText('Nothing published yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Preview the next release' }));
    const notice = await screen.findByRole('status', { name: '' }, { timeout: 3000 });
    expect(notice.textContent).toContain('The next release can go out once 2026Q4 has ended.');
    expect(screen.queryByRole('button', { name: /^Publish release/ })).toBeNull();
  });
});
