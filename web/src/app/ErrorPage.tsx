import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useQueryErrorResetBoundary } from '@tanstack/react-query';
import { Link, useRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { PageTitle } from '../components/PageTitle.tsx';

/** What a user sees when a page fails: calm words, a way to retry, and the id support will ask for. */
export function ErrorPage({ error, reset }: { error: unknown; reset?: () => void }) {
  const { t } = useTranslation();
  const forbidden = error instanceof ApiError && error.status === 403;
  const notFound = error instanceof ApiError && error.status === 404;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  const title = forbidden ? t('errors.forbiddenHeading') : notFound ? t('errors.notFoundHeading') : t('errors.pageTitle');
  return (
    <div className="usa-prose">
      <PageTitle title={title} />
      <p className="lantern-lead">
        {forbidden ? t('errors.forbiddenPage') : notFound ? t('errors.notFoundPage') : t('errors.pageLead')}
      </p>
      {requestId ? <p className="lantern-muted">{t('errors.requestId', { id: requestId })}</p> : null}
      <div className="lantern-actions">
        {reset && !forbidden && !notFound ? (
          <button type="button" className="usa-button" onClick={reset}>
            {t('errors.retry')}
          </button>
        ) : null}
        <Link to="/home" className="usa-button usa-button--outline">
          {t('notFound.home')}
        </Link>
      </div>
    </div>
  );
}

/** The router's error component: retry re-runs the route's loaders and failed queries. */
export function RouteErrorPage({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const queryReset = useQueryErrorResetBoundary();
  return (
    <ErrorPage
      error={error}
      reset={() => {
        queryReset.reset();
        reset();
        void router.invalidate();
      }}
    />
  );
}

interface BoundaryState {
  error: unknown;
}

/** Last line of defence outside the router (a failure while rendering the shell itself). */
export class AppErrorBoundary extends Component<{ children: ReactNode; fallback: (error: unknown) => ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: undefined };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Lantern: unexpected error', error, info.componentStack);
  }

  override render() {
    if (this.state.error !== undefined) return this.props.fallback(this.state.error);
    return this.props.children;
  }
}
