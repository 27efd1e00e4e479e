/** Businesses and a router for the registry pages' component tests. */
import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Outlet, RouterProvider, createMemoryHistory, createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { keys } from '../../api/queries.ts';
import type { MeDto } from '../../api/types.ts';
import { jsonResponse } from '../../test/render.tsx';
import { TEST_AGENCY, TEST_ME_ID, TEST_TASK_FORCE, coordinatorMe } from '../../test/me.ts';
import type { BusinessDto, BusinessListItem, IndicatorDto } from './api.ts';
import { BusinessNewPage } from './BusinessNewPage.tsx';
import { BusinessPage } from './BusinessPage.tsx';
import { BusinessesPage } from './BusinessesPage.tsx';
import { validateBusinessesSearch } from './search.ts';

export const AGENCY = TEST_AGENCY;
export const TASK_FORCE = TEST_TASK_FORCE;
export const BUSINESS_ID = '00000000-0000-4000-8000-0000000000e1';
export const OTHER_BUSINESS_ID = '00000000-0000-4000-8000-0000000000e2';
export const INDICATOR_ID = '00000000-0000-4000-8000-0000000000e3';
export const ME_ID = TEST_ME_ID;

export function me(abilities: Record<string, boolean> = { 'business.read': true, 'business.create': true }): MeDto {
  return coordinatorMe(abilities);
}

export function listItem(over: Partial<BusinessListItem> = {}): BusinessListItem {
  return {
    id: BUSINESS_ID,
    name: 'Golden Lotus Spa',
    address: '1201 S Broadway',
    city: 'Oak Grove',
    countyFips: '29095',
    countyName: 'Jackson County',
    stage: 'identified',
    outcome: null,
    score: 7,
    agencyId: AGENCY,
    agencyName: 'Oak Grove Police Department',
    stageChangedAt: '2026-11-20T22:15:00.000Z',
    responseDue: null,
    openAlerts: 0,
    ...over,
  };
}

export function business(over: Partial<BusinessDto> = {}): BusinessDto {
  return {
    ...listItem(),
    zip: '64075',
    hours: '10 am to 2 am every day',
    license: { number: 'ML-2231', issuer: 'City of Oak Grove' },
    sources: { name: 'Site visit 2026-11-03', address: 'Site visit 2026-11-03' },
    facts: [{ id: '00000000-0000-4000-8000-0000000000f2', kind: 'phone', value: '816-555-0142', source: 'Ad on a review site', recordedAt: '2026-11-20T22:15:00.000Z', recordedBy: 'Casey Coordinator' }],
    operators: null,
    operatorCount: 2,
    scoreReasons: [{ indicator: 'reviews_describe_sex_acts', count: 1, verified: false, latest: '2026-11-02', recent: true, points: 4 }],
    landlord: null,
    nextStages: ['verified'],
    cleared: null,
    notifiedAt: null,
    closedAt: null,
    version: 3,
    createdAt: '2026-11-20T22:15:00.000Z',
    createdBy: 'Casey Coordinator',
    abilities: { 'business.read': true, 'business.advance': true, 'business.clear': true, 'business.verify': true, 'business.recordIndicator': true },
    ...over,
  };
}

export function indicator(over: Partial<IndicatorDto> = {}): IndicatorDto {
  return {
    id: INDICATOR_ID,
    businessId: BUSINESS_ID,
    indicator: 'covered_windows',
    note: 'Front windows papered over from inside.',
    observedOn: '2026-11-03',
    recordedAt: '2026-11-03T18:00:00.000Z',
    recordedBy: 'Ann Analyst',
    recordedByMe: false,
    attachment: null,
    verifiedAt: null,
    verifiedBy: null,
    withdrawnAt: null,
    withdrawnReason: null,
    version: 1,
    abilities: {},
    ...over,
  };
}

export const JURISDICTION = {
  state: { fips: '29', postal: 'MO', name: { en: 'Missouri', es: 'Misuri' }, ap: 'Mo.' },
  timeZone: 'America/Chicago',
  timeZoneName: { en: 'Central', es: 'Central' },
  counties: [
    { fips: '29095', name: { en: 'Jackson County', es: 'Condado de Jackson' } },
    { fips: '29107', name: { en: 'Lafayette County', es: 'Condado de Lafayette' } },
  ],
};

/** Answers the requests every page makes besides the business API itself. */
export function commonAnswer(url: string): Response | undefined {
  if (url === '/api/jurisdiction') return jsonResponse(200, JURISDICTION);
  return undefined;
}

/** Renders the registry pages under a memory router at `at`; returns the router to read its location. */
export function renderBusinessPages(at: string, who: MeDto = me()) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  queryClient.setQueryData(keys.me, who);
  const rootRoute = createRootRoute({ component: Outlet });
  const app = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: Outlet });
  const list = createRoute({ getParentRoute: () => app, path: 'businesses', validateSearch: validateBusinessesSearch, component: BusinessesPage });
  const fresh = createRoute({ getParentRoute: () => app, path: 'businesses/new', component: BusinessNewPage });
  const one = createRoute({ getParentRoute: () => app, path: 'businesses/$businessId', component: BusinessPage });
  const stubs = ['businesses/dashboard', 'businesses/alerts', 'businesses/letters'].map((path) => createRoute({ getParentRoute: () => app, path, component: () => <h1>{path}</h1> }));
  const router = createRouter({ routeTree: rootRoute.addChildren([app.addChildren([list, fresh, ...stubs, one])]), history: createMemoryHistory({ initialEntries: [at] }) });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router, queryClient };
}
