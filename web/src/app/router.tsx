import { useQuery, type QueryClient } from '@tanstack/react-query';
import {
  Outlet,
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
} from '@tanstack/react-router';
import { STAFF_HOME } from '../../../common/staff-paths.ts';
import { ApiError, authStepFor } from '../api/client.ts';
import { meQuery } from '../api/queries.ts';
import { Loading } from '../components/Loading.tsx';
import { validateAuditSearch } from '../features/audit/search.ts';
import { MfaChallengePage } from '../features/auth/MfaChallengePage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { validateSignInSearch, validateStepSearch } from '../features/auth/redirect.ts';
import { validateInboxSearch } from '../features/inbox/search.ts';
import { validateOperationsSearch } from '../features/operations/search.ts';
import { validateReferralsSearch } from '../features/referrals/search.ts';
import { validateTipQueueSearch } from '../features/tips/search.ts';
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
// Every page below loads on first visit (`lazyRouteComponent`): the first load is the sign-in steps and
// the shell only (DESIGN.md §7, `npm run bench -- web`). A page that draws charts or maps keeps its
// library in its own chunk: import it from the page, never from the shell or a shared module.
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
      const redirectTo = location.href === STAFF_HOME ? undefined : location.href;
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

const homeRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'home',
  component: lazyRouteComponent(() => import('../features/home/HomePage.tsx'), 'HomePage'),
});

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

// Operations, the field log, referrals and custody hand-offs (issue #3) ----------------------------
const operationPages = () => import('../features/operations/OperationsPage.tsx');
const operationsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations',
  validateSearch: validateOperationsSearch,
  component: lazyRouteComponent(operationPages, 'OperationsPage'),
});
const operationFormPages = () => import('../features/operations/OperationFormPage.tsx');
const operationNewRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations/new',
  component: lazyRouteComponent(operationFormPages, 'OperationNewPage'),
});
const operationEditRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations/$operationId/edit',
  component: lazyRouteComponent(operationFormPages, 'OperationEditPage'),
});
const operationRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations/$operationId',
  component: lazyRouteComponent(() => import('../features/operations/OperationPage.tsx'), 'OperationPage'),
});
const fieldLogRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations/$operationId/field',
  component: lazyRouteComponent(() => import('../features/operations/FieldLogPage.tsx'), 'FieldLogPage'),
});
const outcomeRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations/$operationId/outcome',
  component: lazyRouteComponent(() => import('../features/operations/OutcomePage.tsx'), 'OutcomePage'),
});
const contactRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'contacts/$contactId',
  component: lazyRouteComponent(() => import('../features/operations/ContactPage.tsx'), 'ContactPage'),
});

// Tips: the staff queue, a tip, and recording a phoned-in tip (issue #10) ------------------------------
const tipQueueRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'tip-queue',
  validateSearch: validateTipQueueSearch,
  component: lazyRouteComponent(() => import('../features/tips/TipQueuePage.tsx'), 'TipQueuePage'),
});
const tipNewRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'tip-queue/new',
  component: lazyRouteComponent(() => import('../features/tips/TipNewPage.tsx'), 'TipNewPage'),
});
const tipRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'tip-queue/$tipId',
  component: lazyRouteComponent(() => import('../features/tips/TipPage.tsx'), 'TipPage'),
});

// The business campaign (issue #11) --------------------------------------------------------------------
const businessesRoute = createRoute({ getParentRoute: () => appLayout, path: 'businesses', component: lazyRouteComponent(() => import('../features/businesses/BusinessesPage.tsx'), 'BusinessesPage') });
const businessNewRoute = createRoute({ getParentRoute: () => appLayout, path: 'businesses/new', component: lazyRouteComponent(() => import('../features/businesses/BusinessNewPage.tsx'), 'BusinessNewPage') });
const businessRoute = createRoute({ getParentRoute: () => appLayout, path: 'businesses/$businessId', component: lazyRouteComponent(() => import('../features/businesses/BusinessPage.tsx'), 'BusinessPage') });
const campaignDashboardRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'businesses/dashboard',
  component: lazyRouteComponent(() => import('../features/campaign/CampaignDashboardPage.tsx'), 'CampaignDashboardPage'),
});
const noticeLettersRoute = createRoute({ getParentRoute: () => appLayout, path: 'businesses/letters', component: lazyRouteComponent(() => import('../features/campaign/NoticeLettersPage.tsx'), 'NoticeLettersPage') });
const businessAlertsRoute = createRoute({ getParentRoute: () => appLayout, path: 'businesses/alerts', component: lazyRouteComponent(() => import('../features/campaign/AlertsPage.tsx'), 'AlertsPage') });
const landlordRoute = createRoute({ getParentRoute: () => appLayout, path: 'landlords/$landlordId', component: lazyRouteComponent(() => import('../features/campaign/LandlordPage.tsx'), 'LandlordPage') });

// The advocates' compartment (issue #12): its quarterly report.
const timsReportRoute = createRoute({ getParentRoute: () => appLayout, path: 'clients/report', component: lazyRouteComponent(() => import('../features/clients/TimsReportPage.tsx'), 'TimsReportPage') });

