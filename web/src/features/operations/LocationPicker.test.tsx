import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import LocationPicker from './LocationPicker.tsx';

/** One square "county" around Oak Grove, its ring clockwise as d3-geo reads an exterior ring on the sphere. */
const SQUARE = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      id: '29095',
      properties: { name: 'Jackson' },
      geometry: { type: 'Polygon', coordinates: [[[-94.5, 38.8], [-94.5, 39.2], [-93.9, 39.2], [-93.9, 38.8], [-94.5, 38.8]]] },
    },
  ],
};

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

function serve(tiles: { url: string; attribution: string } | null) {
  fetchMock.mockImplementation(async (input) => {
    const url = String(input);
    if (url.startsWith('/api/jurisdiction/map')) return jsonResponse(200, SQUARE);
    if (url.startsWith('/api/geocode/settings')) return jsonResponse(200, { geocoder: 'offline', tiles });
    return jsonResponse(404, { error: { code: 'not_found', message: url } });
  });
}

describe('LocationPicker', () => {
  it("draws the operator's tiles around the point, credits them, and moves the point with the arrow keys", async () => {
    serve({ url: 'https://tiles.example.gov/{z}/{x}/{y}.png', attribution: '© Example Tiles' });
    const onPick = vi.fn();
    const { container } = renderWithQuery(<LocationPicker name="Location 1" lat={38.99751} lng={-94.14544} radiusM={300} onPick={onPick} />);
    const map = await screen.findByRole('application', { name: 'Map for Location 1' });
    const hrefs = [...container.querySelectorAll('image')].map((i) => i.getAttribute('href'));
    // The tile holding Oak Grove at zoom 14, by the OpenStreetMap formula: x 3907, y 6261.
    expect(hrefs).toContain('https://tiles.example.gov/14/3907/6261.png');
    expect(screen.getByText('© Example Tiles')).toBeTruthy();
    fireEvent.keyDown(map, { key: 'ArrowUp' });
    const [lat, lng, fips] = onPick.mock.calls[0]!;
    expect(lat).toBeGreaterThan(38.99751);
    expect(lng).toBeCloseTo(-94.14544, 6);
    expect(fips).toBe('29095');
    expect(screen.getByRole('status').textContent).toMatch(/^Point set at 38\.99\d+, -94\.14544, in Jackson County\.$/);
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    await waitFor(() => expect([...container.querySelectorAll('image')].some((i) => i.getAttribute('href')?.startsWith('https://tiles.example.gov/13/'))).toBe(true));
  });

  it('draws the county map without a tile server, and a first arrow key puts the point in the middle', async () => {
    serve(null);
    const onPick = vi.fn();
    const { container } = renderWithQuery(<LocationPicker name="Location 2" lat={null} lng={null} radiusM={300} onPick={onPick} />);
    const map = await screen.findByRole('application', { name: 'Map for Location 2' });
    expect(container.querySelectorAll('image')).toHaveLength(0);
    expect(container.querySelectorAll('path.lantern-map__county')).toHaveLength(1);
    fireEvent.keyDown(map, { key: 'ArrowRight' });
    const [lat, lng, fips] = onPick.mock.calls[0]!;
    expect(lat).toBeGreaterThan(38.8);
    expect(lat).toBeLessThan(39.2);
    expect(lng).toBeGreaterThan(-94.5);
    expect(fips).toBe('29095');
  });
});
