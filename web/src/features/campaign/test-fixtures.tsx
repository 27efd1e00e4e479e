/** Records and a router for the campaign pages' component tests. */
import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Outlet, RouterProvider, createMemoryHistory, createRootRoute, createRoute, createRouter, useParams } from '@tanstack/react-router';
import { type vi } from 'vitest';
import { keys } from '../../api/queries.ts';
import type { MeDto } from '../../api/types.ts';
import { jsonResponse } from '../../test/render.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import type { BusinessAlertDto, BusinessDto, CampaignDashboard, LandlordDto, LetterBatchDto, NoticeLetterDto, NoticeTemplateDto } from './api.ts';
import { BusinessLettersSection } from './BusinessLettersSection.tsx';
import { CampaignDashboardPage } from './CampaignDashboardPage.tsx';
import { LandlordPage } from './LandlordPage.tsx';
import { NoticeLettersPage } from './NoticeLettersPage.tsx';

export const AGENCY = '00000000-0000-4000-8000-0000000000a1';
export const BUSINESS_ID = '00000000-0000-4000-8000-0000000000b1';
export const OTHER_BUSINESS = '00000000-0000-4000-8000-0000000000b2';
export const LANDLORD_ID = '00000000-0000-4000-8000-0000000000d1';
export const LETTER_ID = '00000000-0000-4000-8000-0000000000e1';
export const TIP_ID = '00000000-0000-4000-8000-0000000000c1';

export function me(abilities: Record<string, boolean> = { 'business.read': true, 'notice.editTemplate': true }): MeDto {
  return {
    user: { id: '00000000-0000-4000-8000-000000000001', email: 'ann@ago.example', displayName: 'Ann Analyst', roles: ['analyst'], platformAdmin: false, mustChangePassword: false },
    agency: { id: AGENCY, name: 'AGO Human Trafficking Task Force', kind: 'prosecutor' },
    taskForces: [],
    session: { idleExpiresAt: '2030-01-01T00:00:00.000Z', absoluteExpiresAt: '2030-01-01T00:00:00.000Z' },
    abilities,
  } as MeDto;
}

export function dashboard(over: Partial<CampaignDashboard> = {}): CampaignDashboard {
  return {
    byStage: { identified: 3, verified: 2, landlord_identified: 4, landlord_notified: 10, landlord_responded: 8, lease_action: 6, closed: 17, civil_action: 1, criminal_referral: 0, cleared: 2 },
    landlordsNotified: 77,
    landlordsResponded: 41,
    evictedOrInEviction: 23,
    byCounty: [
      { countyFips: '29095', countyName: 'Jackson County', total: 12, closed: 5, byStage: {} },
      { countyFips: '29107', countyName: 'Lafayette County', total: 2, closed: 0, byStage: {} },
    ],
    responseRate: 41 / 77,
    medianDaysNoticeToClosure: 38,
    funnel: [
      { stage: 'identified', reached: 80 },
      { stage: 'landlord_notified', reached: 77 },
      { stage: 'closed', reached: 18 },
    ],
    sentence: '23 businesses have been evicted or are in some phase of eviction.',
    state: 'Missouri',
    asOf: '2026-12-04T15:00:00.000Z',
    ...over,
  } as CampaignDashboard;
}

export function template(over: Partial<NoticeTemplateDto> = {}): NoticeTemplateDto {
  return {
    id: '00000000-0000-4000-8000-0000000000f1',
    title: 'Notice to the property owner',
    body: 'Dear {{owner}},\nThe business at {{property}} ...',
    legalBasis: 'RSMo 567.080',
    responseDays: 30,
    version: 3,
    updatedAt: '2026-12-01T10:00:00.000Z',
    updatedBy: 'Ann Analyst',
    mergeFields: ['owner', 'property', 'evidence_summary', 'legal_basis', 'response_deadline', 'letter_number', 'date', 'business_name', 'agent'],
    abilities: {},
    ...over,
  };
}

export function business(over: Partial<BusinessDto> = {}): BusinessDto {
  return {
    id: BUSINESS_ID,
    name: 'Golden Lotus Spa',
    address: '12 Main St',
    city: 'Oak Grove',
    countyFips: '29095',
    countyName: 'Jackson County',
    stage: 'landlord_identified',
    outcome: null,
    score: 9,
    agencyId: AGENCY,
    agencyName: 'Oak Grove Police Department',
    stageChangedAt: '2026-11-20T10:00:00.000Z',
    responseDue: null,
    openAlerts: 0,
    zip: '64075',
    hours: null,
    license: {},
    sources: {},
    facts: [],
    operators: null,
    operatorCount: 0,
    scoreReasons: [],
    landlord: null,
    nextStages: ['landlord_notified'],
    cleared: null,
    notifiedAt: null,
    closedAt: null,
    version: 4,
    createdAt: '2026-11-01T10:00:00.000Z',
    createdBy: 'Casey Coordinator',
    abilities: { 'business.read': true, 'business.readLandlord': true, 'business.updateLandlord': true, 'business.draftLetter': true, 'business.sendLetter': true },
    ...over,
  };
}

