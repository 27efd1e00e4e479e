import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import type { StatisticsReleaseDto } from '../../api/types.ts';
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
const preview: StatisticsReleaseDto = { ...first, id: null, seq: 2, publishedBy: null, quarters: [...first.quarters, '2021Q4'], newQuarters: ['2021Q4'], cells: 7000, suppressed: { primary: 6900, complementary: 60 } };

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('statistics releases', () => {
  it('says the quarters as a range', () => {
    expect(quarterRange(['2020Q4', '2021Q1'])).toBe('2020 Q4 – 2021 Q1');
    expect(quarterRange(['2021Q4'])).toBe('2021 Q4');
  });

  it('previews the next release, then publishes it after confirmation', async () => {
    let releases = [first];
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url === '/api/statistics/releases/preview') return jsonResponse(200, preview);
      if (url === '/api/statistics/releases' && init?.method === 'POST') {
        const published = { ...preview, id: '00000000-0000-4000-8000-0000000000d2', publishedBy: 'Pat Information' };
        releases = [published, first];
        return jsonResponse(201, published);
      }
      return jsonResponse(200, { releases, abilities: { 'statistics.publish': true } });
    });
    renderWithQuery(<StatisticsReleasesPage />);
    const ledger = await screen.findByRole('table', { name: 'Published statistics releases, newest first' });
    expect(within(ledger).getAllByText('2020 Q4 – 2021 Q3 (4 quarters)', { selector: 'td' })).toHaveLength(2);
    expect(within(ledger).getByText('6,475')).toBeTruthy();
    expect(within(ledger).getByText('6,400 fewer than 5, 57 to protect them')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Preview the next release' }));
    const table = await screen.findByRole('table', { name: 'Release 2, if published now' });
    const row = (label: string) => within(table).getByRole('row', { name: new RegExp(`^${label}`) }).textContent;
    expect(row('New quarters')).toContain('2021 Q4 (1 quarter)');
    expect(row('Hidden: fewer than 5')).toContain('6,900');
    expect(row('Hidden to protect those')).toContain('60');
    expect(row('Shown')).toContain('40');
    const publishes = () => fetchMock.mock.calls.filter(([u, i]) => String(u) === '/api/statistics/releases' && i?.method === 'POST').length;
    expect(publishes()).toBe(0);

    fireEvent.click(screen.getByRole('button', { name: 'Publish release 2' }));
    const dialog = await screen.findByRole('dialog', { name: 'Publish statistics release 2?' });
    expect(dialog.textContent).toContain('can never be withdrawn');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Release 2 is published: 2021 Q4 added.')).toBeTruthy();
    expect(publishes()).toBe(1);
    expect(await screen.findByText('2021 Q4 (1 quarter)', { selector: 'td' })).toBeTruthy();
  });

  it('says plainly when there is nothing new to publish', async () => {
    fetchMock.mockImplementation(async (input) =>
      String(input).endsWith('/preview')
        ? jsonResponse(409, { error: { code: 'no_new_quarter', message: 'Every quarter through 2026Q3 is already published. The next release can go out once 2026Q4 has ended.' } })
        : jsonResponse(200, { releases: [], abilities: { 'statistics.publish': true } }),
    );
    renderWithQuery(<StatisticsReleasesPage />);
    expect(await screen.findByText('Nothing published yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Preview the next release' }));
    const notice = await screen.findByRole('status', { name: '' });
    expect(notice.textContent).toContain('The next release can go out once 2026Q4 has ended.');
    expect(screen.queryByRole('button', { name: /^Publish release/ })).toBeNull();
  });
});
