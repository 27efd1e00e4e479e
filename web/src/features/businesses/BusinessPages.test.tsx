import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import type { BusinessDto, IndicatorDto } from './api.ts';
import { BUSINESS_ID, OTHER_BUSINESS_ID, business, commonAnswer, indicator, listItem, me, renderBusinessPages } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

type Answer = (url: string, body: unknown) => Response;

/** Serves GETs from `gets` (by path, query stripped unless given in full) and POSTs from `onPost` (recorded). */
function serve(gets: Record<string, () => unknown>, onPost: Answer = () => jsonResponse(200, {})) {
  const posts: { url: string; body: unknown }[] = [];
  const urls: string[] = [];
  fetchMock.mockImplementation(async (input, init) => {
    const url = String(input);
    urls.push(url);
    if (init?.method === 'POST') {
      const body = JSON.parse(String(init.body));
      posts.push({ url, body });
      return onPost(url, body);
    }
    const common = commonAnswer(url);
    if (common) return common;
    const answer = gets[url] ?? gets[url.split('?')[0]!];
    if (answer) return jsonResponse(200, answer());
    return jsonResponse(404, { error: { code: 'not_found', message: `no mock for ${url}` } });
  });
  return { posts, urls };
}

const section = async (name: string) => (await screen.findByRole('heading', { name, level: 2 })).closest('section')!;

