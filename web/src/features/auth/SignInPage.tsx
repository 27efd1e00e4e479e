import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { EMAIL_MAX } from '../../../../common/limits.ts';
import { ApiError } from '../../api/client.ts';
import { auth } from '../../api/endpoints.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PasswordField, TextField } from '../../components/Field.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { hasErrors, splitServerError, useErrorFocus, type FieldErrors } from '../../components/forms.ts';
import type { SignInSearch } from './redirect.ts';

type Field = 'email' | 'password';

interface SignInFormProps {
  search: SignInSearch;
  /** Called with the next step once the password is accepted. */
  onPasswordAccepted: (next: { enrolmentRequired: boolean }) => void;
}

/** Email and password. Server errors go beside the field they name, otherwise in an alert. */
export function SignInForm({ search, onPasswordAccepted }: SignInFormProps) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors<Field>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const labels: Record<Field, string> = { email: t('signIn.email'), password: t('signIn.password') };

  const login = useMutation({
    mutationFn: () => auth.login({ email: email.trim(), password }),
    onSuccess: (result) => onPasswordAccepted({ enrolmentRequired: result.enrolmentRequired }),
    onError: () => {
      setPassword('');
      focusFirstError();
    },
  });

  const server = splitServerError(login.error, labels);
  const errors: FieldErrors<Field> = { ...server.fields, ...clientErrors };
  const locked = login.error instanceof ApiError && (login.error.code === 'locked' || login.error.code === 'account_locked');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: FieldErrors<Field> = {};
    if (!email.trim()) next.email = t('signIn.emailRequired');
    if (!password) next.password = t('signIn.passwordRequired');
    setClientErrors(next);
    login.reset();
    if (hasErrors(next)) {
      focusFirstError();
      return;
    }
    login.mutate();
  };

  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit}>
      {search.reason === 'expired' ? (
        <Alert type="info" heading={t('signIn.expiredHeading')} headingLevel="h2" announce>
          {t('signIn.expired')}
        </Alert>
      ) : null}
      {search.reason === 'signedOut' ? (
        <Alert type="success" slim>
          {t('signIn.signedOut')}
        </Alert>
      ) : null}
      {server.form ? (
        <ErrorAlert error={server.form} heading={locked ? t('signIn.lockedHeading') : t('signIn.failedHeading')} />
      ) : null}
      <fieldset className="usa-fieldset">
        <TextField
          id="email"
          label={labels.email}
          type="email"
          name="email"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={EMAIL_MAX}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <PasswordField
          id="password"
          label={labels.password}
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <button type="submit" className="usa-button" disabled={login.isPending}>
          {login.isPending ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </fieldset>
      <p className="usa-hint">{t('signIn.forgot')}</p>
    </form>
  );
}

const route = getRouteApi('/public/sign-in');

/** Whether this Lantern is the demo, and where the public site is: fixed while the server runs. */
const demoStatusQuery = { queryKey: ['demo-status'], queryFn: ({ signal }: { signal: AbortSignal }) => auth.demo(signal), staleTime: Infinity };

/**
 * On a demo (the server says so: `lantern demo` loaded its task force, whose passwords are published),
 * a warning that nothing real belongs here. Nothing is shown until the server has answered.
 */
export function DemoNotice() {
  const { t } = useTranslation();
  const status = useQuery(demoStatusQuery);
  if (!status.data?.demo) return null;
  return (
    <Alert type="warning" heading={t('signIn.demoHeading')} headingLevel="h2">
      {t('signIn.demo')}
    </Alert>
  );
}

/** The way to the public site (news, statistics, reporting a tip), for a visitor who is not staff. */
export function PublicSiteLink() {
  const { t } = useTranslation();
  const status = useQuery(demoStatusQuery);
  if (!status.data) return null;
  return (
    <p>
      <a className="usa-link" href={status.data.publicSite}>
        {t('signIn.publicSite')}
      </a>
    </p>
  );
}

export function SignInPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  return (
    <div className="lantern-signin">
      <PageTitle title={t('signIn.title')} />
      <DemoNotice />
      <SignInForm
        search={search}
        onPasswordAccepted={({ enrolmentRequired }) =>
          void navigate({
            to: enrolmentRequired ? '/sign-in/enrol' : '/sign-in/mfa',
            search: search.redirect ? { redirect: search.redirect } : {},
          })
        }
      />
      <PublicSiteLink />
      <p className="lantern-system-use">{t('signIn.systemUse')}</p>
    </div>
  );
}
