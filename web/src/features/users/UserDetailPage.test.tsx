import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Outlet, RouterProvider, createMemoryHistory, createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { keys } from '../../api/queries.ts';
import type { MeDto, UserDto } from '../../api/types.ts';
import { jsonResponse } from '../../test/render.tsx';
import { UserDetailPage } from './UserDetailPage.tsx';

const AGENCY = '00000000-0000-4000-8000-0000000000a1';
const ADMIN_ID = '00000000-0000-4000-8000-0000000000b1';
const OFFICER_ID = '00000000-0000-4000-8000-0000000000b2';

const ME: MeDto = {
  user: { id: ADMIN_ID, email: 'admin@demo.lantern.test', displayName: 'Avery Admin', roles: ['admin'], platformAdmin: false, mustChangePassword: false },
  agency: { id: AGENCY, name: 'Oak Grove Police Department', kind: 'law_enforcement' },
  taskForces: [],
  session: { idleExpiresAt: '2030-01-01T00:00:00.000Z', absoluteExpiresAt: '2030-01-01T00:00:00.000Z' },
  abilities: { 'user.create': true },
};

function account(id: string, over: Partial<UserDto> = {}): UserDto {
  return {
    id,
    email: `${id}@demo.lantern.test`,
    displayName: id === ADMIN_ID ? 'Avery Admin' : 'Olive Officer',
    agencyId: AGENCY,
    agencyName: 'Oak Grove Police Department',
    roles: id === ADMIN_ID ? ['admin'] : ['officer'],
    platformAdmin: false,
    phone: null,
    mfaEnrolled: true,
    locked: false,
    disabled: false,
    lastLoginAt: null,
    createdAt: '2020-10-01T00:00:00.000Z',
    ...over,
  };
}

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

async function renderPage(user: UserDto) {
  fetchMock.mockImplementation(async (input) => (String(input) === `/api/users/${user.id}` ? jsonResponse(200, user) : jsonResponse(404, { error: { code: 'not_found', message: 'no mock' } })));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  queryClient.setQueryData(keys.me, ME);
  const rootRoute = createRootRoute({ component: Outlet });
  const app = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: Outlet });
  const page = createRoute({ getParentRoute: () => app, path: 'admin/users/$userId', component: UserDetailPage });
  const router = createRouter({ routeTree: rootRoute.addChildren([app.addChildren([page])]), history: createMemoryHistory({ initialEntries: [`/admin/users/${user.id}`] }) });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  await screen.findByRole('heading', { level: 1, name: user.displayName });
}

describe('the role editor', () => {
  it('is offered when the abilities allow changing the roles', async () => {
    await renderPage(account(OFFICER_ID, { abilities: { 'user.read': true, 'user.update': true, 'user.changeRoles': true } }));
    expect(screen.getByRole('group', { name: 'Roles' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: /Officer/ })).toBeTruthy();
  });

  it("is not shown on one's own account, which the abilities refuse, and says who changes them", async () => {
    await renderPage(account(ADMIN_ID, { abilities: { 'user.read': true, 'user.update': true, 'user.changeRoles': false } }));
    expect(screen.getByLabelText('Full name')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Roles' })).toBeNull();
    expect(screen.queryAllByRole('checkbox')).toEqual([]);
    expect(screen.getByText('You cannot change your own roles: another administrator must do it.')).toBeTruthy();
  });
});
