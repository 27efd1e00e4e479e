import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import { AGENCY, commonAnswer, listItem, me, renderTipPages } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

/** Serves the queue from `tips` (whatever the filter) and the county counts; records each list request. */
const countyAsks: URLSearchParams[] = [];
function serve(tips = [listItem()], counties = [{ countyFips: '29095', count: 3, urgentOpen: 1 }]) {
  const asked: URLSearchParams[] = [];
  countyAsks.length = 0;
  fetchMock.mockImplementation(async (input) => {
    const url = String(input);
    const common = commonAnswer(url);
    if (common) return common;
    if (url.startsWith('/api/tips/counties')) {
      countyAsks.push(new URL(url, 'http://x').searchParams);
      return jsonResponse(200, counties);
    }
    if (url.startsWith('/api/tips')) {
      asked.push(new URL(url, 'http://x').searchParams);
      return jsonResponse(200, { tips, total: tips.length });
    }
    return jsonResponse(404, { error: { code: 'not_found', message: `no mock for ${url}` } });
  });
  return asked;
}

describe('the tip queue', () => {
  it('asks the server for the filters in the URL and shows them in the form', async () => {
    const asked = serve();
    renderTipPages(`/tip-queue?county=29095&status=new&urgent=true&mine=true&agency=${AGENCY}`);
    await screen.findByRole('heading', { name: 'Tip queue', level: 1 });
    await waitFor(() => expect(asked.length).toBeGreaterThan(0));
    const q = asked.at(-1)!;
    expect(Object.fromEntries(q)).toMatchObject({ county: '29095', status: 'new', urgent: 'true', assigned: 'me', agency: AGENCY, limit: '25' });
    const form = screen.getByRole('search', { name: 'Filter the tip queue' });
    expect((within(form).getByLabelText('State') as HTMLSelectElement).value).toBe('new');
    expect((within(form).getByLabelText('Urgent tips only') as HTMLInputElement).checked).toBe(true);
    expect((within(form).getByLabelText('Assigned to me') as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect((within(form).getByLabelText('County') as HTMLSelectElement).value).toBe('29095'));
    // The map counts every county under the other filters.
    await waitFor(() => expect(countyAsks.length).toBeGreaterThan(0));
    expect(Object.fromEntries(countyAsks.at(-1)!)).toEqual({ status: 'new', urgent: 'true', assigned: 'me', agency: AGENCY });
  });

  it('puts the filters chosen into the URL, and clears them', async () => {
    const asked = serve();
    const { router } = renderTipPages('/tip-queue');
    const form = await screen.findByRole('search', { name: 'Filter the tip queue' });
    await waitFor(() => expect(within(form).getByRole('option', { name: 'Jackson County' })).toBeTruthy());
    fireEvent.change(within(form).getByLabelText('County'), { target: { value: '29095' } });
    fireEvent.change(within(form).getByLabelText('State'), { target: { value: 'under_review' } });
    fireEvent.click(within(form).getByLabelText('Urgent tips only'));
    fireEvent.change(within(form).getByLabelText('Received from (date)'), { target: { value: '2026-11-01' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Show tips' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ county: '29095', status: 'under_review', urgent: true, from: '2026-11-01' }));
    await waitFor(() => expect(Object.fromEntries(asked.at(-1)!)).toMatchObject({ county: '29095', status: 'under_review', urgent: 'true' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(router.state.location.search).toEqual({}));
  });

  it('refuses a range of dates that ends before it starts, beside the field', async () => {
    serve();
    const { router } = renderTipPages('/tip-queue');
    const form = await screen.findByRole('search', { name: 'Filter the tip queue' });
    fireEvent.change(within(form).getByLabelText('Received from (date)'), { target: { value: '2026-11-10' } });
    fireEvent.change(within(form).getByLabelText(/Received to/), { target: { value: '2026-11-01' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Show tips' }));
    expect(within(form).getByText('Choose a date on or after the “Received from” date.')).toBeTruthy();
    expect(router.state.location.search).toEqual({});
  });

  it('marks urgent tips in words and explains each rank in words', async () => {
    serve([listItem({ urgent: true, minorInvolved: true, status: 'assigned', assignedTo: { id: 'u', name: 'Ann Analyst' }, unreadMessages: 2 })]);
    renderTipPages('/tip-queue');
    const card = (await screen.findByRole('link', { name: /Tip received/ })).closest('li')!;
    const c = within(card);
    expect(c.getByText('Urgent')).toBeTruthy();
    expect(c.getByText('Minor involved')).toBeTruthy();
    expect(c.getByText('Assigned')).toBeTruthy();
    expect(c.getByText('2 new messages')).toBeTruthy();
    expect(c.getByText('Typology words: massage, debt')).toBeTruthy();
    expect(c.getByText('Shares an identifier with 2 other tips')).toBeTruthy();
    expect(c.getByText('Linked to an open operation')).toBeTruthy();
    expect(c.getByText(/Jackson County · ZIP 64075 · Web form · In the queue of Oak Grove Police Department · Assigned to Ann Analyst/)).toBeTruthy();
  });

  it('says what to do when the queue is empty, and offers recording a tip to those who may', async () => {
    serve([], []);
    renderTipPages('/tip-queue');
    expect(await screen.findByRole('heading', { name: 'Your queue is empty' })).toBeTruthy();
    expect(screen.getByText(/If someone calls with a tip, record it here/)).toBeTruthy();
    expect(screen.getAllByRole('link', { name: 'Record a phoned-in tip' }).length).toBeGreaterThan(0);
    expect(await screen.findByText('No tips with a known county yet.')).toBeTruthy();
  });

  it('says the filters found nothing (not that the queue is empty), and hides recording from those who may not', async () => {
    serve([], []);
    renderTipPages('/tip-queue?urgent=true', me({ 'tip.read': true }));
    expect(await screen.findByRole('heading', { name: 'No tips match these filters' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Record a phoned-in tip' })).toBeNull();
  });

  it('draws the map by county with a table giving the same figures, each county filtering the queue', async () => {
    serve([listItem()], [
      { countyFips: '29095', count: 3, urgentOpen: 1 },
      { countyFips: '29107', count: 1, urgentOpen: 0 },
    ]);
    const { router } = renderTipPages('/tip-queue?status=new');
    const table = await screen.findByRole('table', { name: 'Tips by county' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['Jackson County31', 'Lafayette County10']);
    const map = await screen.findByRole('img', { name: 'Map of Missouri: tips by county' });
    await waitFor(() => expect(map.querySelector('[data-fips="29095"]')?.getAttribute('class')).toContain('lantern-tip-fill--2'));
    expect(map.querySelector('[data-fips="29107"]')?.getAttribute('class')).toContain('lantern-tip-fill--1');
    expect(screen.getByText('2 to 4')).toBeTruthy();
    fireEvent.click(within(table).getByRole('link', { name: 'Show the tips of Lafayette County' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'new', county: '29107' }));
  });

  it('pages through a long queue', async () => {
    const asked: URLSearchParams[] = [];
    fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      const common = commonAnswer(url);
      if (common) return common;
      if (url.startsWith('/api/tips/counties')) return jsonResponse(200, []);
      asked.push(new URL(url, 'http://x').searchParams);
      return jsonResponse(200, { tips: [listItem()], total: 60 });
    });
    const { router } = renderTipPages('/tip-queue');
    expect(await screen.findByText('Tips 1–1 of 60')).toBeTruthy();
    fireEvent.click(screen.getByRole('link', { name: 'Next page' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ page: 2 }));
    await waitFor(() => expect(asked.at(-1)!.get('offset')).toBe('25'));
  });
});
