/** Query keys and options, so pages and route loaders share one cache entry per resource. */
import { queryOptions } from '@tanstack/react-query';
import { account, agencies, auth, taskForces, users } from './endpoints.ts';

export const keys = {
  me: ['me'] as const,
  sessions: ['account', 'sessions'] as const,
  agencies: ['agencies'] as const,
  agency: (id: string) => ['agencies', 'detail', id] as const,
  taskForces: ['task-forces'] as const,
  taskForce: (id: string) => ['task-forces', 'detail', id] as const,
  users: (query: { agencyId?: string; q?: string }) => ['users', 'list', query] as const,
  usersAll: ['users'] as const,
  user: (id: string) => ['users', 'detail', id] as const,
  audit: (search: object) => ['audit', search] as const,
};

export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: ({ signal }) => auth.me(signal),
  staleTime: 60_000,
  retry: false,
});

export const sessionsQuery = queryOptions({
  queryKey: keys.sessions,
  queryFn: ({ signal }) => account.sessions(signal),
});

export const agenciesQuery = queryOptions({
  queryKey: keys.agencies,
  queryFn: ({ signal }) => agencies.list(signal),
});

export const agencyQuery = (id: string) =>
  queryOptions({
    queryKey: keys.agency(id),
    queryFn: ({ signal }) => agencies.get(id, signal),
  });

export const taskForceQuery = (id: string) =>
  queryOptions({
    queryKey: keys.taskForce(id),
    queryFn: ({ signal }) => taskForces.get(id, signal),
  });

export const taskForcesQuery = queryOptions({
  queryKey: keys.taskForces,
  queryFn: ({ signal }) => taskForces.list(signal),
});

export const usersQuery = (query: { agencyId?: string; q?: string }) =>
  queryOptions({
    queryKey: keys.users(query),
    queryFn: ({ signal }) => users.list(query, signal),
    placeholderData: (previous) => previous,
  });

export const userQuery = (id: string) =>
  queryOptions({
    queryKey: keys.user(id),
    queryFn: ({ signal }) => users.get(id, signal),
  });
