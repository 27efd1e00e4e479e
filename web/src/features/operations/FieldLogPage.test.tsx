import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { RouterProvider, createMemoryHistory, createRootRoute, createRouter } from '@tanstack/react-router';
import type { OperationDto } from '../../api/types.ts';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import { Recorder } from './FieldLogPage.tsx';
import { mergeContacts } from './live-contacts.ts';

const OP = { id: '00000000-0000-4000-8000-0000000000c1', startsAt: '2020-10-23T23:00:00.000Z', status: 'active', abilities: { 'operation.recordContact': true } } as unknown as OperationDto;

function recorded(clientRef: string) {
  return {
    id: '00000000-0000-4000-8000-0000000000d1',
    operationId: OP.id,
    personNumber: 7,
    label: 'Person 7',
    restricted: false,
    sealed: false,
    role: 'witness',
    suspectType: null,
    sex: 'female',
    ageBand: '50_plus',
    estimatedAge: null,
    disposition: 'released',
    charges: [],
    name: null,
    aliases: [],
    screening: null,
    services: [],
    referralCount: 0,
    custodyHandoffId: null,
    recordedBy: { userId: '00000000-0000-4000-8000-0000000000e1', name: 'Ann Officer', agencyName: 'Oak Grove PD' },
    recordedAt: '2020-10-23T23:10:00.000Z',
    updatedAt: '2020-10-23T23:10:00.000Z',
    version: 1,
    dob: null,
    phones: [],
    operationStatus: 'active',
    abilities: {},
    clientRef,
  };
}

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

async function renderRecorder() {
  const rootRoute = createRootRoute({ component: () => <Recorder op={OP} /> });
  const router = createRouter({ routeTree: rootRoute, history: createMemoryHistory({ initialEntries: ['/'] }) });
  renderWithQuery(<RouterProvider router={router} />);
  await screen.findByRole('heading', { name: 'Record a person' });
}

function fillWitness() {
  const tap = (group: string, label: string) => fireEvent.click(within(screen.getByRole('group', { name: group })).getByLabelText(label));
  tap('Role', 'Witness');
  tap('Sex', 'Female');
  tap('Age band', '50 and over');
  tap('Disposition', 'Released');
  fireEvent.click(screen.getByRole('button', { name: 'Record person' }));
}

const sentRefs = () => fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([, init]) => JSON.parse(String(init!.body)).clientRef as string);

describe('recording a contact', () => {
  it('keeps the entry and its clientRef after a network error, so the retry is recorded once', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await renderRecorder();
    fillWitness();
    expect(await screen.findByText('Not recorded yet')).toBeTruthy();
    // The form still holds the entry: send it again.
    fetchMock.mockImplementationOnce(async (_url, init) => jsonResponse(201, recorded(JSON.parse(String(init!.body)).clientRef)));
    fireEvent.click(screen.getByRole('button', { name: 'Record person' }));
    expect(await screen.findByText('Recorded: Person 7 — Witness — Released')).toBeTruthy();
    const [first, retry] = sentRefs();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry).toBe(first);
    expect(String(fetchMock.mock.calls[0]![0])).toBe(`/api/operations/${OP.id}/contacts`);
  });

  it('gives the next person a new clientRef and clears the form', async () => {
    fetchMock.mockImplementation(async (_url, init) => jsonResponse(201, recorded(JSON.parse(String(init!.body)).clientRef)));
    await renderRecorder();
    fillWitness();
    await screen.findByText('Recorded: Person 7 — Witness — Released');
    await waitFor(() => expect((within(screen.getByRole('group', { name: 'Role' })).getByLabelText('Witness') as HTMLInputElement).checked).toBe(false));
    fillWitness();
    await waitFor(() => expect(sentRefs()).toHaveLength(2));
    const [a, b] = sentRefs();
    expect(a).not.toBe(b);
  });
});

describe('the live list', () => {
  it('merges rows by id, keeping the higher version, newest person first', () => {
    const row = (n: number, version: number, disposition: string | null) => ({ ...recorded(''), id: `id-${n}`, personNumber: n, version, disposition }) as never;
    const merged = mergeContacts([row(1, 1, null), row(2, 1, null)], [row(1, 2, 'released'), row(3, 1, null), row(2, 1, 'stale')]);
    expect(merged.map((c) => c.personNumber)).toEqual([3, 2, 1]);
    expect(merged.find((c) => c.personNumber === 1)!.disposition).toBe('released');
  });
});
