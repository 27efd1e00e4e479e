import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { GeocodeCandidate } from '../../../../common/schemas/geocoding.ts';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import { LocationSearch } from './LocationSearch.tsx';

const OAK_GROVE: GeocodeCandidate = { label: 'Oak Grove, MO', lat: 38.99751, lon: -94.14544, county: 'Jackson', countyFips: '29095', state: 'MO', precision: 'place', source: 'gazetteer' };
const OAK_GROVE_KY: GeocodeCandidate = { ...OAK_GROVE, label: 'Oak Grove, KY', lat: 36.66, lon: -87.44, county: 'Christian', countyFips: '21047', state: 'KY' };

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('LocationSearch', () => {
  it('searches on Enter (not submitting the plan), focuses the first result and fills from the one chosen', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { candidates: [OAK_GROVE, OAK_GROVE_KY], fellBack: false }));
    const onPick = vi.fn();
    const onSubmit = vi.fn((e: Event) => e.preventDefault());
    renderWithQuery(
      <form onSubmit={onSubmit as never}>
        <LocationSearch id="s" onPick={onPick} />
      </form>,
    );
    const input = screen.getByLabelText('Find an address or place');
    fireEvent.change(input, { target: { value: 'Oak Grove' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSubmit).not.toHaveBeenCalled();
    const first = await screen.findByRole('button', { name: /Oak Grove, MO/ });
    await waitFor(() => expect(document.activeElement).toBe(first));
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/geocode?q=Oak+Grove');
    expect(screen.getByRole('status').textContent).toBe('2 results. Choose one to fill the coordinates.');
    expect(first.textContent).toContain('Jackson County · town center (approximate)');
    fireEvent.click(screen.getByRole('button', { name: /Oak Grove, KY/ }));
    expect(onPick).toHaveBeenCalledWith(OAK_GROVE_KY);
    expect(screen.queryByRole('list')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Filled from Oak Grove, KY. Check the point on the map and move it if needed.');
  });

  it('says when nothing was found, when the query is too short, and when the address service fell back', async () => {
    renderWithQuery(<LocationSearch id="s" onPick={() => {}} />);
    const input = screen.getByLabelText('Find an address or place');
    fireEvent.change(input, { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.getByRole('status').textContent).toBe('Type at least 2 characters.');
    expect(fetchMock).not.toHaveBeenCalled();

    fetchMock.mockResolvedValueOnce(jsonResponse(200, { candidates: [], fellBack: false }));
    fireEvent.change(input, { target: { value: 'xqjv blorf' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Nothing found\./));

    fetchMock.mockResolvedValueOnce(jsonResponse(200, { candidates: [OAK_GROVE], fellBack: true }));
    fireEvent.change(input, { target: { value: '1200 S Broadway, Oak Grove, MO' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^1 result\..*could not be reached; these are town and ZIP code centers\.$/));
  });
});
