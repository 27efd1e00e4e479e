import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { authStepFor } from '../../api/client.ts';
import { auth } from '../../api/endpoints.ts';
import { keys } from '../../api/queries.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { splitServerError, useErrorFocus } from '../../components/forms.ts';

const route = getRouteApi('/public/sign-in/mfa');

/** Six digits from an authenticator app, spaces and dashes ignored. */
export function normaliseTotp(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** The second step of sign-in: a code from the authenticator app, or one recovery code. */
export function MfaChallengePage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'totp' | 'recovery'>('totp');
  const [code, setCode] = useState('');
  const [clientError, setClientError] = useState<string>();
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const verify = useMutation({
    mutationFn: (value: string) => auth.mfa(value),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: keys.me });
      router.history.push(search.redirect ?? '/home');
    },
    onError: (error) => {
      setCode('');
      if (authStepFor(error) === 'enrol') {
        void navigate({ to: '/sign-in/enrol', search: search.redirect ? { redirect: search.redirect } : {} });
        return;
      }
      focusFirstError();
    },
  });

  const label = mode === 'totp' ? t('mfa.codeLabel') : t('mfa.recoveryLabel');
  const server = splitServerError(verify.error, { code: label });
  const error = clientError ?? server.fields.code;
  const timedOut = authStepFor(verify.error) === 'sign-in';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    verify.reset();
    const value = mode === 'totp' ? normaliseTotp(code) : code.trim();
    const problem =
      mode === 'totp'
        ? /^\d{6}$/.test(value)
          ? undefined
          : t('mfa.codeInvalid')
        : value.length >= 6
          ? undefined
          : t('mfa.recoveryInvalid');
    setClientError(problem);
    if (problem) {
      focusFirstError();
      return;
    }
    verify.mutate(value);
  };

  const switchMode = () => {
    setMode((m) => (m === 'totp' ? 'recovery' : 'totp'));
    setCode('');
    setClientError(undefined);
    verify.reset();
  };

  return (
    <div className="lantern-signin">
      <PageTitle title={t('mfa.title')} lead={mode === 'totp' ? t('mfa.lead') : t('mfa.recoveryLead')} />
      <form ref={ref} className="usa-form usa-form--large lantern-otp" noValidate onSubmit={submit}>
        {timedOut ? (
          <Alert type="error" heading={t('mfa.timedOutHeading')}>
            <p className="usa-alert__text">
              {t('mfa.timedOut')}{' '}
              <Link to="/sign-in" search={search.redirect ? { redirect: search.redirect } : {}} className="usa-link">
                {t('mfa.startAgain')}
              </Link>
            </p>
          </Alert>
        ) : server.form ? (
          <ErrorAlert error={server.form} />
        ) : null}
        {mode === 'totp' ? (
          <TextField
            key="totp"
            id="code"
            label={label}
            hint={t('mfa.codeHint')}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={7}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={error}
          />
        ) : (
          <TextField
            key="recovery"
            id="code"
            label={label}
            hint={t('mfa.recoveryHint')}
            name="code"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={32}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={error}
          />
        )}
        <button type="submit" className="usa-button" disabled={verify.isPending}>
          {verify.isPending ? t('mfa.verifying') : t('mfa.verify')}
        </button>
      </form>
      <p>
        <button type="button" className="usa-button usa-button--unstyled" onClick={switchMode}>
          {mode === 'totp' ? t('mfa.useRecovery') : t('mfa.useApp')}
        </button>
      </p>
      <p className="usa-hint">{t('mfa.lostDevice')}</p>
    </div>
  );
}
