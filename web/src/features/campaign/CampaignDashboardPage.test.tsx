import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import { dashboard, renderCampaign, serve } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const section = async (name: string | RegExp) => (await screen.findByRole('heading', { name, level: 2 })).closest('section')!;

describe('the campaign dashboard', () => {
  it('says the attorney general’s sentence and the figures, with every chart also a table', async () => {
    serve(fetchMock, (c) => (c.url === '/api/businesses/dashboard' ? jsonResponse(200, dashboard()) : undefined));
    renderCampaign('/businesses/dashboard');
    expect(await screen.findByText('23 businesses have been evicted or are in some phase of eviction.')).toBeTruthy();
    const figures = await section('Landlords and closures');
    expect(within(figures).getByText('Landlords notified').nextElementSibling!.textContent).toBe('77');
    expect(within(figures).getByText('Landlords who responded').nextElementSibling!.textContent).toBe('41');
    expect(within(figures).getByText('Response rate').nextElementSibling!.textContent).toBe('53%');
    expect(within(figures).getByText('Median time from notice to closure').nextElementSibling!.textContent).toBe('38 days');

    const stages = await section('Businesses by stage');
    expect(within(stages).getByRole('row', { name: 'Closed 17' })).toBeTruthy();
    expect(within(stages).getByRole('row', { name: 'Cleared (legitimate) 2' })).toBeTruthy();

    const funnel = await section('The funnel');
    expect(within(funnel).getByRole('row', { name: 'Landlord notified 77 96%' })).toBeTruthy();
    expect(within(funnel).getByRole('row', { name: 'Closed 18 23%' })).toBeTruthy();

    const map = await section('Businesses by county in Missouri');
    expect(within(map).getByRole('row', { name: 'Jackson County 12 5' })).toBeTruthy();
    await waitFor(() => expect(map.querySelector('path[data-fips="29095"]')).toBeTruthy());
    expect(map.querySelector('path[data-fips="29095"]')!.getAttribute('data-count')).toBe('12');
    fireEvent.click(within(map).getByLabelText('Closed'));
    await waitFor(() => expect(map.querySelector('path[data-fips="29095"]')!.getAttribute('data-count')).toBe('5'));
    expect(within(map).getByRole('img', { name: /shaded by how many businesses have closed/ })).toBeTruthy();

    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe('/api/businesses/dashboard.csv');
    const print = vi.fn();
    vi.stubGlobal('print', print);
    fireEvent.click(screen.getByRole('button', { name: 'Print' }));
    expect(print).toHaveBeenCalled();
  });

  it('says what to do when the campaign has no business yet', async () => {
    serve(fetchMock, (c) =>
      c.url === '/api/businesses/dashboard'
        ? jsonResponse(200, dashboard({ byStage: {} as never, byCounty: [], funnel: [], responseRate: null, medianDaysNoticeToClosure: null, landlordsNotified: 0, landlordsResponded: 0, evictedOrInEviction: 0, sentence: '0 businesses have been evicted or are in some phase of eviction.' }))
        : undefined,
    );
    renderCampaign('/businesses/dashboard');
    expect(await screen.findByRole('heading', { name: 'No businesses in the campaign yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Enter a business' }).getAttribute('href')).toBe('/businesses/new');
    expect(screen.getAllByText('None yet')).toHaveLength(2);
  });

  it('shows why the dashboard could not load', async () => {
    serve(fetchMock, (c) => (c.url === '/api/businesses/dashboard' ? jsonResponse(403, { error: { code: 'forbidden', message: 'You may not read the campaign.' } }) : undefined));
    renderCampaign('/businesses/dashboard');
    expect(await screen.findByText('You may not read the campaign.')).toBeTruthy();
  });
});
