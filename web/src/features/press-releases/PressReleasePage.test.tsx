import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Outlet, RouterProvider, createMemoryHistory, createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { keys } from '../../api/queries.ts';
import type { GuardProblemDto, MeDto, PressReleaseDto } from '../../api/types.ts';
import { jsonResponse } from '../../test/render.tsx';
import { PressReleasePage } from './PressReleasePage.tsx';

const RELEASE_ID = '00000000-0000-4000-8000-0000000000e1';
const OPERATION_ID = '00000000-0000-4000-8000-0000000000c1';
const LEAD_AGENCY = '00000000-0000-4000-8000-0000000000a1';
const TASK_FORCE = '00000000-0000-4000-8000-0000000000f1';

const BODY_EN = 'OAK GROVE, Mo. — Officers contacted five adults.\n\nAnn Lee was arrested.';

function release(over: Partial<PressReleaseDto> = {}): PressReleaseDto {
  return {
    id: RELEASE_ID,
    operationId: OPERATION_ID,
    operationName: 'Operation Harvest Moon',
    status: 'draft',
    slug: null,
    en: { title: 'Human trafficking operation in Oak Grove', body: BODY_EN, quote: null },
    es: { title: 'Operativo contra la trata en Oak Grove', body: 'OAK GROVE, Mo. — Cinco adultos.', quote: null },
    quoteBy: null,
    investigationHold: true,
    approvals: [],
    problems: [],
    corrections: [],
    publishedAt: null,
    version: 3,
    createdAt: '2020-10-24T14:00:00.000Z',
    updatedAt: '2020-10-24T14:10:00.000Z',
    abilities: { 'pressRelease.read': true, 'pressRelease.update': true, 'pressRelease.approve': true, 'pressRelease.approveAsCoordinator': true, 'pressRelease.approveAsPio': false, 'pressRelease.publish': false, 'pressRelease.correct': false },
    ...over,
  };
}

const ME: MeDto = {
  user: { id: '00000000-0000-4000-8000-0000000000b1', email: 'coordinator@demo.lantern.test', displayName: 'Casey Coordinator', roles: ['coordinator'], platformAdmin: false, mustChangePassword: false },
  agency: { id: LEAD_AGENCY, name: 'Oak Grove Police Department', kind: 'law_enforcement' },
  taskForces: [{ id: TASK_FORCE, name: 'Jackson County Task Force' }],
  session: { idleExpiresAt: '2030-01-01T00:00:00.000Z', absoluteExpiresAt: '2030-01-01T00:00:00.000Z' },
  abilities: {},
};

const OPERATION = { id: OPERATION_ID, name: 'Operation Harvest Moon', status: 'closed', leadAgency: { id: LEAD_AGENCY, name: 'Oak Grove Police Department' }, taskForce: { id: TASK_FORCE, name: 'Jackson County Task Force' }, abilities: {} };

const leak: GuardProblemDto = { code: 'identifying', message: 'contains a name recorded for this operation', excerpt: 'Ann Lee', field: 'bodyEn', start: BODY_EN.indexOf('Ann Lee'), end: BODY_EN.indexOf('Ann Lee') + 7 };

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

/** Answers GET of the release from `current()`, the operation, and POSTs from `onPost`. */
function serve(current: () => PressReleaseDto, onPost: (url: string, body: unknown) => Response) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = String(input);
    if (init?.method === 'POST' || init?.method === 'PATCH') return onPost(url, JSON.parse(String(init.body)));
    if (url === `/api/press-releases/${RELEASE_ID}`) return jsonResponse(200, current());
    if (url === `/api/operations/${OPERATION_ID}`) return jsonResponse(200, OPERATION);
    return jsonResponse(404, { error: { code: 'not_found', message: `no mock for ${url}` } });
  });
}

async function renderPage() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  queryClient.setQueryData(keys.me, ME);
  const rootRoute = createRootRoute({ component: Outlet });
  const app = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: Outlet });
  const page = createRoute({ getParentRoute: () => app, path: 'press-releases/$releaseId', component: PressReleasePage });
  const router = createRouter({ routeTree: rootRoute.addChildren([app.addChildren([page])]), history: createMemoryHistory({ initialEntries: [`/press-releases/${RELEASE_ID}`] }) });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  await screen.findByRole('heading', { level: 1, name: 'Press release: Operation Harvest Moon' });
}

const posts = () => fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([url, init]) => [String(url), JSON.parse(String(init!.body))]);

