/** Query keys and options, so pages and route loaders share one cache entry per resource. */
import { queryOptions } from '@tanstack/react-query';
import { account, agencies, auth, contacts, custody, inbox, jurisdiction, operations, pressReleases, referrals, settings, statistics, taskForces, users, type OperationFilter } from './endpoints.ts';
import type { ReferralQuery } from './types.ts';

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
  operationsAll: ['operations'] as const,
  operations: (filter: OperationFilter) => ['operations', 'list', filter] as const,
  /** One operation; its field log and outcome live under the same prefix and refresh with it. */
  operation: (id: string) => ['operations', 'detail', id] as const,
  liveContacts: (operationId: string) => ['operations', 'detail', operationId, 'contacts'] as const,
  outcome: (operationId: string) => ['operations', 'detail', operationId, 'outcome'] as const,
  contact: (id: string) => ['contacts', id] as const,
  contactsAll: ['contacts'] as const,
  referralsAll: ['referrals'] as const,
  referrals: (query: ReferralQuery) => ['referrals', 'list', query] as const,
  referral: (id: string) => ['referrals', 'detail', id] as const,
  custodyAll: ['custody'] as const,
  custodyList: (query: { operationId?: string }) => ['custody', 'list', query] as const,
  custody: (id: string) => ['custody', 'detail', id] as const,
  inbox: (unreadOnly: boolean) => ['inbox', unreadOnly] as const,
  inboxAll: ['inbox'] as const,
  pressReleasesAll: ['press-releases'] as const,
  pressReleaseLists: ['press-releases', 'list'] as const,
  pressReleases: (query: { operationId?: string; awaitingMyApproval?: 'true' }) => ['press-releases', 'list', query] as const,
  pressRelease: (id: string) => ['press-releases', 'detail', id] as const,
  hotline: ['settings', 'hotline'] as const,
  statisticsReleases: ['statistics', 'releases'] as const,
  statisticsActiveJobs: ['statistics', 'jobs', 'active'] as const,
  statisticsJob: (id: string) => ['statistics', 'jobs', 'detail', id] as const,
  jurisdiction: ['jurisdiction'] as const,
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

export const operationsQuery = (filter: OperationFilter) =>
  queryOptions({
    queryKey: keys.operations(filter),
    queryFn: ({ signal }) => operations.list(filter, signal),
    placeholderData: (previous) => previous,
  });

export const operationQuery = (id: string) =>
  queryOptions({
    queryKey: keys.operation(id),
    queryFn: ({ signal }) => operations.get(id, signal),
  });

export const outcomeQuery = (operationId: string) =>
  queryOptions({
    queryKey: keys.outcome(operationId),
    queryFn: ({ signal }) => operations.outcome(operationId, signal),
  });

export const contactQuery = (id: string) =>
  queryOptions({
    queryKey: keys.contact(id),
    queryFn: ({ signal }) => contacts.get(id, signal),
  });

export const referralsQuery = (query: ReferralQuery) =>
  queryOptions({
    queryKey: keys.referrals(query),
    queryFn: ({ signal }) => referrals.list(query, signal),
  });

export const referralQuery = (id: string) =>
  queryOptions({
    queryKey: keys.referral(id),
    queryFn: ({ signal }) => referrals.get(id, signal),
  });

export const custodyListQuery = (query: { operationId?: string }) =>
  queryOptions({
    queryKey: keys.custodyList(query),
    queryFn: ({ signal }) => custody.list(query, signal),
  });

export const custodyQuery = (id: string) =>
  queryOptions({
    queryKey: keys.custody(id),
    queryFn: ({ signal }) => custody.get(id, signal),
  });

/** Notices: refreshed every minute so the header's unread count stays current. */
export const inboxQuery = (unreadOnly: boolean) =>
  queryOptions({
    queryKey: keys.inbox(unreadOnly),
    queryFn: ({ signal }) => inbox.list(unreadOnly, signal),
    refetchInterval: 60_000,
    staleTime: 15_000,
  });

export const pressReleasesQuery = (query: { operationId?: string; awaitingMyApproval?: 'true' }) =>
  queryOptions({
    queryKey: keys.pressReleases(query),
    queryFn: ({ signal }) => pressReleases.list(query, signal),
  });

export const pressReleaseQuery = (id: string) =>
  queryOptions({
    queryKey: keys.pressRelease(id),
    queryFn: ({ signal }) => pressReleases.get(id, signal),
  });

export const hotlineQuery = queryOptions({
  queryKey: keys.hotline,
  queryFn: ({ signal }) => settings.hotline(signal),
});

export const statisticsReleasesQuery = queryOptions({
  queryKey: keys.statisticsReleases,
  queryFn: ({ signal }) => statistics.releases(signal),
});

/** How often a running statistics job is asked for its progress (the server writes it every 250 ms at most). */
export const STATISTICS_JOB_POLL_MS = 1000;

export const statisticsActiveJobsQuery = queryOptions({
  queryKey: keys.statisticsActiveJobs,
  queryFn: ({ signal }) => statistics.activeJobs(signal),
});

/** A statistics job, asked again every second while it runs. */
export const statisticsJobQuery = (id: string) =>
  queryOptions({
    queryKey: keys.statisticsJob(id),
    queryFn: ({ signal }) => statistics.job(id, signal),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? STATISTICS_JOB_POLL_MS : false),
  });

/** Fixed while the server runs (LANTERN_STATE): fetched once per page load. */
export const jurisdictionQuery = queryOptions({
  queryKey: keys.jurisdiction,
  queryFn: ({ signal }) => jurisdiction.get(signal),
  staleTime: Number.POSITIVE_INFINITY,
  gcTime: Number.POSITIVE_INFINITY,
});