describe('the registry', () => {
  it('lists businesses with their stage, score and open alerts, and asks the API for the URL’s filter', async () => {
    const { urls } = serve({ '/api/businesses': () => ({ items: [listItem({ openAlerts: 1, stage: 'closed', outcome: 'evicted' })], total: 1 }) });
    renderBusinessPages('/businesses?stage=closed&county=29095&q=lotus');
    const table = await screen.findByRole('table', { name: 'Businesses in the registry' });
    const row = within(table).getByRole('row', { name: /Golden Lotus Spa/ });
    expect(within(row).getByRole('link', { name: 'Golden Lotus Spa' }).getAttribute('href')).toBe(`/businesses/${BUSINESS_ID}`);
    expect(within(row).getByText('1201 S Broadway, Oak Grove')).toBeTruthy();
    expect(within(row).getByText('Closed')).toBeTruthy();
    expect(within(row).getByText('1 open alert')).toBeTruthy();
    expect(urls.find((u) => u.startsWith('/api/businesses?'))).toBe('/api/businesses?stage=closed&countyFips=29095&q=lotus&limit=25');
    expect((screen.getByLabelText('Stage') as HTMLSelectElement).value).toBe('closed');
    expect(screen.getByRole('link', { name: 'Enter a business' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Campaign dashboard' }).getAttribute('href')).toBe('/businesses/dashboard');
  });

  it('keeps filters in the URL when applied', async () => {
    serve({ '/api/businesses': () => ({ items: [], total: 0 }) });
    const { router } = renderBusinessPages('/businesses');
    await screen.findByRole('heading', { name: 'No businesses yet' });
    fireEvent.change(screen.getByLabelText(/^Search/), { target: { value: 'lotus' } });
    await screen.findByRole('option', { name: 'Jackson County' });
    fireEvent.change(screen.getByLabelText('County'), { target: { value: '29095' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ county: '29095', q: 'lotus' }));
    expect(await screen.findByRole('heading', { name: 'No businesses match' })).toBeTruthy();
  });

  it('says what to do when empty, and offers no entry without the ability', async () => {
    serve({ '/api/businesses': () => ({ items: [], total: 0 }) });
    renderBusinessPages('/businesses', me({ 'business.read': true }));
    expect(await screen.findByText(/will be listed here/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Enter a business' })).toBeNull();
  });
});

describe('entering a business', () => {
  const fill = async () => {
    fireEvent.change(await screen.findByLabelText('Business name'), { target: { value: 'Golden Lotus Spa' } });
    fireEvent.change(screen.getByLabelText('Source'), { target: { value: 'Site visit' } });
    fireEvent.change(screen.getByLabelText('Street address'), { target: { value: '1201 S Broadway' } });
    fireEvent.change(screen.getByLabelText('City'), { target: { value: 'Oak Grove' } });
  };

  it('asks for the required fields beside them before sending', async () => {
    const { posts } = serve({});
    renderBusinessPages('/businesses/new');
    fireEvent.click(await screen.findByRole('button', { name: 'Enter the business' }));
    expect(await screen.findByText('Business name is required.')).toBeTruthy();
    expect(screen.getByText('City is required.')).toBeTruthy();
    expect(posts).toEqual([]);
  });

  it('shows the server’s error beside the phone it names (facts.0.value)', async () => {
    const { posts } = serve({}, () => jsonResponse(400, { error: { code: 'invalid', message: 'facts.0.value: must be a phone number', field: 'facts.0.value' } }));
    renderBusinessPages('/businesses/new');
    await fill();
    fireEvent.change(screen.getByLabelText('Phone 1'), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Enter the business' }));
    await waitFor(() => expect(screen.getByLabelText('Phone 1').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Phone must be a phone number.')).toBeTruthy();
    expect(posts[0]!.body).toMatchObject({ name: 'Golden Lotus Spa', facts: [{ kind: 'phone', value: '12', source: 'Site visit' }] });
  });

  it('links to the business already there when the server finds a duplicate', async () => {
    serve({}, () =>
      jsonResponse(409, { error: { code: 'duplicate', message: 'Golden Lotus Spa at 1201 S Broadway, Oak Grove is already in the registry.', details: { existing: { id: OTHER_BUSINESS_ID } } } }),
    );
    renderBusinessPages('/businesses/new');
    await fill();
    fireEvent.click(screen.getByRole('button', { name: 'Enter the business' }));
    expect(await screen.findByRole('heading', { name: 'This business is already in the registry' })).toBeTruthy();
    expect(screen.getByText(/is already in the registry\.$/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the business already in the registry' }).getAttribute('href')).toBe(`/businesses/${OTHER_BUSINESS_ID}`);
  });

  it('opens the new business once entered', async () => {
    serve({ [`/api/businesses/${BUSINESS_ID}`]: () => business() }, () => jsonResponse(201, business()));
    const { router } = renderBusinessPages('/businesses/new');
    await fill();
    fireEvent.click(screen.getByRole('button', { name: 'Enter the business' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/businesses/${BUSINESS_ID}`));
    expect(await screen.findByText('Golden Lotus Spa is entered in the registry.')).toBeTruthy();
  });
});

describe('the business page', () => {
  const gets = (b: () => BusinessDto, items: () => IndicatorDto[] = () => [indicator()]) => ({
    [`/api/businesses/${BUSINESS_ID}`]: b,
    [`/api/businesses/${BUSINESS_ID}/indicators`]: () => ({ items: items(), score: { score: 4, reasons: [] } }),
    [`/api/businesses/${BUSINESS_ID}/events`]: () => ({
      items: [
        { id: '00000000-0000-4000-8000-000000000101', at: '2026-11-20T22:15:00.000Z', kind: 'created', fromStage: null, toStage: 'identified', outcome: null, by: 'Casey Coordinator', detail: {} },
        { id: '00000000-0000-4000-8000-000000000102', at: '2026-11-22T22:15:00.000Z', kind: 'stage', fromStage: 'landlord_notified', toStage: 'landlord_responded', outcome: 'committed', by: 'Casey Coordinator', detail: { note: 'Called back' } },
        { id: '00000000-0000-4000-8000-000000000103', at: '2026-11-23T22:15:00.000Z', kind: 'indicator', fromStage: null, toStage: null, outcome: null, by: 'Ann Analyst', detail: { indicator: 'cash_only' } },
        { id: '00000000-0000-4000-8000-000000000104', at: '2026-11-24T22:15:00.000Z', kind: 'cleared', fromStage: 'verified', toStage: 'cleared', outcome: null, by: 'Ann Analyst', detail: { reason: 'License checked' } },
      ],
    }),
    [`/api/businesses/${BUSINESS_ID}/network`]: () => ({
      businessId: BUSINESS_ID,
      links: [{ business: { id: OTHER_BUSINESS_ID, name: 'Jade Spa', address: '3 Main St', city: 'Blue Springs', stage: 'closed' }, shared: [{ kind: 'phone', label: '816-555-0142' }] }],
    }),
  });

  it('shows the summary, score reasons in words, facts with sources, operators hidden, network and history', async () => {
    serve(gets(() => business()));
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    expect(await screen.findByRole('heading', { name: 'Golden Lotus Spa', level: 1 })).toBeTruthy();
    const summary = await section('Summary');
    expect(within(summary).getByText(/Reviews describing sex acts: 1 piece of evidence, latest Nov 2, 2026 \(recent\), not yet verified: 4 points/)).toBeTruthy();
    const facts = await section('Phones, websites, handles and former names');
    expect(within(facts).getByText('816-555-0142')).toBeTruthy();
    expect(within(facts).getByText(/source: Ad on a review site/)).toBeTruthy();
    expect(within(await section('Operators and owners')).getByText('2 operators — visible to coordinators and analysts.')).toBeTruthy();
    const network = await section('Network');
    expect((await within(network).findByRole('link', { name: 'Jade Spa' })).getAttribute('href')).toBe(`/businesses/${OTHER_BUSINESS_ID}`);
    expect(within(network).getByText('Shares: phone 816-555-0142')).toBeTruthy();
    const history = await section('History');
    expect(await within(history).findByText('Moved from Landlord notified to Landlord responded (Committed to remove)')).toBeTruthy();
    expect(within(history).getByText('Called back')).toBeTruthy();
    expect(within(history).getByText('Evidence recorded: Cash only')).toBeTruthy();
    expect(within(history).getByText('Cleared as legitimate')).toBeTruthy();
    expect(within(history).getByText('License checked')).toBeTruthy();
    expect(await section('Landlord and letters')).toBeTruthy();
  });

  it('lets another person verify evidence, never its recorder', async () => {
    const { posts } = serve(
      gets(() => business(), () => [indicator(), indicator({ id: '00000000-0000-4000-8000-0000000000e4', indicator: 'cash_only', recordedByMe: true, recordedBy: 'Casey Coordinator' })]),
      () => jsonResponse(200, indicator({ verifiedAt: '2026-11-21T00:00:00.000Z', verifiedBy: 'Casey Coordinator' })),
    );
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const evidence = await section('Evidence');
    expect(await within(evidence).findByRole('button', { name: 'Verify: Covered or blacked-out windows' })).toBeTruthy();
    expect(within(evidence).queryByRole('button', { name: 'Verify: Cash only' })).toBeNull();
    expect(within(evidence).getByText('Someone other than you verifies this evidence.')).toBeTruthy();
    fireEvent.click(within(evidence).getByRole('button', { name: 'Verify: Covered or blacked-out windows' }));
    expect(await within(evidence).findByText('Evidence verified: Covered or blacked-out windows.')).toBeTruthy();
    expect(posts[0]).toEqual({ url: `/api/business-indicators/00000000-0000-4000-8000-0000000000e3/verify`, body: { version: 1 } });
  });

  it('adds evidence with its indicator, note and date', async () => {
    const { posts } = serve(gets(() => business(), () => []), () => jsonResponse(201, indicator({ indicator: 'late_hours' })));
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const evidence = await section('Evidence');
    fireEvent.click(await within(evidence).findByRole('button', { name: 'Add evidence' }));
    expect(await within(evidence).findByText('Indicator is required.')).toBeTruthy();
    fireEvent.change(within(evidence).getByLabelText('Indicator'), { target: { value: 'late_hours' } });
    fireEvent.change(within(evidence).getByLabelText(/^What was seen/), { target: { value: 'Lights on and men arriving at 1 am.' } });
    fireEvent.change(within(evidence).getByLabelText('Date seen'), { target: { value: '2026-11-04' } });
    fireEvent.click(within(evidence).getByRole('button', { name: 'Add evidence' }));
    expect(await within(evidence).findByText('Evidence added: Open very late hours.')).toBeTruthy();
    expect(posts[0]).toEqual({ url: `/api/businesses/${BUSINESS_ID}/indicators`, body: { indicator: 'late_hours', note: 'Lights on and men arriving at 1 am.', observedOn: '2026-11-04' } });
  });

  it('moves the business after a confirmation that asks for the outcome, and shows an out-of-order refusal', async () => {
    let answer: Response = jsonResponse(409, { error: { code: 'out_of_order', message: 'A business at Landlord notified moves only to: landlord_responded.' } });
    const { posts } = serve(gets(() => business({ stage: 'landlord_notified', nextStages: ['landlord_responded'] })), () => answer);
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const pipeline = await section('Pipeline');
    expect(within(pipeline).getByRole('listitem', { current: 'step' }).textContent).toMatch(/Landlord notified/);
    fireEvent.click(within(pipeline).getByRole('button', { name: 'Move to Landlord responded' }));
    const dialog = await screen.findByRole('dialog', { name: 'Move to Landlord responded?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move to Landlord responded' }));
    expect(await within(dialog).findByText('Outcome is required.')).toBeTruthy();
    expect(posts).toEqual([]);
    fireEvent.change(within(dialog).getByLabelText('Outcome'), { target: { value: 'committed' } });
    fireEvent.change(within(dialog).getByLabelText(/^Note/), { target: { value: 'Owner will not renew.' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move to Landlord responded' }));
    expect(await within(dialog).findByText(/moves only to: landlord_responded/)).toBeTruthy();
    expect(posts[0]).toEqual({ url: `/api/businesses/${BUSINESS_ID}/stage`, body: { to: 'landlord_responded', outcome: 'committed', note: 'Owner will not renew.', version: 3 } });
    answer = jsonResponse(200, { id: BUSINESS_ID, stage: 'landlord_responded', outcome: 'committed', version: 4, nextStages: ['lease_action'] });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move to Landlord responded' }));
    expect(await within(pipeline).findByText('Moved to Landlord responded: Committed to remove.')).toBeTruthy();
  });

  it('clears a legitimate business with a reason, and shows the clearing as plainly as a flag', async () => {
    let current = business();
    const { posts } = serve(gets(() => current), () => {
      current = business({ stage: 'cleared', nextStages: [], cleared: { at: '2026-11-23T00:00:00.000Z', by: 'Casey Coordinator', reason: 'Licensed therapists confirmed on a site visit.' }, abilities: {} });
      return jsonResponse(200, { id: BUSINESS_ID, stage: 'cleared', outcome: null, version: 4, nextStages: [] });
    });
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const pipeline = await section('Pipeline');
    fireEvent.click(within(pipeline).getByRole('button', { name: 'Clear as legitimate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Clear Golden Lotus Spa as legitimate?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Clear as legitimate' }));
    expect(await within(dialog).findByText('Reason for clearing is required.')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText(/^Reason for clearing/), { target: { value: 'Licensed therapists confirmed on a site visit.' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Clear as legitimate' }));
    expect(await screen.findByRole('heading', { name: 'Cleared as legitimate', level: 2 })).toBeTruthy();
    expect(screen.getByText('Reason: Licensed therapists confirmed on a site visit.')).toBeTruthy();
    expect(posts[0]).toEqual({ url: `/api/businesses/${BUSINESS_ID}/clear`, body: { reason: 'Licensed therapists confirmed on a site visit.', version: 3 } });
  });

  it('adds a phone with its source to the business, the server’s error beside the value', async () => {
    let answer = jsonResponse(400, { error: { code: 'invalid', message: 'value: is not a valid phone number', field: 'value' } });
    const { posts } = serve(gets(() => business({ abilities: { 'business.read': true, 'business.update': true } })), () => answer);
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const facts = await section('Phones, websites, handles and former names');
    fireEvent.change(within(facts).getByLabelText('Value'), { target: { value: '12' } });
    fireEvent.change(within(facts).getByLabelText('Source'), { target: { value: 'Review site' } });
    fireEvent.click(within(facts).getByRole('button', { name: 'Add' }));
    expect(await within(facts).findByText('Value is not a valid phone number.')).toBeTruthy();
    answer = jsonResponse(201, business());
    fireEvent.change(within(facts).getByLabelText('Value'), { target: { value: '816-555-0199' } });
    fireEvent.click(within(facts).getByRole('button', { name: 'Add' }));
    expect(await within(facts).findByText(/^Added, and checked/)).toBeTruthy();
    expect(posts[1]).toEqual({ url: `/api/businesses/${BUSINESS_ID}/facts`, body: { kind: 'phone', value: '816-555-0199', source: 'Review site' } });
  });

  it('shows operators to those who may read them, and no pipeline buttons without the ability', async () => {
    serve(gets(() => business({ operators: [{ id: '00000000-0000-4000-8000-000000000201', kind: 'company', role: 'owner', name: 'Lotus Holdings LLC', source: 'Secretary of State', recordedAt: '2026-11-20T22:15:00.000Z' }], operatorCount: 1, abilities: { 'business.read': true } })));
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    expect(within(await section('Operators and owners')).getByText('Lotus Holdings LLC')).toBeTruthy();
    const pipeline = await section('Pipeline');
    expect(within(pipeline).queryByRole('button')).toBeNull();
    expect(within(await section('Evidence')).queryByRole('button', { name: 'Add evidence' })).toBeNull();
  });
});
