import '../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { RouterProvider, createMemoryHistory, createRootRoute, createRouter } from '@tanstack/react-router';
import type { MeDto } from '../api/types.ts';
import { jsonResponse, renderWithQuery } from '../test/render.tsx';
import { navItems } from './nav.ts';
import { AppHeader } from './Shell.tsx';

function me(abilities: Record<string, boolean>, taskForces: MeDto['taskForces'] = [], roles: MeDto['user']['roles'] = ['admin']): MeDto {
  return {
    user: {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'ann@kcpd.example',
      displayName: 'Ann Officer',
      roles,
      platformAdmin: false,
      mustChangePassword: false,
    },
    agency: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Kansas City Police Department', kind: 'law_enforcement' },
    taskForces,
    session: { idleExpiresAt: '2026-11-25T16:00:00.000Z', absoluteExpiresAt: '2026-11-26T03:00:00.000Z' },
    abilities,
  };
}

const KC_TASK_FORCE = [{ id: '00000000-0000-4000-8000-0000000000f1', name: 'Kansas City Human Trafficking Task Force' }];

async function renderHeader(user: MeDto) {
  const rootRoute = createRootRoute({ component: () => <AppHeader me={user} /> });
  const router = createRouter({ routeTree: rootRoute, history: createMemoryHistory({ initialEntries: ['/home'] }) });
  renderWithQuery(<RouterProvider router={router} />);
  return screen.findByRole('navigation', { name: 'Primary' });
}

describe('navItems', () => {
  it('offers only Home, Inbox and Account without abilities or work roles', () => {
    expect(navItems(me({})).map((i) => i.key)).toEqual(['home', 'inbox', 'account']);
  });

  it('offers each section for its ability, and Task forces to members of one', () => {
    expect(navItems(me({ 'agency.create': true })).map((i) => i.key)).toEqual(['home', 'inbox', 'agencies', 'account']);
    expect(navItems(me({ 'taskForce.create': true })).map((i) => i.key)).toEqual(['home', 'inbox', 'taskForces', 'account']);
    expect(navItems(me({}, KC_TASK_FORCE)).map((i) => i.key)).toEqual(['home', 'inbox', 'taskForces', 'account']);
    expect(navItems(me({ 'user.read': true, 'audit.read': true })).map((i) => i.key)).toEqual(['home', 'inbox', 'users', 'audit', 'account']);
  });

  it('offers Settings (the hotline) for its ability (platform administrators), not for the flag', () => {
    expect(navItems(me({ 'agency.create': true, 'settings.update': true })).map((i) => i.key)).toEqual(['home', 'inbox', 'agencies', 'settings', 'account']);
    const admin = me({ 'agency.create': true });
    const flagged: MeDto = { ...admin, user: { ...admin.user, platformAdmin: true } };
    expect(navItems(flagged).map((i) => i.key)).toEqual(['home', 'inbox', 'agencies', 'account']);
  });

  it('treats an ability that is present but false as absent', () => {
    expect(navItems(me({ 'agency.create': false, 'user.read': false, 'audit.read': false })).map((i) => i.key)).toEqual(['home', 'inbox', 'account']);
  });

  it('offers the work sections for their abilities, whatever the roles say', () => {
    const keysFor = (abilities: Record<string, boolean>, roles: MeDto['user']['roles'] = ['admin']) => navItems(me(abilities, [], roles)).map((i) => i.key);
    expect(keysFor({ 'operation.read': true })).toEqual(['home', 'operations', 'inbox', 'account']);
    expect(keysFor({ 'operation.read': true, 'pressRelease.create': true })).toEqual(['home', 'operations', 'pressReleases', 'inbox', 'account']);
    expect(keysFor({ 'operation.read': true, 'pressRelease.create': true, 'statistics.publish': true })).toEqual(['home', 'operations', 'pressReleases', 'statistics', 'inbox', 'account']);
    expect(keysFor({ 'referral.respond': true })).toEqual(['home', 'referrals', 'inbox', 'account']);
    expect(keysFor({ 'custody.receive': true })).toEqual(['home', 'custody', 'inbox', 'account']);
    expect(keysFor({ 'settings.update': true })).toEqual(['home', 'inbox', 'settings', 'account']);
    // The advocates' compartment: its staff get Clients, and are not offered what is shared with others.
    expect(keysFor({ 'referral.respond': true, 'client.read': true, 'release.readShared': true })).toEqual(['home', 'referrals', 'clients', 'inbox', 'account']);
    expect(keysFor({ 'operation.read': true, 'release.readShared': true })).toEqual(['home', 'operations', 'sharedWithUs', 'inbox', 'account']);
    // The identifier search, for whoever works the index's records.
    expect(keysFor({ 'operation.read': true, 'tip.read': true, 'identifier.search': true })).toEqual(['home', 'operations', 'tipQueue', 'search', 'inbox', 'account']);
    // Roles alone open nothing: the server's abilities decide.
    for (const role of ['officer', 'coordinator', 'analyst', 'pio', 'advocate', 'caseworker'] as const) expect(keysFor({}, [role])).toEqual(['home', 'inbox', 'account']);
  });
});

const fetchMock = vi.fn<typeof fetch>();

describe('AppHeader', () => {
  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation(async () => jsonResponse(200, { items: [], unread: 0 }));
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows the number of unread notices beside Inbox', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { items: [], unread: 3 }));
    const nav = await renderHeader(me({ 'operation.read': true }, [], ['officer']));
    const inbox = within(nav).getByRole('link', { name: /Inbox/ });
    await waitFor(() => expect(inbox.textContent).toContain('3'));
    expect(inbox.textContent).toContain('3 unread notices');
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/inbox?unread=true');
    expect(within(nav).getByRole('link', { name: 'Operations' })).toBeTruthy();
  });

  it('hides the admin sections from a user without abilities', async () => {
    const nav = await renderHeader(me({ 'agency.read': true }));
    const links = within(nav).getAllByRole('link').map((a) => a.textContent);
    expect(links).toEqual(['Home', 'Inbox', 'Account']);
    expect(within(nav).queryByRole('link', { name: 'Users' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Audit log' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Agencies' })).toBeNull();
  });

  it("shows an administrator's sections, with who is signed in and their agency and task force", async () => {
    const nav = await renderHeader(
      me({ 'agency.create': true, 'taskForce.create': true, 'user.read': true, 'audit.read': true }, KC_TASK_FORCE),
    );
    const links = within(nav).getAllByRole('link').map((a) => a.textContent);
    expect(links).toEqual(['Home', 'Inbox', 'Agencies', 'Task forces', 'Users', 'Audit log', 'Account']);
    expect(within(nav).getByRole('link', { name: 'Home' }).getAttribute('aria-current')).toBe('page');
    expect(nav.textContent).toContain('Ann Officer');
    expect(nav.textContent).toContain('Kansas City Police Department');
    expect(nav.textContent).toContain('Kansas City Human Trafficking Task Force');
  });
});
