import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { Alert } from './Alert.tsx';

/** The words to show for an error: the server's own message, or ours for errors without one. */
export function useErrorMessage() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.fromServer && error.message) return error.message;
      switch (error.code) {
        case 'network':
          return t('errors.network');
        case 'forbidden':
          return t('errors.forbidden');
        case 'not_found':
          return t('errors.notFound');
        case 'rate_limited':
          return t('errors.rateLimited');
        case 'too_large':
          return t('errors.tooLarge');
        case 'unauthenticated':
          return t('errors.unauthenticated');
        default:
          return t('errors.server');
      }
    }
    return t('errors.unexpected');
  };
}

interface ErrorAlertProps {
  error: unknown;
  heading?: string;
  slim?: boolean;
}

/**
 * An error alert above a form or in place of a page's content. It can take focus (after a failed
 * submit) and shows the request id the server gave, which is what support will ask for.
 */
export function ErrorAlert({ error, heading, slim }: ErrorAlertProps) {
  const { t } = useTranslation();
  const message = useErrorMessage()(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div tabIndex={-1} data-form-error className="lantern-focusable">
      <Alert type="error" heading={heading} slim={slim ?? !heading}>
        <p className="usa-alert__text">
          {message}
          {requestId ? (
            <>
              {' '}
              <span className="lantern-muted">{t('errors.requestId', { id: requestId })}</span>
            </>
          ) : null}
        </p>
      </Alert>
    </div>
  );
}

/** A failed load: "not found" and "not allowed" read differently from "try again". */
export function LoadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const status = error instanceof ApiError ? error.status : undefined;
  const heading =
    status === 404 ? t('errors.notFoundHeading') : status === 403 ? t('errors.forbiddenHeading') : t('errors.loadHeading');
  return <ErrorAlert error={error} heading={heading} />;
}
