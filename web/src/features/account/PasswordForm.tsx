import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../../../common/limits.ts';
import { account } from '../../api/endpoints.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PasswordField } from '../../components/Field.tsx';
import { hasErrors, splitServerError, useErrorFocus, type FieldErrors } from '../../components/forms.ts';
import { checkPasswordChange, type PasswordChange } from './password-rules.ts';

type Field = keyof PasswordChange;

interface PasswordFormProps {
  onChanged?: () => void;
  /** For tests and callers that change passwords some other way. */
  changePassword?: (input: { currentPassword: string; newPassword: string }) => Promise<unknown>;
}

const FIELDS: Field[] = ['currentPassword', 'newPassword', 'confirmPassword'];
const EMPTY: PasswordChange = { currentPassword: '', newPassword: '', confirmPassword: '' };

/** Change password: current, new, confirm. Length is checked here; the blocklist by the server. */
export function PasswordForm({ onChanged, changePassword = account.changePassword }: PasswordFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState<PasswordChange>(EMPTY);
  const [clientErrors, setClientErrors] = useState<FieldErrors<Field>>({});
  const [done, setDone] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const labels: Record<Field, string> = {
    currentPassword: t('password.current'),
    newPassword: t('password.new'),
    confirmPassword: t('password.confirm'),
  };

  const change = useMutation({
    mutationFn: () => changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword }),
    onSuccess: () => {
      setValues(EMPTY);
      setDone(true);
      onChanged?.();
    },
    onError: () => focusFirstError(),
  });

  const server = splitServerError(change.error, labels);
  const errors: FieldErrors<Field> = { ...server.fields, ...clientErrors };

  const set = (field: Field) => (event: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: event.target.value }));
    setDone(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.reset();
    setDone(false);
    const problems = checkPasswordChange(values);
    const next: FieldErrors<Field> = {};
    for (const field of FIELDS) {
      const problem = problems[field];
      if (problem === 'required') next[field] = t(`password.required.${field}`);
      else if (problem) next[field] = t(`password.problems.${problem}`, { min: PASSWORD_MIN, max: PASSWORD_MAX });
    }
    setClientErrors(next);
    if (hasErrors(next)) {
      focusFirstError();
      return;
    }
    change.mutate();
  };

  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit} aria-labelledby="password-heading">
      {done ? (
        <Alert type="success" slim>
          {t('password.changed')}
        </Alert>
      ) : null}
      {server.form ? <ErrorAlert error={server.form} /> : null}
      <PasswordField
        id="current-password"
        name="currentPassword"
        label={labels.currentPassword}
        autoComplete="current-password"
        value={values.currentPassword}
        onChange={set('currentPassword')}
        error={errors.currentPassword}
      />
      <PasswordField
        id="new-password"
        name="newPassword"
        label={labels.newPassword}
        hint={t('password.hint', { min: PASSWORD_MIN, max: PASSWORD_MAX })}
        autoComplete="new-password"
        value={values.newPassword}
        onChange={set('newPassword')}
        error={errors.newPassword}
      />
      <PasswordField
        id="confirm-password"
        name="confirmPassword"
        label={labels.confirmPassword}
        autoComplete="new-password"
        value={values.confirmPassword}
        onChange={set('confirmPassword')}
        error={errors.confirmPassword}
      />
      <button type="submit" className="usa-button" disabled={change.isPending}>
        {change.isPending ? t('password.submitting') : t('password.submit')}
      </button>
    </form>
  );
}
