import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import { AgencyForm, agencyToValues } from './AgencyForm.tsx';

/** What GET /api/jurisdiction answers for a server started with LANTERN_STATE=KS. */
const KANSAS = {
  state: { fips: '20', postal: 'KS', name: { en: 'Kansas', es: 'Kansas' }, ap: 'Kan.' },
  timeZone: 'America/Chicago',
  timeZoneName: { en: 'Central time', es: 'hora central' },
  counties: [
    { fips: '20091', name: { en: 'Johnson', es: 'Johnson' } },
    { fips: '20209', name: { en: 'Wyandotte', es: 'Wyandotte' } },
  ],
};

const fetchMock = vi.fn<typeof fetch>();

describe("an agency's counties served", () => {
  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation(async () => jsonResponse(200, KANSAS));
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("are the server's state's: the hint names it, and another state's county is refused before sending", async () => {
    const onSubmit = vi.fn();
    renderWithQuery(<AgencyForm initial={{ ...agencyToValues(), name: 'Olathe Police Department', kind: 'law_enforcement' }} submitLabel="Add agency" pending={false} error={null} onSubmit={onSubmit} onCancel={() => {}} />);
    await screen.findByText(/FIPS codes of counties of Kansas.*For example 20091 for Johnson/);
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/jurisdiction');
    // Public and fixed while the server runs: the browser may keep it (the server says a day).
    expect(fetchMock.mock.calls[0]![1]).toMatchObject({ cache: 'default' });

    const counties = screen.getByLabelText(/Counties served/);
    fireEvent.change(counties, { target: { value: '20091, 29095' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add agency' }));
    await screen.findByText('Counties served must be counties of Kansas. Check: 29095.');
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(counties, { target: { value: '20091 20209' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add agency' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ counties: ['20091', '20209'] })));
  });
});