const referralPages = () => import('../features/referrals/ReferralPages.tsx');
const operationReferralsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations/$operationId/referrals',
  component: lazyRouteComponent(referralPages, 'OperationReferralsPage'),
});
const referralNewRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'contacts/$contactId/refer',
  component: lazyRouteComponent(referralPages, 'ReferralNewPage'),
});
const referralsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'referrals',
  validateSearch: validateReferralsSearch,
  component: lazyRouteComponent(referralPages, 'ReferralsPage'),
});
const referralRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'referrals/$referralId',
  component: lazyRouteComponent(referralPages, 'ReferralPage'),
});

const custodyPages = () => import('../features/custody/CustodyPages.tsx');
const operationCustodyRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations/$operationId/custody',
  component: lazyRouteComponent(custodyPages, 'OperationCustodyPage'),
});
const handOffNewRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'contacts/$contactId/custody',
  component: lazyRouteComponent(custodyPages, 'HandOffNewPage'),
});
const custodyListRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'custody',
  component: lazyRouteComponent(custodyPages, 'CustodyListPage'),
});
const custodyRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'custody/$handoffId',
  component: lazyRouteComponent(custodyPages, 'CustodyPage'),
});

// The advocates' compartment and what is shared under a client's release (issue #12) ------------------
const clientPages = () => import('../features/clients/ClientsPage.tsx');
const clientsRoute = createRoute({ getParentRoute: () => appLayout, path: 'clients', component: lazyRouteComponent(clientPages, 'ClientsPage') });
const clientRoute = createRoute({ getParentRoute: () => appLayout, path: 'clients/$clientId', component: lazyRouteComponent(() => import('../features/clients/ClientPage.tsx'), 'ClientPage') });
const sharedReleasePages = () => import('../features/shared-releases/SharedReleasesPages.tsx');
const sharedReleasesRoute = createRoute({ getParentRoute: () => appLayout, path: 'releases', component: lazyRouteComponent(sharedReleasePages, 'SharedReleasesPage') });
const sharedReleaseRoute = createRoute({ getParentRoute: () => appLayout, path: 'releases/$releaseId', component: lazyRouteComponent(sharedReleasePages, 'SharedReleasePage') });

// The identifier search (issues #10 and #12): records the searcher may see that share a value ---------
const searchRoute = createRoute({ getParentRoute: () => appLayout, path: 'search', component: lazyRouteComponent(() => import('../features/search/SearchPage.tsx'), 'SearchPage') });

// Disclosure: press releases, public statistics and the hotline (issue #4) --------------------------
const pressReleasePages = () => import('../features/press-releases/PressReleasesPage.tsx');
const pressReleasesRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'press-releases',
  component: lazyRouteComponent(pressReleasePages, 'PressReleasesPage'),
});
const pressReleaseRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'press-releases/$releaseId',
  component: lazyRouteComponent(() => import('../features/press-releases/PressReleasePage.tsx'), 'PressReleasePage'),
});
const operationPressReleasesRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'operations/$operationId/press-releases',
  component: lazyRouteComponent(() => import('../features/press-releases/OperationPressReleasesPage.tsx'), 'OperationPressReleasesPage'),
});
const statisticsReleasesRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'statistics/releases',
  component: lazyRouteComponent(() => import('../features/statistics/StatisticsReleasesPage.tsx'), 'StatisticsReleasesPage'),
});
const tipsImportRoute = createRoute({ getParentRoute: () => appLayout, path: 'tip-queue/import', component: lazyRouteComponent(() => import('../features/tips-import/TipsImportPage.tsx'), 'TipsImportPage') });
const settingsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'admin/settings',
  component: lazyRouteComponent(() => import('../features/settings/SettingsPage.tsx'), 'SettingsPage'),
});

const inboxRoute = createRoute({
  getParentRoute: () => appLayout,
  path: 'inbox',
  validateSearch: validateInboxSearch,
  component: lazyRouteComponent(() => import('../features/inbox/InboxPage.tsx'), 'InboxPage'),
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
    operationsRoute,
    operationNewRoute,
    operationEditRoute,
    operationRoute,
    fieldLogRoute,
    outcomeRoute,
    contactRoute,
    tipQueueRoute,
    tipNewRoute,
    tipRoute,
    operationReferralsRoute,
    referralNewRoute,
    referralsRoute,
    referralRoute,
    operationCustodyRoute,
    handOffNewRoute,
    custodyListRoute,
    custodyRoute,
    clientsRoute,
    clientRoute,
    sharedReleasesRoute,
    searchRoute,
    sharedReleaseRoute,
    inboxRoute,
    pressReleasesRoute,
    pressReleaseRoute,
    operationPressReleasesRoute,
    statisticsReleasesRoute,
    tipsImportRoute,
    businessesRoute,
    businessNewRoute,
    businessRoute,
    campaignDashboardRoute,
    noticeLettersRoute,
    businessAlertsRoute,
    landlordRoute,
    timsReportRoute,
    settingsRoute,
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
