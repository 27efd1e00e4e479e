import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SERVICES, type Service } from '../../../../common/operations.ts';
import { SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import type { ReferContactInput } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Checkbox, Fieldset, Radio, TextField, TextareaField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { Part2Notice, isPart2 } from './Part2Notice.tsx';

type Field = 'toAgencyId' | 'firstName' | 'language' | 'services' | 'safeContact' | 'callbackPhone' | 'consent';

export interface ReferralFormProps {
  /** Victim-services agencies of the operation (`inOperation`) or its task force. */
  agencies: { id: string; name: string; inOperation?: boolean }[];
  /** Pre-ticked: the services the person accepted (or was offered). */
  initialServices?: Service[];
  personLabel: string;
  /** The officer's own work phone, when their account has one: the callback number starts as it. */
  defaultCallbackPhone?: string | null;
  pending?: boolean;
  error?: unknown;
  onSubmit: (input: ReferContactInput) => void;
  onCancel: () => void;
}

/**
 * A referral carries only what the advocates need to reach the person: a first name or alias, a
 * language, the services wanted and a safe way to make contact — sent only with the person's consent.
 * Choosing a substance-use service shows the 42 CFR Part 2 notice the referral will carry.
 */
export function ReferralForm({ agencies, initialServices = [], personLabel, defaultCallbackPhone, pending, error, onSubmit, onCancel }: ReferralFormProps) {
  const { t } = useTranslation();
  // The operation's own victim-services partner is the usual choice: chosen already when there is one.
  const partners = agencies.filter((a) => a.inOperation);
  const [toAgencyId, setToAgencyId] = useState(agencies.length === 1 ? agencies[0]!.id : partners.length === 1 ? partners[0]!.id : '');
  const [firstName, setFirstName] = useState('');
  const [language, setLanguage] = useState('');
  const [services, setServices] = useState<Service[]>(initialServices);
  const [safeContact, setSafeContact] = useState('');
  const [callbackPhone, setCallbackPhone] = useState(defaultCallbackPhone ?? '');
  const [consent, setConsent] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const labels: Record<Field, string> = {
    toAgencyId: t('referralForm.toAgency'),
    firstName: t('referralForm.firstName'),
    language: t('referralForm.language'),
    services: t('referralForm.services'),
    safeContact: t('referralForm.safeContact'),
    callbackPhone: t('referralForm.callbackPhone'),
    consent: t('referralForm.consentLegend'),
  };
  const placed = placeServerError(error, (path) => labels[(path.split('.')[0] ?? '') as Field]);
  const serverErrors: Partial<Record<Field, string>> = {};
  for (const [path, message] of Object.entries(placed.fields)) serverErrors[path.split('.')[0] as Field] = message;
  const errorAt = (f: Field) => problems[f] ?? serverErrors[f];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Field, string>> = {};
    if (!toAgencyId) next.toAgencyId = t('referralForm.toAgencyRequired');
    if (!firstName.trim()) next.firstName = t('form.required', { label: labels.firstName });
    if (!language.trim()) next.language = t('form.required', { label: labels.language });
    if (services.length === 0) next.services = t('referralForm.servicesRequired');
    if (!safeContact.trim()) next.safeContact = t('form.required', { label: labels.safeContact });
    if (!callbackPhone.trim()) next.callbackPhone = t('form.required', { label: labels.callbackPhone });
    if (!consent) next.consent = t('referralForm.consentRequired');
    setProblems(next);
    if (Object.keys(next).length > 0) {
      focusFirstError();
      return;
    }
    onSubmit({ toAgencyId, firstName: firstName.trim(), language: language.trim(), services, safeContact: safeContact.trim(), callbackPhone: callbackPhone.trim(), consent: true });
  };

  const part2 = isPart2(services);

  return (
    <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit}>
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <Fieldset id="referral-agency" legend={labels.toAgencyId} error={errorAt('toAgencyId')}>
        {agencies.length === 0 ? <p>{t('referralForm.noAgencies')}</p> : null}
        {agencies.map((a) => (
          <Radio
            key={a.id}
            id={`referral-agency-${a.id}`}
            name="referral-agency"
            tile
            label={a.name}
            description={a.inOperation ? t('referralForm.inOperation') : undefined}
            checked={toAgencyId === a.id}
            onChange={() => setToAgencyId(a.id)}
          />
        ))}
      </Fieldset>
      <TextField
        id="referral-first-name"
        label={labels.firstName}
        hint={t('referralForm.firstNameHint')}
        autoComplete="off"
        maxLength={60}
        value={firstName}
        onChange={(e) => setFirstName(e.target.value)}
        error={errorAt('firstName')}
      />
      <TextField
        id="referral-language"
        label={labels.language}
        hint={t('referralForm.languageHint')}
        autoComplete="off"
        maxLength={40}
        value={language}
        onChange={(e) => setLanguage(e.target.value)}
        error={errorAt('language')}
      />
      <Fieldset id="referral-services" legend={labels.services} hint={t('referralForm.servicesHint')} error={errorAt('services')}>
        <div className="lantern-checkbox-columns">
          {SERVICES.map((s) => (
            <Checkbox
              key={s}
              id={`referral-service-${s}`}
              label={t(`services.${s}`)}
              checked={services.includes(s)}
              onChange={(e) => setServices((list) => SERVICES.filter((x) => (x === s ? e.target.checked : list.includes(x))))}
            />
          ))}
        </div>
      </Fieldset>
      {part2 ? <Part2Notice /> : null}
      <TextareaField
        id="referral-safe-contact"
        label={labels.safeContact}
        hint={t('referralForm.safeContactHint')}
        rows={3}
        maxLength={SHORT_TEXT_MAX}
        value={safeContact}
        onChange={(e) => setSafeContact(e.target.value)}
        error={errorAt('safeContact')}
      />
      <TextField
        id="referral-callback-phone"
        label={labels.callbackPhone}
        hint={defaultCallbackPhone ? `${t('referralForm.callbackPhoneHint')} ${t('referralForm.callbackPhoneFromAccount')}` : t('referralForm.callbackPhoneHint')}
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        maxLength={40}
        value={callbackPhone}
        onChange={(e) => setCallbackPhone(e.target.value)}
        error={errorAt('callbackPhone')}
      />
      <Fieldset id="referral-consent" legend={labels.consent} error={errorAt('consent')}>
        <Checkbox
          id="referral-consent-box"
          tile
          label={t('referralForm.consent', { label: personLabel })}
          description={t('referralForm.consentHint')}
          checked={consent}
          onChange={(e) => setConsent(e.target.checked)}
        />
      </Fieldset>
      <FormActions pending={pending ?? false} submitLabel={t('referralForm.send')} pendingLabel={t('referralForm.sending')} onCancel={onCancel} />
    </form>
  );
}
