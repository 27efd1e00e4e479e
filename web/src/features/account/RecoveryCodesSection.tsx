import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { account } from '../../api/endpoints.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { RecoveryCodes } from '../../components/RecoveryCodes.tsx';
import { splitServerError, useErrorFocus } from '../../components/forms.ts';
import { normaliseTotp } from '../auth/MfaChallengePage.tsx';

/** New recovery codes replace all old ones; the current authenticator code proves it is you. */
export function RecoveryCodesSection() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [clientError, setClientError] = useState<string>();
  const [codes, setCodes] = useState<string[]>();
  const [done, setDone] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const regenerate = useMutation({
    mutationFn: (value: string) => account.regenerateRecoveryCodes(value),
    onSuccess: (result) => {
      setCode('');
      setCodes(result.recoveryCodes);
    },
    onError: () => {
      setCode('');
      focusFirstError();
    },
  });

  const label = t('recoveryCodes.codeLabel');
  const server = splitServerError(regenerate.error, { code: label });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    regenerate.reset();
    setDone(false);
    const value = normaliseTotp(code);
    const problem = /^\d{6}$/.test(value) ? undefined : t('mfa.codeInvalid');
    setClientError(problem);
    if (problem) {
      focusFirstError();
      return;
    }
    regenerate.mutate(value);
  };

  if (codes) {
    return (
      <div className="lantern-section">
        <RecoveryCodes
          codes={codes}
          continueLabel={t('recoveryCodes.done')}
          onContinue={() => {
            setCodes(undefined);
            setDone(true);
          }}
        />
      </div>
    );
  }

  return (
    <section className="lantern-section" aria-labelledby="recovery-heading">
      <>
          <h2 id="recovery-heading">{t('recoveryCodes.regenerateHeading')}</h2>
          <p>{t('recoveryCodes.regenerateLead')}</p>
          {done ? (
            <Alert type="success" slim>
              {t('recoveryCodes.regenerated')}
            </Alert>
          ) : null}
          <form ref={ref} className="usa-form lantern-otp" noValidate onSubmit={submit}>
            {server.form ? <ErrorAlert error={server.form} /> : null}
            <TextField
              id="recovery-totp"
              label={label}
              hint={t('mfa.codeHint')}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]*"
              maxLength={7}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={clientError ?? server.fields.code}
            />
            <button type="submit" className="usa-button usa-button--outline" disabled={regenerate.isPending}>
              {regenerate.isPending ? t('common.working') : t('recoveryCodes.regenerate')}
            </button>
          </form>
      </>
    </section>
  );
}
