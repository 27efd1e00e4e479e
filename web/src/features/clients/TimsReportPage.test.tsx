import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SERVICE_CATEGORIES } from '../../../../common/clients.ts';
import type { TimsReportDto } from '../../../../common/schemas/clients.ts';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import { TimsReportPage, lastEndedQuarter } from './TimsReportPage.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const report = (year: number, quarter: number): TimsReportDto => ({
  agency: { id: '0190a1b2-0000-7000-8000-000000000001', name: 'RISE Coalition' },
  year,
  quarter,
  from: `${year}-04-01`,
  to: `${year}-06-30`,
  clients: {
    new: 1,
    continuing: 2,
    byType: [
      { traffickingType: 'sex', count: 2 },
      { traffickingType: 'labor', count: 1 },
      { traffickingType: 'sex_and_labor', count: 0 },
      { traffickingType: 'unknown', count: 0 },
    ],
    byNationality: [
      { nationality: 'us_citizen_lpr', count: 3 },
      { nationality: 'foreign_national', count: 0 },
      { nationality: 'unknown', count: 0 },
    ],
  },
  services: SERVICE_CATEGORIES.map((category) => ({ category, clients: category === 'case_management' ? 2 : 0, times: category === 'case_management' ? 3 : 0 })),
});

describe('the TIMS report page', () => {
  it('defaults to the last ended quarter', () => {
    expect(lastEndedQuarter(new Date(2026, 4, 10))).toEqual({ year: 2026, quarter: 1 });
    expect(lastEndedQuarter(new Date(2026, 1, 10))).toEqual({ year: 2025, quarter: 4 });
  });

  it('shows the counts as tables, changes quarter, and links the CSV of the quarter shown', async () => {
    fetchMock.mockImplementation(async (input) => {
      const url = new URL(String(input), 'http://x');
      return jsonResponse(200, report(Number(url.searchParams.get('year')), Number(url.searchParams.get('quarter'))));
    });
    renderWithQuery(<TimsReportPage />);
    const { year, quarter } = lastEndedQuarter(new Date());
    const clients = await screen.findByRole('table', { name: 'Clients served in the quarter' });
    expect(within(clients).getByRole('row', { name: 'New (opened in the quarter) 1' })).toBeTruthy();
    expect(within(clients).getByRole('row', { name: 'Total served 3' })).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Clients served by type of trafficking' })).getByRole('row', { name: 'Labor trafficking 1' })).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Services provided in the quarter, by category' })).getByRole('row', { name: 'Case management 2 3' })).toBeTruthy();
    expect(String(fetchMock.mock.calls[0]![0])).toBe(`/api/clients/reports/tims?year=${year}&quarter=${quarter}`);
    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(`/api/clients/reports/tims.csv?year=${year}&quarter=${quarter}`);

    const other = quarter === 4 ? 3 : 4;
    fireEvent.change(screen.getByLabelText('Quarter'), { target: { value: String(other) } });
    await waitFor(() => expect(screen.getByText(new RegExp(`${year} Q${other}`))).toBeTruthy());
    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(`/api/clients/reports/tims.csv?year=${year}&quarter=${other}`);

    const print = vi.fn();
    vi.stubGlobal('print', print);
    fireEvent.click(screen.getByRole('button', { name: 'Print' }));
    expect(print).toHaveBeenCalled();
  });
});
