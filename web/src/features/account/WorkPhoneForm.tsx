import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PHONE_MAX } from '../../../../common/limits.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { workPhone, workPhoneKey, workPhoneQuery } from './work-phone.ts';

/**
 * The person's own work phone: plans fill the commander's number from it, and referrals and custody
 * hand-offs the officer's callback number. The server decides whether it can be dialed.
 */
export function WorkPhoneForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = useQuery(workPhoneQuery);
  const [value, setValue] = useState<string>();
  const [saved, setSaved] = useState<'saved' | 'cleared'>();
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  useEffect(() => {
    if (current.data && value === undefined) setValue(current.data.phone ?? '');
  }, [current.data, value]);

  const save = useMutation({
    mutationFn: (phone: string | null) => workPhone.save(phone),
    onSuccess: (data) => {
      queryClient.setQueryData(workPhoneKey, data);
      setValue(data.phone ?? '');
      setSaved(data.phone ? 'saved' : 'cleared');
    },
    onError: () => focusFirstError(),
  });
  const label = t('account.workPhone');
  const placed = placeServerError(save.error, (path) => (path === 'phone' ? label : undefined));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    save.mutate(value?.trim() ? value.trim() : null);
  };

  if (current.isError) return <LoadError error={current.error} />;
  if (value === undefined) return <Loading label={t('account.workPhoneLoading')} />;
  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit}>
      {saved ? (
        <Alert type="success" slim>
          {t(saved === 'saved' ? 'account.workPhoneSaved' : 'account.workPhoneCleared')}
        </Alert>
      ) : null}
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TextField
        id="work-phone"
        name="phone"
        label={label}
        hint={t('account.workPhoneHint')}
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        maxLength={PHONE_MAX}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setSaved(undefined);
        }}
        error={placed.fields.phone}
      />
      <button type="submit" className="usa-button" disabled={save.isPending}>
        {save.isPending ? t('account.workPhoneSaving') : t('account.workPhoneSave')}
      </button>
    </form>
  );
}
