import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { authStepFor } from '../../api/client.ts';
import { auth } from '../../api/endpoints.ts';
import { keys } from '../../api/queries.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { RecoveryCodes } from '../../components/RecoveryCodes.tsx';
import { SecretValue } from '../../components/SecretValue.tsx';
import { splitServerError, useErrorFocus } from '../../components/forms.ts';
import { normaliseTotp } from './MfaChallengePage.tsx';

const route = getRouteApi('/public/sign-in/enrol');

/**
 * The server's QR code is an SVG string it generated itself; shown through an <img> with a data: URL
 * it cannot run script, and the page needs no inline markup or relaxed CSP.
 */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type from the screen. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** First sign-in: set up the authenticator app, confirm a code, then save the recovery codes. */
export function MfaEnrolPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [clientError, setClientError] = useState<string>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  // One enrolment secret per visit: the query de-duplicates the POST and never refetches it.
  const enrolment = useQuery({
    queryKey: ['mfa-enrolment'],
    queryFn: () => auth.startEnrolment(),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

  const finish = () => {
    queryClient.removeQueries({ queryKey: keys.me });
    router.history.push(search.redirect ?? '/home');
  };

  const confirm = useMutation({
    mutationFn: (value: string) => auth.mfa(value),
    onSuccess: (result) => {
      if (result.recoveryCodes && result.recoveryCodes.length > 0) setRecoveryCodes(result.recoveryCodes);
      else finish();
    },
    onError: () => {
      setCode('');
      focusFirstError();
    },
  });

  const label = t('enrol.codeLabel');
  const server = splitServerError(confirm.error, { code: label });
  const timedOut = authStepFor(enrolment.error ?? confirm.error) === 'sign-in';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.reset();
    const value = normaliseTotp(code);
    const problem = /^\d{6}$/.test(value) ? undefined : t('mfa.codeInvalid');
    setClientError(problem);
    if (problem) {
      focusFirstError();
      return;
    }
    confirm.mutate(value);
  };

  if (recoveryCodes) {
    return (
      <div>
        <PageTitle title={t('enrol.doneTitle')} lead={t('enrol.doneLead')} />
        <RecoveryCodes codes={recoveryCodes} continueLabel={t('enrol.continue')} onContinue={finish} />
      </div>
    );
  }

  return (
    <div>
      <PageTitle title={t('enrol.title')} lead={t('enrol.lead')} />
      {timedOut ? (
        <Alert type="error" heading={t('mfa.timedOutHeading')}>
          <p className="usa-alert__text">
            {t('mfa.timedOut')}{' '}
            <Link to="/sign-in" search={search.redirect ? { redirect: search.redirect } : {}} className="usa-link">
              {t('mfa.startAgain')}
            </Link>
          </p>
        </Alert>
      ) : enrolment.isPending ? (
        <Loading label={t('enrol.loading')} />
      ) : enrolment.isError ? (
        <LoadError error={enrolment.error} />
      ) : (
        <>
          <section className="lantern-section" aria-labelledby="enrol-step-1">
            <h2 id="enrol-step-1">{t('enrol.step1Heading')}</h2>
            <p>{t('enrol.step1')}</p>
          </section>
          <section className="lantern-section" aria-labelledby="enrol-step-2">
            <h2 id="enrol-step-2">{t('enrol.step2Heading')}</h2>
            <p>{t('enrol.step2')}</p>
            <img className="lantern-qr" src={svgDataUrl(enrolment.data.qrSvg)} alt={t('enrol.qrAlt')} width={240} height={240} />
            <h3>{t('enrol.manualHeading')}</h3>
            <p>{t('enrol.manual')}</p>
            <SecretValue value={groupSecret(enrolment.data.secret)} copyValue={enrolment.data.secret} />
          </section>
          <section className="lantern-section" aria-labelledby="enrol-step-3">
            <h2 id="enrol-step-3">{t('enrol.step3Heading')}</h2>
            <form ref={ref} className="usa-form lantern-otp" noValidate onSubmit={submit}>
              {server.form ? <ErrorAlert error={server.form} /> : null}
              <TextField
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
                error={clientError ?? server.fields.code}
              />
              <button type="submit" className="usa-button" disabled={confirm.isPending}>
                {confirm.isPending ? t('mfa.verifying') : t('enrol.submit')}
              </button>
            </form>
          </section>
        </>
      )}
    </div>
  );
}
