import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import type { TipDto } from './api.ts';
import { COLLEAGUE_ID, ME_ID, OTHER_AGENCY, TIP_ID, commonAnswer, renderTipPages, tip } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

/** Whom the server says the tip may be assigned to: the agency's tip workers (me among them). */
const ASSIGNEES = {
  assignees: [
    { id: COLLEAGUE_ID, name: 'Ann Analyst' },
    { id: ME_ID, name: 'Casey Coordinator' },
  ],
};

/** Serves the tip from `current()`, its assignees, and POSTs from `onPost` (recorded). */
function serve(current: () => TipDto, onPost: (url: string, body: unknown) => Response = () => jsonResponse(200, {})) {
  const posts: { url: string; body: unknown }[] = [];
  fetchMock.mockImplementation(async (input, init) => {
    const url = String(input);
    if (init?.method === 'POST') {
      const body = JSON.parse(String(init.body));
      posts.push({ url, body });
      return onPost(url, body);
    }
    const common = commonAnswer(url);
    if (common) return common;
    if (url === `/api/tips/${TIP_ID}`) return jsonResponse(200, current());
    if (url === `/api/tips/${TIP_ID}/assignees`) return jsonResponse(200, ASSIGNEES);
    return jsonResponse(404, { error: { code: 'not_found', message: `no mock for ${url}` } });
  });
  return posts;
}

const section = async (name: string) => (await screen.findByRole('heading', { name, level: 2 })).closest('section')!;

