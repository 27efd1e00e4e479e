import { useQuery, type QueryClient } from '@tanstack/react-query';
import {
  Outlet,
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
} from '@tanstack/react-router';
import { ApiError, authStepFor } from '../api/client.ts';
import { meQuery } from '../api/queries.ts';
import { Loading } from '../components/Loading.tsx';
import { validateAuditSearch } from '../features/audit/search.ts';
import { MfaChallengePage } from '../features/auth/MfaChallengePage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { validateSignInSearch, validateStepSearch } from '../features/auth/redirect.ts';
import { HomePage } from '../features/home/HomePage.tsx';
import { RouteErrorPage } from './ErrorPage.tsx';
import { useMe } from './me.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import { AppHeader, PublicHeader, Shell } from './Shell.tsx';

export interface RouterContext {
  queryClient: QueryClient;
}

/** Signed-in pages get the full header; everything else (sign-in, not found) the plain one. */
function RootLayout() {
  return <Outlet />;
}

function PublicLayout() {
  return (
    <Shell header={<PublicHeader />}>
      <Outlet />
    </Shell>
  );
}

function AppLayout() {
  const me = useMe();
  return (
    <Shell header={<AppHeader me={me} />}>
      <Outlet />
    </Shell>
  );
}

/** An unknown address: signed-in users keep their navigation, everyone else gets the plain header. */
function FramedNotFound() {
  const me = useQuery(meQuery);
  return (
    <Shell header={me.data ? <AppHeader me={me.data} /> : <PublicHeader />}>
      <NotFoundPage />
    </Shell>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: FramedNotFound,
});

// Sign-in steps ------------------------------------------------------------------------------------
const publicLayout = createRoute({ getParentRoute: () => rootRoute, id: 'public', component: PublicLayout });

const signInRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: 'sign-in',
  validateSearch: validateSignInSearch,
  component: SignInPage,
});

const mfaRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: 'sign-in/mfa',
  validateSearch: validateStepSearch,
  component: MfaChallengePage,
});

const enrolRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: 'sign-in/enrol',
  validateSearch: validateStepSearch,
  component: lazyRouteComponent(() => import('../features/auth/MfaEnrolPage.tsx'), 'MfaEnrolPage'),
});

// Signed-in pages ----------------------------------------------------------------------------------
const STEP_PATH = { 'sign-in': '/sign-in', mfa: '/sign-in/mfa', enrol: '/sign-in/enrol' } as const;

/**
 * Every signed-in page first needs `GET /api/me`. Not signed in → sign-in (or the MFA step the
 * server asks for), remembering where the user was going. A temporary password → Account first.
 */
const appLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: AppLayout,
  beforeLoad: async ({ context, location }) => {
    let me;
    try {
      me = await context.queryClient.ensureQueryData({ ...meQuery, revalidateIfStale: true });
    } catch (error) {
      const step = authStepFor(error);
      if (!step) throw error;
      const redirectTo = location.href === '/' ? undefined : location.href;
      throw redirect({
        to: STEP_PATH[step],
        search: {
          ...(redirectTo ? { redirect: redirectTo } : {}),
          ...(error instanceof ApiError && error.code === 'session_expired' ? { reason: 'expired' as const } : {}),
        },
      });
    }
    if (me.user.mustChangePassword && location.pathname !== '/account') throw redirect({ to: '/account' });
  },
});

const homeRoute = createRoute({ getParentRoute: () => appLayout, path: '/', component: HomePage });

const accountRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'account',
  component: lazyRouteComponent(() => import('../features/account/AccountPage.tsx'), 'AccountPage'),
});

const agenciesPages = () => import('../features/agencies/AgenciesPage.tsx');
const agenciesRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/agencies',
  component: lazyRouteComponent(agenciesPages, 'AgenciesPage'),
});
const agencyNewRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/agencies/new',
  component: lazyRouteComponent(agenciesPages, 'AgencyNewPage'),
});
const agencyEditRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/agencies/$agencyId',
  component: lazyRouteComponent(agenciesPages, 'AgencyEditPage'),
});

const taskForcePages = () => import('../features/task-forces/TaskForcesPage.tsx');
const taskForcesRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/task-forces',
  component: lazyRouteComponent(taskForcePages, 'TaskForcesPage'),
});
const taskForceNewRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/task-forces/new',
  component: lazyRouteComponent(taskForcePages, 'TaskForceNewPage'),
});
const taskForceDetailRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/task-forces/$taskForceId',
  component: lazyRouteComponent(taskForcePages, 'TaskForceDetailPage'),
});

const usersRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/users',
  validateSearch: (search: Record<string, unknown>): { q?: string; agencyId?: string } => ({
    ...(typeof search.q === 'string' && search.q.trim() ? { q: search.q.trim().slice(0, 100) } : {}),
    ...(typeof search.agencyId === 'string' && search.agencyId ? { agencyId: search.agencyId } : {}),
  }),
  component: lazyRouteComponent(() => import('../features/users/UsersPage.tsx'), 'UsersPage'),
});
const userNewRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/users/new',
  component: lazyRouteComponent(() => import('../features/users/UserNewPage.tsx'), 'UserNewPage'),
});
const userDetailRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/users/$userId',
  component: lazyRouteComponent(() => import('../features/users/UserDetailPage.tsx'), 'UserDetailPage'),
});

const auditRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/audit',
  validateSearch: validateAuditSearch,
  component: lazyRouteComponent(() => import('../features/audit/AuditPage.tsx'), 'AuditPage'),
});

export const routeTree = rootRoute.addChildren([
  publicLayout.addChildren([signInRoute, mfaRoute, enrolRoute]),
  appLayout.addChildren([
    homeRoute,
    accountRoute,
    agenciesRoute,
    agencyNewRoute,
    agencyEditRoute,
    taskForcesRoute,
    taskForceNewRoute,
    taskForceDetailRoute,
    usersRoute,
    userNewRoute,
    userDetailRoute,
    auditRoute,
  ]),
]);

function PendingPage() {
  return <Loading />;
}

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Data lives in React Query; the router only decides what to render.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PendingPage,
    defaultPendingMs: 300,
    defaultErrorComponent: RouteErrorPage,
    defaultNotFoundComponent: NotFoundPage,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
