/** Tips and a router for the tip pages' component tests. */
import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Outlet, RouterProvider, createMemoryHistory, createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { keys } from '../../api/queries.ts';
import type { MeDto } from '../../api/types.ts';
import { jsonResponse } from '../../test/render.tsx';
import { TEST_AGENCY, TEST_ME_ID, TEST_TASK_FORCE, coordinatorMe } from '../../test/me.ts';
import type { TipDto, TipListItem } from './api.ts';
import { validateTipQueueSearch } from './search.ts';
import { TipNewPage } from './TipNewPage.tsx';
import { TipPage } from './TipPage.tsx';
import { TipQueuePage } from './TipQueuePage.tsx';

export const AGENCY = TEST_AGENCY;
export const OTHER_AGENCY = '00000000-0000-4000-8000-0000000000a2';
export const TASK_FORCE = TEST_TASK_FORCE;
export const TIP_ID = '00000000-0000-4000-8000-0000000000c1';
export const ME_ID = TEST_ME_ID;
export const COLLEAGUE_ID = '00000000-0000-4000-8000-0000000000b2';

export function me(abilities: Record<string, boolean> = { 'tip.read': true, 'tip.create': true }): MeDto {
  return coordinatorMe(abilities);
}

export function listItem(over: Partial<TipListItem> = {}): TipListItem {
  return {
    id: TIP_ID,
    receivedAt: '2026-11-20T22:15:00.000Z',
    source: 'web',
    status: 'new',
    urgent: false,
    minorInvolved: false,
    immediateDanger: false,
    zip: '64075',
    countyFips: '29095',
    countyName: 'Jackson County',
    agency: { id: AGENCY, name: 'Oak Grove Police Department' },
    sharedWithUs: false,
    assignedTo: null,
    score: 42,
    reasons: [
      { code: 'typology_terms', count: 2, terms: ['massage', 'debt'] },
      { code: 'repeated_identifiers', count: 2 },
      { code: 'open_operation', count: 1 },
    ],
    summary: 'A massage place on Main Street where the women never leave',
    unreadMessages: 0,
    version: 1,
    ...over,
  };
}

export function tip(over: Partial<TipDto> = {}): TipDto {
  return {
    ...listItem(),
    narrative: 'A massage place on Main Street where the women never leave.\nThey say they owe a debt.',
    language: 'en',
    details: { address: '12 Main St', city: 'Oak Grove', county: null, when: 'every night after 10 pm', people: null, vehicles: 'white van', phones: ['816-555-0142'], emails: [], online: [], businesses: ['Golden Spa'] },
    tipster: { label: 'Tipster', contact: null },
    routing: { rule: 'county', zip: '64075', countyFips: '29095', countyChosenBy: 'largest_share' },
    closeReason: null,
    sharedWith: [],
    history: [{ at: '2026-11-20T22:15:00.000Z', kind: 'received', by: null, detail: { source: 'web' } }],
    messages: [],
    links: [
      { recordType: 'operation', recordId: '00000000-0000-4000-8000-0000000000d1', label: 'Operation Harvest Moon', shared: [{ kind: 'phone', hint: '•••-•••-0142' }], strength: 'weak', open: true },
    ],
    abilities: { 'tip.read': true, 'tip.assign': true, 'tip.triage': true, 'tip.reroute': true, 'tip.share': true, 'tip.message': true, 'tip.readContact': true },
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

/** Two square counties side by side. */
export const COUNTY_MAP = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: '29095', properties: { name: 'Jackson' }, geometry: { type: 'Polygon', coordinates: [[[-94.6, 38.8], [-94.6, 39.2], [-94.1, 39.2], [-94.1, 38.8], [-94.6, 38.8]]] } },
    { type: 'Feature', id: '29107', properties: { name: 'Lafayette' }, geometry: { type: 'Polygon', coordinates: [[[-94.1, 38.8], [-94.1, 39.2], [-93.5, 39.2], [-93.5, 38.8], [-94.1, 38.8]]] } },
  ],
};

export const TASK_FORCE_DTO = {
  id: TASK_FORCE,
  name: 'Jackson County Task Force',
  members: [
    { agencyId: AGENCY, name: 'Oak Grove Police Department', kind: 'law_enforcement' },
    { agencyId: OTHER_AGENCY, name: 'Jackson County Sheriff', kind: 'law_enforcement' },
  ],
  abilities: {},
};

/** Answers the requests every tip page makes besides the tip API itself; undefined for the rest. */
export function commonAnswer(url: string): Response | undefined {
  if (url === '/api/jurisdiction') return jsonResponse(200, JURISDICTION);
  if (url === '/api/jurisdiction/map') return jsonResponse(200, COUNTY_MAP);
  if (url === `/api/task-forces/${TASK_FORCE}`) return jsonResponse(200, TASK_FORCE_DTO);
  return undefined;
}

/** Renders the tip pages under a memory router at `at`; returns the router to read its location. */
export function renderTipPages(at: string, who: MeDto = me()) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  queryClient.setQueryData(keys.me, who);
  const rootRoute = createRootRoute({ component: Outlet });
  const app = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: Outlet });
  const queue = createRoute({ getParentRoute: () => app, path: 'tip-queue', validateSearch: validateTipQueueSearch, component: TipQueuePage });
  const fresh = createRoute({ getParentRoute: () => app, path: 'tip-queue/new', component: TipNewPage });
  const one = createRoute({ getParentRoute: () => app, path: 'tip-queue/$tipId', component: TipPage });
  const operation = createRoute({ getParentRoute: () => app, path: 'operations/$operationId', component: () => <h1>Operation</h1> });
  const release = createRoute({ getParentRoute: () => app, path: 'releases/$releaseId', component: () => <h1>Shared release</h1> });
  const router = createRouter({ routeTree: rootRoute.addChildren([app.addChildren([queue, fresh, one, operation, release])]), history: createMemoryHistory({ initialEntries: [at] }) });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router, queryClient };
}
