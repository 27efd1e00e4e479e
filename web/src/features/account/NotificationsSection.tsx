import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { NotificationPreferencesDto } from '../../../../common/schemas/notifications.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Checkbox, Fieldset, Radio } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { notificationPreferences, notificationPreferencesKey } from './notification-preferences.ts';

type Choices = Pick<NotificationPreferencesDto, 'email' | 'delivery'>;
const GROUPS = ['deconfliction', 'pressReleases', 'account'] as const;

/**
 * Which notices also come by email, and whether at once or in one email a day. Emails never say what
 * a notice is about; custody deadline emails cannot be turned off.
 */
export function NotificationsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const prefs = useQuery({ queryKey: notificationPreferencesKey, queryFn: ({ signal }) => notificationPreferences.get(signal) });
  const [values, setValues] = useState<Choices>();
  const [saved, setSaved] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  useEffect(() => {
    if (prefs.data && !values) setValues({ email: prefs.data.email, delivery: prefs.data.delivery });
  }, [prefs.data, values]);

  const save = useMutation({
    mutationFn: (choices: Choices) =>
      notificationPreferences.save({
        email: { deconfliction: choices.email.deconfliction, pressReleases: choices.email.pressReleases, account: choices.email.account },
        delivery: choices.delivery,
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(notificationPreferencesKey, data);
      setValues({ email: data.email, delivery: data.delivery });
      setSaved(true);
    },
    onError: () => focusFirstError(),
  });

  const placed = placeServerError(save.error, (path) =>
    path.startsWith('email') ? t('account.notifications.emailLegend') : path === 'delivery' ? t('account.notifications.deliveryLegend') : undefined,
  );
  const emailError = Object.entries(placed.fields).find(([p]) => p.startsWith('email'))?.[1];
  const deliveryError = placed.fields.delivery;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    setSaved(false);
    save.mutate(values);
  };
  const toggle = (group: (typeof GROUPS)[number]) => (event: { target: { checked: boolean } }) => {
    setSaved(false);
    setValues((v) => (v ? { ...v, email: { ...v.email, [group]: event.target.checked } } : v));
  };
  const choose = (delivery: Choices['delivery']) => () => {
    setSaved(false);
    setValues((v) => (v ? { ...v, delivery } : v));
  };

  return (
    <section className="lantern-section" id="notifications" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">{t('account.notifications.heading')}</h2>
      <p>{t('account.notifications.lead')}</p>
      {prefs.isPending || (prefs.data && !values) ? (
        <Loading label={t('account.notifications.loading')} />
      ) : prefs.isError ? (
        <LoadError error={prefs.error} />
      ) : values && prefs.data ? (
        <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit} aria-labelledby="notifications-heading">
          {prefs.data.emailConfigured ? (
            <p className="usa-hint">{t('account.notifications.address', { address: prefs.data.address })}</p>
          ) : (
            <Alert type="info" slim>
              {t('account.notifications.notConfigured')}
            </Alert>
          )}
          {saved ? (
            <Alert type="success" slim>
              {t('account.notifications.saved')}
            </Alert>
          ) : null}
          {placed.form ? <ErrorAlert error={placed.form} /> : null}
          <Fieldset id="notifications-email" legend={t('account.notifications.emailLegend')} hint={t('account.notifications.emailHint')} error={emailError}>
            <Checkbox
              id="notify-custody"
              checked
              disabled
              aria-describedby="notify-custody-always"
              label={t('account.notifications.groups.custody')}
              description={<span id="notify-custody-always">{t('account.notifications.custodyAlways')}</span>}
            />
            {GROUPS.map((group) => (
              <Checkbox
                key={group}
                id={`notify-${group}`}
                checked={values.email[group]}
                onChange={toggle(group)}
                label={t(`account.notifications.groups.${group}`)}
                description={t(`account.notifications.groupHints.${group}`)}
              />
            ))}
          </Fieldset>
          <Fieldset id="notifications-delivery" legend={t('account.notifications.deliveryLegend')} error={deliveryError}>
            <Radio
              id="delivery-immediate"
              name="delivery"
              checked={values.delivery === 'immediate'}
              onChange={choose('immediate')}
              label={t('account.notifications.immediate')}
              description={t('account.notifications.immediateHint')}
            />
            <Radio
              id="delivery-digest"
              name="delivery"
              checked={values.delivery === 'digest'}
              onChange={choose('digest')}
              label={t('account.notifications.digest')}
              description={t('account.notifications.digestHint')}
            />
          </Fieldset>
          <button type="submit" className="usa-button" disabled={save.isPending}>
            {save.isPending ? t('account.notifications.saving') : t('account.notifications.save')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