describe('the tip page', () => {
  it('shows the narrative, the tipster as "Tipster", routing, links and history in words', async () => {
    serve(() => tip({ immediateDanger: true, urgent: true, history: [
      { at: '2026-11-20T22:15:00.000Z', kind: 'received', by: null, detail: { source: 'web' } },
      { at: '2026-11-20T22:30:00.000Z', kind: 'assigned', by: 'Casey Coordinator', detail: { from: 'new', to: 'assigned', assignee: 'Ann Analyst' } },
    ] }));
    renderTipPages(`/tip-queue/${TIP_ID}`);
    expect(await screen.findByRole('heading', { name: 'Someone may be in danger now' })).toBeTruthy();
    expect(screen.getByText(/They say they owe a debt/)).toBeTruthy();
    const tipster = await section('The tipster');
    expect(within(tipster).getByText('Tipster')).toBeTruthy();
    expect(within(tipster).getByText(/gave no contact details/)).toBeTruthy();
    const links = await section('Records sharing identifiers');
    expect(within(links).getByRole('link', { name: 'Operation Harvest Moon' }).getAttribute('href')).toBe('/operations/00000000-0000-4000-8000-0000000000d1');
    expect(within(links).getByText('Weak')).toBeTruthy();
    expect(within(links).getByText('Open operation')).toBeTruthy();
    expect(within(links).getByText('Shares: Phone •••-•••-0142')).toBeTruthy();
    expect(within(links).getByText(/Weak: one identifier in common/)).toBeTruthy();
    const routing = await section('How it was routed');
    expect(within(routing).getByText(/ZIP 64075 is in Jackson County/)).toBeTruthy();
    const history = await section('History');
    expect(within(history).getByText('Assigned to Ann Analyst')).toBeTruthy();
    expect(within(history).getByText(/by Casey Coordinator/)).toBeTruthy();
    expect(within(history).getByText(/by Lantern/)).toBeTruthy();
  });

  it('opens a release shared with me, among the links, where its shared extract is read', async () => {
    const release = '00000000-0000-4000-8000-0000000000e1';
    serve(() => tip({ links: [{ recordType: 'release', recordId: release, label: 'Shared by Harbor Advocates (release)', shared: [{ kind: 'phone', hint: '•••-•••-0142' }], strength: 'weak', open: false }] }));
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const links = await section('Records sharing identifiers');
    expect(within(links).getByRole('link', { name: 'Shared by Harbor Advocates (release)' }).getAttribute('href')).toBe(`/releases/${release}`);
    expect(within(links).getByText('Shared with you under a release')).toBeTruthy();
    expect(within(links).getByText('Shares: Phone •••-•••-0142')).toBeTruthy();
  });

  it('shows contact details when they come back, and the safe way to reach the tipster', async () => {
    serve(() => tip({ tipster: { label: 'Maria R.', contact: { name: 'Maria R.', phone: '816-555-0199', safeMethod: 'text_message', safeTimes: 'weekdays after 6 pm' } } }));
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const tipster = await section('The tipster');
    expect(within(tipster).getByText('816-555-0199')).toBeTruthy();
    expect(within(tipster).getByText('Text message')).toBeTruthy();
    expect(within(tipster).queryByText(/gave no contact details/)).toBeNull();
  });

  it('offers only the actions the tip’s abilities allow', async () => {
    serve(() => tip({ abilities: { 'tip.read': true } }));
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const actions = await section('Work this tip');
    expect(within(actions).getByText('Your account may read this tip but not change it.')).toBeTruthy();
    expect(within(actions).queryByRole('button')).toBeNull();
    const conversation = await section('Conversation with the tipster');
    expect(within(conversation).queryByLabelText(/Ask the tipster a question/)).toBeNull();
  });

  it('a handler may triage and write to the tipster but not assign, reroute or share', async () => {
    serve(() => tip({ status: 'assigned', abilities: { 'tip.read': true, 'tip.triage': true, 'tip.message': true } }));
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const actions = await section('Work this tip');
    expect(within(actions).getByRole('heading', { name: 'Change its state' })).toBeTruthy();
    expect(within(actions).queryByRole('heading', { name: 'Assign' })).toBeNull();
    expect(within(actions).queryByRole('heading', { name: 'Reroute to another agency' })).toBeNull();
    expect(within(actions).queryByRole('heading', { name: 'Share with another agency' })).toBeNull();
    const next = within(actions).getByLabelText('New state') as HTMLSelectElement;
    expect([...next.options].map((o) => o.value)).toEqual(['', 'under_review', 'closed']);
  });

  it('assigns to me, and to a colleague chosen among the agency’s tip workers, with the tip’s version', async () => {
    let current = tip();
    const posts = serve(() => current, () => {
      current = tip({ status: 'assigned', version: 2, assignedTo: { id: COLLEAGUE_ID, name: 'Ann Analyst' } });
      return jsonResponse(200, current);
    });
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const actions = await section('Work this tip');
    const select = (await within(actions).findByLabelText('Colleague')) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['- Choose a colleague -', 'Ann Analyst']);
    fireEvent.click(within(actions).getByRole('button', { name: 'Assign to me' }));
    await waitFor(() => expect(posts).toEqual([{ url: `/api/tips/${TIP_ID}/assign`, body: { userId: ME_ID, version: 1 } }]));
    expect(await screen.findByText('Tip assigned to Casey Coordinator.')).toBeTruthy();
    fireEvent.change(within(actions).getByLabelText('Colleague'), { target: { value: COLLEAGUE_ID } });
    fireEvent.click(within(actions).getByRole('button', { name: 'Assign' }));
    await waitFor(() => expect(posts.at(-1)).toEqual({ url: `/api/tips/${TIP_ID}/assign`, body: { userId: COLLEAGUE_ID, version: 2 } }));
  });

  it('closing asks for a reason, then for confirmation, and sends both', async () => {
    const posts = serve(() => tip({ status: 'under_review', version: 4 }));
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const actions = await section('Work this tip');
    fireEvent.change(within(actions).getByLabelText('New state', { exact: false }), { target: { value: 'closed' } });
    fireEvent.click(within(actions).getByRole('button', { name: 'Change state' }));
    expect(within(actions).getByText('Choose why the tip is closed.')).toBeTruthy();
    expect(posts).toEqual([]);
    fireEvent.change(within(actions).getByLabelText('Reason for closing'), { target: { value: 'duplicate' } });
    fireEvent.click(within(actions).getByRole('button', { name: 'Change state' }));
    const dialog = await screen.findByRole('dialog', { name: 'Close this tip?' });
    expect(within(dialog).getByText(/Closing records the reason “Duplicate of another tip”/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close the tip' }));
    await waitFor(() => expect(posts).toEqual([{ url: `/api/tips/${TIP_ID}/status`, body: { status: 'closed', version: 4, reason: 'duplicate' } }]));
    expect(await screen.findByText('State changed to Closed.')).toBeTruthy();
  });

  it('shows a refusal beside the field the server names', async () => {
    serve(() => tip(), (url) =>
      url.endsWith('/reroute')
        ? jsonResponse(400, { error: { code: 'invalid', message: 'agencyId: must be an agency of the tip’s task force', field: 'agencyId' } })
        : jsonResponse(409, { error: { code: 'conflict', message: 'The tip changed: it is now Assigned.' } }),
    );
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const actions = await section('Work this tip');
    const reroute = within(actions).getByRole('heading', { name: 'Reroute to another agency' }).parentElement!;
    await waitFor(() => expect(within(reroute).getByRole('option', { name: 'Jackson County Sheriff' })).toBeTruthy());
    expect(within(reroute).queryByRole('option', { name: 'Oak Grove Police Department' })).toBeNull();
    fireEvent.click(within(reroute).getByRole('button', { name: 'Reroute' }));
    expect(within(reroute).getByText('Choose an agency.')).toBeTruthy();
    expect(within(reroute).getByText('Say why.')).toBeTruthy();
    fireEvent.change(within(reroute).getByLabelText('Agency'), { target: { value: OTHER_AGENCY } });
    fireEvent.change(within(reroute).getByLabelText(/^Reason/), { target: { value: 'The address is in the county' } });
    fireEvent.click(within(reroute).getByRole('button', { name: 'Reroute' }));
    expect(await within(reroute).findByText('Agency must be an agency of the tip’s task force.')).toBeTruthy();
    expect(within(reroute).getByLabelText('Agency').getAttribute('aria-invalid')).toBe('true');
    // A conflict belongs to no field: it shows above the form.
    fireEvent.click(within(actions).getByRole('button', { name: 'Assign to me' }));
    expect(await within(actions).findByText('The tip changed: it is now Assigned.')).toBeTruthy();
  });

  it('sends a question to the tipster and shows the conversation', async () => {
    const posts = serve(() =>
      tip({
        messages: [
          { id: 'm1', at: '2026-11-21T10:00:00.000Z', from: 'Ann Analyst', fromTipster: false, body: 'What colour is the van?', readAt: '2026-11-21T11:30:00.000Z' },
          { id: 'm3', at: '2026-11-21T13:00:00.000Z', from: 'Ann Analyst', fromTipster: false, body: 'Which nights?', readAt: null },
          { id: 'm2', at: '2026-11-21T12:00:00.000Z', from: 'Tipster', fromTipster: true, body: 'White, with a ladder.' },
        ],
      }),
    );
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const conversation = await section('Conversation with the tipster');
    expect(within(conversation).getByText('White, with a ladder.')).toBeTruthy();
    expect(within(conversation).getAllByText('Ann Analyst')).toHaveLength(2);
    expect(within(conversation).getByText(/^Read by the tipster Nov 21, 2026/)).toBeTruthy();
    expect(within(conversation).getByText('Not read by the tipster yet')).toBeTruthy();
    fireEvent.click(within(conversation).getByRole('button', { name: 'Send the question' }));
    expect(within(conversation).getByText('Ask the tipster a question is required.')).toBeTruthy();
    fireEvent.change(within(conversation).getByLabelText(/Ask the tipster a question/), { target: { value: 'Which nights?' } });
    fireEvent.click(within(conversation).getByRole('button', { name: 'Send the question' }));
    await waitFor(() => expect(posts).toEqual([{ url: `/api/tips/${TIP_ID}/messages`, body: { body: 'Which nights?' } }]));
    expect(await screen.findByText(/Question sent/)).toBeTruthy();
  });

  it('shares with another agency of the task force, with a reason', async () => {
    const posts = serve(() => tip());
    renderTipPages(`/tip-queue/${TIP_ID}`);
    const actions = await section('Work this tip');
    const share = within(actions).getByRole('heading', { name: 'Share with another agency' }).parentElement!;
    await waitFor(() => expect(within(share).getByRole('option', { name: 'Jackson County Sheriff' })).toBeTruthy());
    fireEvent.change(within(share).getByLabelText('Agency'), { target: { value: OTHER_AGENCY } });
    fireEvent.change(within(share).getByLabelText(/^Reason/), { target: { value: 'Their deputies patrol Main Street' } });
    fireEvent.click(within(share).getByRole('button', { name: 'Share' }));
    await waitFor(() => expect(posts).toEqual([{ url: `/api/tips/${TIP_ID}/share`, body: { agencyId: OTHER_AGENCY, reason: 'Their deputies patrol Main Street' } }]));
    expect(await screen.findByText('Tip shared with Jackson County Sheriff.')).toBeTruthy();
  });

  it('after a reroute out of the reader’s agency, goes back to the queue and says where the tip went', async () => {
    const posts = serve(() => tip(), () => jsonResponse(200, { id: TIP_ID, agency: { id: OTHER_AGENCY, name: 'Jackson County Sheriff' }, status: 'new', version: 2, routing: {}, readable: false }));
    const { router } = renderTipPages(`/tip-queue/${TIP_ID}`);
    const actions = await section('Work this tip');
    const reroute = within(actions).getByRole('heading', { name: 'Reroute to another agency' }).parentElement!;
    await waitFor(() => expect(within(reroute).getByRole('option', { name: 'Jackson County Sheriff' })).toBeTruthy());
    fireEvent.change(within(reroute).getByLabelText('Agency'), { target: { value: OTHER_AGENCY } });
    fireEvent.change(within(reroute).getByLabelText(/^Reason/), { target: { value: 'The address is in their county' } });
    fireEvent.click(within(reroute).getByRole('button', { name: 'Reroute' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/tip-queue'));
    expect(posts).toEqual([{ url: `/api/tips/${TIP_ID}/reroute`, body: { agencyId: OTHER_AGENCY, reason: 'The address is in their county', version: 1 } }]);
    expect(await screen.findByText('Tip rerouted to Jackson County Sheriff.')).toBeTruthy();
  });
});