describe('approving a press release', () => {
  it('shows the refusal with the problems, and marks the words beside their field', async () => {
    let stored = release();
    serve(
      () => stored,
      (url) => {
        if (url.endsWith('/approve')) {
          // Someone's edit slipped a name in: the server's guards refuse, and the record now shows it.
          stored = release({ problems: [leak], version: 4 });
          return jsonResponse(422, { error: { code: 'guard_failed', message: 'The release cannot be approved: 1 problem(s).', field: 'bodyEn', details: [leak] } });
        }
        return jsonResponse(500, {});
      },
    );
    await renderPage();
    expect(screen.getByText('Under investigation hold: counts and agency names only')).toBeTruthy();

    const approve = await screen.findByRole('button', { name: 'Approve as lead agency coordinator' });
    expect(screen.queryByRole('button', { name: 'Approve as public-information officer' })).toBeNull();
    fireEvent.click(approve);

    const refusal = await screen.findByRole('alert');
    expect(within(refusal).getByRole('heading', { name: 'Approval refused: the guards found 1 problem' })).toBeTruthy();
    const link = within(refusal).getByRole('link', { name: 'Names a person recorded for this operation: “Ann Lee”' });
    expect(link.getAttribute('href')).toBe('#findings-bodyEn');
    expect(posts()).toEqual([[`/api/press-releases/${RELEASE_ID}/approve`, { as: 'coordinator' }]]);

    // The record, fetched again, has the finding: beside Body (English), with the words marked.
    const field = await screen.findByLabelText('Body (English)');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(field.getAttribute('aria-describedby')).toContain('findings-bodyEn');
    const findings = document.getElementById('findings-bodyEn')!;
    expect(findings.querySelector('mark')!.textContent).toBe('Ann Lee');
    expect(within(findings).getByText(/Body \(English\) contains a name recorded for this operation\./)).toBeTruthy();
    // …and the summary at the top links straight to it.
    const summary = screen.getByRole('heading', { name: 'The guards found 1 problem' }).closest('.usa-alert')!;
    expect(within(summary as HTMLElement).getByRole('link', { name: /Ann Lee/ }).getAttribute('href')).toBe('#finding-bodyEn-0');
    expect(document.getElementById('finding-bodyEn-0')).toBeTruthy();
  });

  it('records the approval when the guards find nothing, and asks to save edits first', async () => {
    let stored = release();
    serve(
      () => stored,
      () => {
        stored = release({ approvals: [{ kind: 'coordinator', userName: 'Casey Coordinator', approvedAt: '2020-10-24T14:45:00.000Z', current: true }], abilities: { ...release().abilities, 'pressRelease.approve': false, 'pressRelease.approveAsCoordinator': false } });
        return jsonResponse(200, stored);
      },
    );
    await renderPage();
    fireEvent.change(screen.getByLabelText('Title (English)'), { target: { value: 'A new title' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Approve as lead agency coordinator' }));
    expect(await screen.findByText('Save or discard your changes first: an approval applies to the saved text.')).toBeTruthy();
    expect(posts()).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    fireEvent.click(screen.getByRole('button', { name: 'Approve as lead agency coordinator' }));
    expect(await screen.findByText('Your approval is recorded.')).toBeTruthy();
    expect(screen.getByText(/Approved by Casey Coordinator/)).toBeTruthy();
    expect(screen.getByText("Waiting for a public-information officer's approval.")).toBeTruthy();
  });
});

describe('publishing a press release', () => {
  it('shows a refusal for a figure the statistics withhold, and marks it beside its field', async () => {
    const five = BODY_EN.indexOf('five');
    const statistics: GuardProblemDto = {
      code: 'statistics',
      message: 'gives a figure that, with the statistics already published, would reveal a withheld count (persons: suspect, county 29095, 2020:Q4)',
      excerpt: 'five',
      field: 'bodyEn',
      start: five,
      end: five + 4,
    };
    const approvals: PressReleaseDto['approvals'] = [
      { kind: 'pio', userName: 'Pat PIO', approvedAt: '2020-10-24T14:40:00.000Z', current: true },
      { kind: 'coordinator', userName: 'Casey Coordinator', approvedAt: '2020-10-24T14:45:00.000Z', current: true },
    ];
    const abilities = { ...release().abilities, 'pressRelease.approve': false, 'pressRelease.approveAsCoordinator': false, 'pressRelease.publish': true };
    let stored = release({ approvals, abilities });
    serve(
      () => stored,
      (url) => {
        if (url.endsWith('/publish')) {
          // A statistics release came out after the approvals: the figure would now give a hidden count away.
          stored = release({ approvals, abilities, problems: [statistics] });
          return jsonResponse(422, { error: { code: 'guard_failed', message: 'The release cannot be approved: 1 problem(s).', field: 'bodyEn', details: [statistics] } });
        }
        return jsonResponse(500, {});
      },
    );
    await renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Publish' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publish' }));

    const refusal = await screen.findByRole('alert');
    expect(within(refusal).getByRole('heading', { name: 'Publishing refused: the guards found 1 problem' })).toBeTruthy();
    expect(within(refusal).getByRole('link', { name: 'Would reveal a withheld statistic: “five”' }).getAttribute('href')).toBe('#findings-bodyEn');
    expect(posts()).toEqual([[`/api/press-releases/${RELEASE_ID}/publish`, {}]]);

    const field = await screen.findByLabelText('Body (English)');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    const findings = document.getElementById('findings-bodyEn')!;
    expect(findings.querySelector('mark')!.textContent).toBe('five');
    expect(within(findings).getByText(/Body \(English\) gives a figure that, with the statistics already published, would reveal a withheld count/)).toBeTruthy();
  });
});

describe('saving a draft', () => {
  it('sends only what changed with the version, and offers a reload when someone saved first', async () => {
    let stored = release();
    const patches: unknown[] = [];
    serve(
      () => stored,
      (_url, body) => {
        patches.push(body);
        stored = release({ version: 4, en: { ...release().en, title: 'Their newer title' } });
        return jsonResponse(409, { error: { code: 'conflict', message: 'version: someone else changed this release since you opened it; reload', field: 'version' } });
      },
    );
    await renderPage();
    fireEvent.change(screen.getByLabelText(/^Quote \(Spanish\)/), { target: { value: 'Gracias a todos' } });
    fireEvent.change(screen.getByLabelText('Title (English)'), { target: { value: 'My title' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save text' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Someone else changed this release' })).toBeTruthy();
    expect(patches).toEqual([{ titleEn: 'My title', quoteEs: 'Gracias a todos', version: 3 }]);

    fireEvent.click(within(alert).getByRole('button', { name: 'Reload the release' }));
    await waitFor(() => expect((screen.getByLabelText('Title (English)') as HTMLTextAreaElement).value).toBe('Their newer title'));
    expect(screen.queryByRole('heading', { name: 'Someone else changed this release' })).toBeNull();
  });
});