export function landlord(over: Partial<LandlordDto> = {}): LandlordDto {
  return {
    id: LANDLORD_ID,
    kind: 'company',
    name: 'Main Street Holdings LLC',
    agent: 'Pat Agent',
    mailingAddress: 'PO Box 1, Kansas City, MO 64101',
    phone: '816-555-0100',
    email: null,
    source: 'Jackson County Assessor, parcel 12-340-05',
    properties: [
      { id: BUSINESS_ID, name: 'Golden Lotus Spa', address: '12 Main St', city: 'Oak Grove', stage: 'landlord_notified' },
      { id: OTHER_BUSINESS, name: 'Jade Garden Massage', address: '40 Elm St', city: 'Blue Springs', stage: 'closed' },
    ],
    contacts: [{ id: '00000000-0000-4000-8000-0000000000a9', at: '2026-11-25T15:00:00.000Z', channel: 'phone', direction: 'outgoing', note: 'Left a message with the agent.', by: 'Ann Analyst', businessId: BUSINESS_ID }],
    version: 2,
    abilities: { 'landlord.addContact': true },
    ...over,
  };
}

export function letter(over: Partial<NoticeLetterDto> = {}): NoticeLetterDto {
  return {
    id: LETTER_ID,
    number: 'HOPE-2026-0042',
    businessId: BUSINESS_ID,
    businessName: 'Golden Lotus Spa',
    landlordId: LANDLORD_ID,
    responseDue: '2027-01-03',
    createdAt: '2026-12-04T15:00:00.000Z',
    createdBy: 'Ann Analyst',
    sentVia: null,
    sentAt: null,
    tracking: null,
    deliveredAt: null,
    pdfUrl: `/api/letters/${LETTER_ID}/pdf`,
    docxUrl: `/api/letters/${LETTER_ID}/docx`,
    version: 1,
    abilities: {},
    ...over,
  };
}

export function batch(over: Partial<LetterBatchDto> = {}): LetterBatchDto {
  return { id: '00000000-0000-4000-8000-0000000000ba', status: 'running', total: 2, processed: 1, generated: 1, refused: [], letters: [], createdAt: '2026-12-04T15:00:00.000Z', finishedAt: null, ...over };
}

export function alert(over: Partial<BusinessAlertDto> = {}): BusinessAlertDto {
  return {
    id: '00000000-0000-4000-8000-0000000000aa',
    business: { id: OTHER_BUSINESS, name: 'Jade Garden Massage', address: '40 Elm St, Blue Springs', stage: 'closed' },
    source: { type: 'tip', id: TIP_ID, label: 'Tip received Dec 3' },
    kinds: ['phone'],
    createdAt: '2026-12-03T18:00:00.000Z',
    dismissedAt: null,
    abilities: { 'business.dismissAlert': true },
    ...over,
  };
}

export const COUNTY_MAP = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: '29095', properties: { name: 'Jackson' }, geometry: { type: 'Polygon', coordinates: [[[-94.6, 38.8], [-94.6, 39.2], [-94.1, 39.2], [-94.1, 38.8], [-94.6, 38.8]]] } },
    { type: 'Feature', id: '29107', properties: { name: 'Lafayette' }, geometry: { type: 'Polygon', coordinates: [[[-94.1, 38.8], [-94.1, 39.2], [-93.5, 39.2], [-93.5, 38.8], [-94.1, 38.8]]] } },
  ],
};

export interface Call {
  method: string;
  url: string;
  body: unknown;
}
type Handler = (call: Call) => Response | undefined;

/** Stubs fetch with `handler` (undefined → 404); returns the calls made. */
export function serve(fetchMock: ReturnType<typeof vi.fn<typeof fetch>>, handler: Handler): Call[] {
  const calls: Call[] = [];
  fetchMock.mockImplementation(async (input, init) => {
    const call = { method: init?.method ?? 'GET', url: String(input), body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    if (call.url === '/api/jurisdiction/map') return jsonResponse(200, COUNTY_MAP);
    return handler(call) ?? jsonResponse(404, { error: { code: 'not_found', message: `no mock for ${call.method} ${call.url}` } });
  });
  return calls;
}

function BusinessStub() {
  const { businessId } = useParams({ strict: false }) as { businessId: string };
  return (
    <>
      <h1>Business</h1>
      <section>
        <h2>Landlord and letters</h2>
        <BusinessLettersSection businessId={businessId} />
      </section>
    </>
  );
}

/** Renders the campaign pages under a memory router at `at`. */
export function renderCampaign(at: string, who: MeDto = me()) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  queryClient.setQueryData(keys.me, who);
  const rootRoute = createRootRoute({ component: Outlet });
  const page = (path: string, component: () => React.ReactNode) => createRoute({ getParentRoute: () => rootRoute, path, component });
  const router = createRouter({
    routeTree: rootRoute.addChildren([
      page('businesses', () => <h1>Businesses</h1>),
      page('businesses/new', () => <h1>New business</h1>),
      page('businesses/dashboard', CampaignDashboardPage),
      page('businesses/letters', NoticeLettersPage),
      page('businesses/alerts', AlertsPage),
      page('businesses/$businessId', BusinessStub),
      page('landlords/$landlordId', LandlordPage),
      page('tip-queue/$tipId', () => <h1>Tip</h1>),
      page('contacts/$contactId', () => <h1>Contact</h1>),
    ]),
    history: createMemoryHistory({ initialEntries: [at] }),
  });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router, queryClient };
}
