import '../../test/setup.ts';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { RouterProvider, createMemoryHistory, createRootRoute, createRouter } from '@tanstack/react-router';
import type { ConflictDto, OperationDto } from '../../api/types.ts';
import { renderWithQuery } from '../../test/render.tsx';
import { ConflictsPanel } from './OperationPage.tsx';

const conflict = (over: Omit<Partial<ConflictDto>, 'other'> & { other?: Partial<ConflictDto['other']> }): ConflictDto => ({
  id: over.id ?? '00000000-0000-4000-8000-000000000001',
  kind: 'place',
  status: 'open',
  detectedAt: '2026-06-01T12:00:00.000Z',
  mine: { type: 'location', label: 'Motel on S Broadway St' },
  blocking: true,
  resolution: null,
  resolvedAt: null,
  ...over,
  other: { agencyName: 'Kansas City Missouri Police Department', commanderName: 'Lt. Reyes', commanderPhone: '(816) 555-0177', sameAgency: false, operationId: null, operationName: null, ...over.other },
});

async function renderPanel(conflicts: ConflictDto[]) {
  const op = { id: '00000000-0000-4000-8000-0000000000c1', status: 'approved', conflicts, abilities: { 'operation.resolveConflict': true } } as unknown as OperationDto;
  const rootRoute = createRootRoute({ component: () => <ConflictsPanel op={op} onResolve={() => undefined} /> });
  const router = createRouter({ routeTree: rootRoute, history: createMemoryHistory({ initialEntries: ['/'] }) });
  renderWithQuery(<RouterProvider router={router} />);
  await screen.findByRole('heading', { name: 'Deconfliction' });
}

describe('the conflict cards (issue #9)', () => {
  it("names the agency's own operation as its own, and another agency's by agency only", async () => {
    await renderPanel([
      conflict({ id: '00000000-0000-4000-8000-000000000001', other: { agencyName: 'Oak Grove Police Department', commanderName: 'Sgt. Vale', sameAgency: true, operationId: '00000000-0000-4000-8000-0000000000c2', operationName: 'Operation Nightjar' } }),
      conflict({ id: '00000000-0000-4000-8000-000000000002' }),
    ]);
    const [own, theirs] = screen.getAllByRole('listitem');
    expect(within(own!).getByText("Your agency's operation")).toBeTruthy();
    expect(within(own!).getByRole('link', { name: 'Operation Nightjar' })).toBeTruthy();
    expect(within(own!).getByText('(lead: Oak Grove Police Department)')).toBeTruthy();
    expect(within(own!).queryByText('Other agency')).toBeNull();
    expect(within(theirs!).getByText('Other agency')).toBeTruthy();
    expect(within(theirs!).getByText('Kansas City Missouri Police Department')).toBeTruthy();
    expect(within(theirs!).queryByRole('link', { name: /Operation/ })).toBeNull();
  });

  it("tells an officer who may not see the agency's other operation only that there is one, without its name or a link", async () => {
    await renderPanel([conflict({ other: { agencyName: 'Oak Grove Police Department', commanderName: 'Sgt. Vale', sameAgency: true, operationId: null, operationName: null } })]);
    const [own] = screen.getAllByRole('listitem');
    expect(within(own!).getByText("Your agency's operation")).toBeTruthy();
    expect(within(own!).getByText('Another operation of Oak Grove Police Department, not one you are assigned to')).toBeTruthy();
    expect(within(own!).queryByText('Other agency')).toBeNull();
    expect(within(own!).queryByRole('link', { name: /Operation/ })).toBeNull();
  });

  it('marks a conflict with a closed or past operation as for information, and keeps past conflicts with their notes', async () => {
    await renderPanel([
      conflict({ id: '00000000-0000-4000-8000-000000000003', kind: 'subject', blocking: false, mine: { type: 'subject', label: 'phone: (816) 555-0101' } }),
      conflict({ id: '00000000-0000-4000-8000-000000000004', status: 'cleared', blocking: false, resolution: 'Spoke with Lt. Reyes; they go at 22:00.', resolvedAt: '2026-06-01T13:00:00.000Z' }),
    ]);
    expect(screen.getByText('For information')).toBeTruthy();
    expect(screen.getByText(/this does not stop yours/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: '1 past conflict' })).toBeTruthy();
    expect(screen.getByText('Spoke with Lt. Reyes; they go at 22:00.')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /^Resolve/ })).toHaveLength(1);
  });
});
