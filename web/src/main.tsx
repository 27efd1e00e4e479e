import './styles/index.scss';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { ApiError, setAuthErrorHandler } from './api/client.ts';
import { AppErrorBoundary } from './app/ErrorPage.tsx';
import { createAppRouter } from './app/router.tsx';
import { requestTitleFocus } from './components/PageTitle.tsx';
import { initI18n } from './i18n/index.ts';

const i18n = initI18n();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // 4xx answers are final; retry only what might be a blip.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const router = createAppRouter(queryClient);

// Screen-reader users hear where a navigation took them: the next page's h1 takes focus.
router.subscribe('onBeforeNavigate', (event) => {
  if (event.fromLocation && event.pathChanged) requestTitleFocus();
});

// A session that ended (idle, absolute limit, revoked) sends the user to sign in and back again.
setAuthErrorHandler((step, error) => {
  const location = router.state.location;
  if (location.pathname.startsWith('/sign-in')) return;
  const redirect = location.href === '/home' ? {} : { redirect: location.href };
  if (step === 'sign-in') {
    void router
      .navigate({ to: '/sign-in', search: { ...redirect, ...(error.code === 'session_expired' ? { reason: 'expired' as const } : {}) } })
      .then(() => queryClient.clear());
  } else {
    void router.navigate({ to: step === 'mfa' ? '/sign-in/mfa' : '/sign-in/enrol', search: redirect });
  }
});

function Fallback() {
  return (
    <main id="main-content" className="grid-container lantern-main">
      <h1>{i18n.t('errors.pageTitle')}</h1>
      <p>{i18n.t('errors.pageLead')}</p>
      <p>
        <a className="usa-button" href="/home">
          {i18n.t('notFound.home')}
        </a>
      </p>
    </main>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('Lantern: #root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <AppErrorBoundary fallback={() => <Fallback />}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </AppErrorBoundary>
  </StrictMode>,
);
