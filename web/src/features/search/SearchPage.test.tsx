import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Outlet, RouterProvider, createMemoryHistory, createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { jsonResponse } from '../../test/render.tsx';
import type { IdentifierSearchResult } from './api.ts';
import { SearchPage } from './SearchPage.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const OPERATION = '00000000-0000-4000-8000-0000000000d1';
const TIP = '00000000-0000-4000-8000-0000000000c1';
const BUSINESS = '00000000-0000-4000-8000-0000000000b1';
const RELEASE = '00000000-0000-4000-8000-0000000000e1';

/** Answers each search with `answer(value)`; returns the values asked for. */
function serve(answer: (value: string) => Response) {
  const asked: string[] = [];
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(String(input), 'http://x');
    if (url.pathname !== '/api/identifiers/search') return jsonResponse(404, { error: { code: 'not_found', message: `no mock for ${url.pathname}` } });
    const value = url.searchParams.get('value') ?? '';
    asked.push(value);
    return answer(value);
  });
  return asked;
}

const results = (...r: IdentifierSearchResult[]) => jsonResponse(200, { results: r });

function renderSearch() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const rootRoute = createRootRoute({ component: Outlet });
  const page = (path: string, title: string) => createRoute({ getParentRoute: () => rootRoute, path, component: () => <h1>{title}</h1> });
  const search = createRoute({ getParentRoute: () => rootRoute, path: 'search', component: SearchPage });
  const router = createRouter({
    routeTree: rootRoute.addChildren([search, page('tip-queue/$tipId', 'A tip'), page('operations/$operationId', 'An operation'), page('businesses/$businessId', 'A business'), page('releases/$releaseId', 'A release')]),
    history: createMemoryHistory({ initialEntries: ['/search'] }),
  });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router };
}

async function searchFor(value: string) {
  const form = await screen.findByRole('search', { name: 'Search identifiers' });
  fireEvent.change(within(form).getByLabelText('Phone, email, plate, handle or address'), { target: { value } });
  fireEvent.submit(form);
  return form;
}

describe('the identifier search page', () => {
  it('lists every record shared with the value, each linked to its page, with what it matched as', async () => {
    const asked = serve(() =>
      results(
        { recordType: 'operation', recordId: OPERATION, label: 'Operation Harvest Moon (demo)', kinds: ['phone'] },
        { recordType: 'tip', recordId: TIP, label: 'Tip received 2026-11-02', kinds: ['email', 'phone'] },
        { recordType: 'business', recordId: BUSINESS, label: 'Golden Spa', kinds: ['phone'] },
        { recordType: 'release', recordId: RELEASE, label: 'Shared by RISE Coalition (release)', kinds: ['phone'] },
      ),
    );
    renderSearch();
    await searchFor('  (816) 555-0199 ');
    const heading = await screen.findByRole('heading', { name: '4 records share this value', level: 2 });
    expect(asked).toEqual(['(816) 555-0199']);
    // The answer takes focus, so a keyboard user tabs straight into its links.
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const table = screen.getByRole('table');
    const row = (name: string) => within(table).getByRole('row', { name: new RegExp(name.replace(/[()]/g, '\\$&')) });
    expect(within(row('Operation Harvest Moon')).getByRole('link').getAttribute('href')).toBe(`/operations/${OPERATION}`);
    expect(within(row('Operation Harvest Moon')).getByText('Operation')).toBeTruthy();
    expect(within(row('Tip received')).getByRole('link').getAttribute('href')).toBe(`/tip-queue/${TIP}`);
    expect(within(row('Tip received')).getByText('Email address, Phone')).toBeTruthy();
    expect(within(row('Golden Spa')).getByRole('link').getAttribute('href')).toBe(`/businesses/${BUSINESS}`);
    expect(within(row('Shared by RISE')).getByRole('link').getAttribute('href')).toBe(`/releases/${RELEASE}`);
    expect(within(row('Shared by RISE')).getByText('Shared with you under a release')).toBeTruthy();
  });

  it('searches the same value again when asked, and lands on the answer again', async () => {
    const asked = serve(() => results({ recordType: 'tip', recordId: TIP, label: 'Tip received 2026-11-02', kinds: ['phone'] }));
    renderSearch();
    await searchFor('(816) 555-0199');
    const first = await screen.findByRole('heading', { name: '1 record shares this value', level: 2 });
    await waitFor(() => expect(document.activeElement).toBe(first));
    screen.getByLabelText('Phone, email, plate, handle or address').focus();
    await searchFor('(816) 555-0199');
    await waitFor(() => expect(asked).toHaveLength(2));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: '1 record shares this value', level: 2 })));
  });

  it('says what to do when nothing the searcher may see shares the value', async () => {
    serve(() => results());
    renderSearch();
    await searchFor('(913) 555-0177');
    const heading = await screen.findByRole('heading', { name: 'No record you may see shares this value', level: 2 });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText(/Check the value and try again/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('refuses a value too short beside the field, without asking the server, and focuses the field', async () => {
    const asked = serve(() => results());
    renderSearch();
    const form = await searchFor(' 8 ');
    const field = within(form).getByLabelText('Phone, email, plate, handle or address');
    expect(within(form).getByText('Enter at least 2 characters.')).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(field));
    await searchFor('');
    expect(within(form).getByText('Enter a phone, email, plate, handle or address.')).toBeTruthy();
    expect(asked).toEqual([]);
  });

  it('puts the server’s refusal of the value beside the field', async () => {
    serve(() => jsonResponse(400, { error: { code: 'invalid', message: 'value: must be at most 300 characters', field: 'value' } }));
    renderSearch();
    const form = await searchFor('a value the server refuses');
    await waitFor(() => expect(within(form).getByText(/must be at most 300 characters/)).toBeTruthy());
    expect(within(form).getByLabelText('Phone, email, plate, handle or address').getAttribute('aria-invalid')).toBe('true');
  });

  it('shows the last search again on coming back from a result, without the value in the address', async () => {
    serve(() => results({ recordType: 'operation', recordId: OPERATION, label: 'Operation Harvest Moon (demo)', kinds: ['phone'] }));
    const { router } = renderSearch();
    await searchFor('(816) 555-0199');
    fireEvent.click(await screen.findByRole('link', { name: 'Operation Harvest Moon (demo)' }));
    await screen.findByRole('heading', { name: 'An operation', level: 1 });
    expect(router.state.location.href).toBe(`/operations/${OPERATION}`);
    router.history.back();
    const heading = await screen.findByRole('heading', { name: '1 record shares this value', level: 2 });
    expect(router.state.location.href).toBe('/search');
    // Coming back is not a new search: the answer is shown, not forced into focus.
    expect(document.activeElement).not.toBe(heading);
    expect((screen.getByLabelText('Phone, email, plate, handle or address') as HTMLInputElement).value).toBe('(816) 555-0199');
  });
});
