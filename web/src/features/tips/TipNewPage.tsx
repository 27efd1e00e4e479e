import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { SAFE_CONTACT_METHODS, TIP_LIMITS, type SafeContactMethod } from '../../../../common/tips.ts';
import { useCan } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Checkbox, Fieldset, Radio, SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { TimeField } from '../../components/TimeField.tsx';
import { localInputToIso } from '../../components/format.ts';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { useStateCounties } from '../operations/geo.ts';
import { tipKeys, tipsApi, type StaffTipInput } from './api.ts';

export interface TipDraft {
  source: 'phone' | 'hotline';
  receivedAt: string;
  externalRef: string;
  immediateDanger: boolean;
  minorInvolved: boolean;
  narrative: string;
  address: string;
  city: string;
  zip: string;
  countyFips: string;
  when: string;
  people: string;
  vehicles: string;
  phones: string;
  emails: string;
  online: string;
  businesses: string;
  language: 'en' | 'es';
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  safeMethod: SafeContactMethod | '';
  safeTimes: string;
}

export const EMPTY_DRAFT: TipDraft = {
  source: 'phone',
  receivedAt: '',
  externalRef: '',
  immediateDanger: false,
  minorInvolved: false,
  narrative: '',
  address: '',
  city: '',
  zip: '',
  countyFips: '',
  when: '',
  people: '',
  vehicles: '',
  phones: '',
  emails: '',
  online: '',
  businesses: '',
  language: 'en',
  contactName: '',
  contactPhone: '',
  contactEmail: '',
  safeMethod: '',
  safeTimes: '',
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const opt = (v: string) => (v.trim() ? v.trim() : undefined);

/** The request for a draft: empty fields left out, lists one item a line. */
export function staffTipInputOf(d: TipDraft): StaffTipInput {
  const contact = {
    ...(opt(d.contactName) ? { name: opt(d.contactName) } : {}),
    ...(opt(d.contactPhone) ? { phone: opt(d.contactPhone) } : {}),
    ...(opt(d.contactEmail) ? { email: opt(d.contactEmail) } : {}),
    ...(d.safeMethod ? { safeMethod: d.safeMethod } : {}),
    ...(opt(d.safeTimes) ? { safeTimes: opt(d.safeTimes) } : {}),
  };
  const receivedAt = localInputToIso(d.receivedAt);
  return {
    source: d.source,
    ...(receivedAt ? { receivedAt } : {}),
    ...(d.source === 'hotline' && opt(d.externalRef) ? { externalRef: opt(d.externalRef) } : {}),
    narrative: d.narrative.trim(),
    ...(opt(d.address) ? { address: opt(d.address) } : {}),
    ...(opt(d.city) ? { city: opt(d.city) } : {}),
    ...(opt(d.zip) ? { zip: d.zip.trim() } : {}),
    ...(d.countyFips ? { countyFips: d.countyFips } : {}),
    ...(opt(d.when) ? { when: opt(d.when) } : {}),
    ...(opt(d.people) ? { people: opt(d.people) } : {}),
    ...(opt(d.vehicles) ? { vehicles: opt(d.vehicles) } : {}),
    phones: lines(d.phones),
    emails: lines(d.emails),
    online: lines(d.online),
    businesses: lines(d.businesses),
    minorInvolved: d.minorInvolved,
    immediateDanger: d.immediateDanger,
    language: d.language,
    ...(Object.keys(contact).length ? { contact } : {}),
  };
}

type FieldKey = Exclude<keyof TipDraft, 'language' | 'source'> | 'language' | 'source';

/** `contact.email` → contactEmail, `phones.2` → phones: where the server's error goes. */
const CONTACT_FIELDS: Record<string, FieldKey> = { name: 'contactName', phone: 'contactPhone', email: 'contactEmail', safeMethod: 'safeMethod', safeTimes: 'safeTimes' };
export function draftFieldOf(path: string): FieldKey | undefined {
  const [head, sub] = path.split('.');
  if (head === 'contact') return sub ? CONTACT_FIELDS[sub] : 'contactName';
  return head && head in EMPTY_DRAFT ? (head as FieldKey) : undefined;
}

/** Formats a receipt for reading aloud: groups of four digits. */
export const groupReceipt = (receipt: string) => (/^\d+$/.test(receipt) ? receipt.replace(/(\d{4})(?=\d)/g, '$1 ') : receipt);

/** The form of a phoned-in (or forwarded) tip: the public form's questions plus the source and when. */
export function TipEntryForm({ pending, error, onSubmit }: { pending?: boolean; error?: unknown; onSubmit: (input: StaffTipInput) => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<TipDraft>(EMPTY_DRAFT);
  const [missingNarrative, setMissingNarrative] = useState(false);
  const counties = useStateCounties();
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  useEffect(() => {
    if (error) focusFirstError();
  }, [error, focusFirstError]);
  const labels: Record<FieldKey, string> = {
    source: t('tips.new.sourceLegend'),
    receivedAt: t('tips.new.receivedAt'),
    externalRef: t('tips.new.externalRef'),
    immediateDanger: t('tips.new.immediateDanger'),
    minorInvolved: t('tips.new.minorInvolved'),
    narrative: t('tips.new.narrative'),
    address: t('tips.new.address'),
    city: t('tips.new.city'),
    zip: t('tips.new.zip'),
    countyFips: t('tips.new.countyFips'),
    when: t('tips.new.when'),
    people: t('tips.new.people'),
    vehicles: t('tips.new.vehicles'),
    phones: t('tips.new.phones'),
    emails: t('tips.new.emails'),
    online: t('tips.new.online'),
    businesses: t('tips.new.businesses'),
    language: t('tips.new.language'),
    contactName: t('tips.new.contactName'),
    contactPhone: t('tips.new.contactPhone'),
    contactEmail: t('tips.new.contactEmail'),
    safeMethod: t('tips.new.safeMethod'),
    safeTimes: t('tips.new.safeTimes'),
  };
  const placed = placeServerError(error, (path) => {
    const key = draftFieldOf(path);
    return key ? labels[key] : undefined;
  });
  // The message was placed at the server's path; show it beside the field that path belongs to.
  const fieldErrors: Partial<Record<FieldKey, string>> = {};
  for (const [path, message] of Object.entries(placed.fields)) {
    const key = draftFieldOf(path);
    if (key) fieldErrors[key] = message;
  }
  if (missingNarrative) fieldErrors.narrative = t('form.required', { label: t('tips.new.narrative') });

  const text = (key: keyof TipDraft) => ({
    id: `tip-${key}`,
    label: labels[key as FieldKey],
    value: d[key] as string,
    error: fieldErrors[key as FieldKey],
    onChange: (e: { target: { value: string } }) => {
      setD((x) => ({ ...x, [key]: e.target.value }));
      if (key === 'narrative') setMissingNarrative(false);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!d.narrative.trim()) {
      setMissingNarrative(true);
      focusFirstError();
      return;
    }
    onSubmit(staffTipInputOf(d));
  };

  return (
    <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit} aria-describedby="tip-new-lead">
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <Fieldset legend={labels.source} error={fieldErrors.source}>
        <Radio id="tip-source-phone" name="tip-source" label={t('tips.source.phone')} checked={d.source === 'phone'} onChange={() => setD((x) => ({ ...x, source: 'phone' }))} />
        <Radio id="tip-source-hotline" name="tip-source" label={t('tips.source.hotline')} checked={d.source === 'hotline'} onChange={() => setD((x) => ({ ...x, source: 'hotline' }))} />
      </Fieldset>
      <TimeField id="tip-receivedAt" label={labels.receivedAt} hint={t('tips.new.receivedAtHint')} optional value={d.receivedAt} onChange={(v) => setD((x) => ({ ...x, receivedAt: v }))} error={fieldErrors.receivedAt} />
      {d.source === 'hotline' ? <TextField {...text('externalRef')} hint={t('tips.new.externalRefHint')} optional maxLength={100} /> : null}

      <Fieldset legend={t('tips.new.urgencyLegend')}>
        <Checkbox id="tip-immediateDanger" label={labels.immediateDanger} checked={d.immediateDanger} onChange={(e) => setD((x) => ({ ...x, immediateDanger: e.target.checked }))} />
        <Checkbox id="tip-minorInvolved" label={labels.minorInvolved} checked={d.minorInvolved} onChange={(e) => setD((x) => ({ ...x, minorInvolved: e.target.checked }))} />
      </Fieldset>
      {d.immediateDanger ? (
        <Alert type="error" slim announce>
          {t('tips.new.dangerNow')}
        </Alert>
      ) : null}

      <TextareaField {...text('narrative')} hint={t('tips.new.narrativeHint')} rows={6} maxLength={TIP_LIMITS.narrative} />

      <Fieldset legend={t('tips.new.whereLegend')} hint={t('tips.new.whereHint')}>
        <TextField {...text('address')} optional maxLength={TIP_LIMITS.shortText} />
        <TextField {...text('city')} optional maxLength={100} />
        <TextField {...text('zip')} optional inputMode="numeric" autoComplete="off" maxLength={5} className="usa-input--small" />
        <SelectField id="tip-countyFips" label={labels.countyFips} optional value={d.countyFips} error={fieldErrors.countyFips} onChange={(e) => setD((x) => ({ ...x, countyFips: e.target.value }))}>
          <option value="">{t('tips.new.anyCounty')}</option>
          {(counties.data ?? []).map((c) => (
            <option key={c.fips} value={c.fips}>
              {c.name}
            </option>
          ))}
        </SelectField>
      </Fieldset>

      <TextField {...text('when')} hint={t('tips.new.whenHint')} optional maxLength={TIP_LIMITS.shortText} />
      <TextareaField {...text('people')} hint={t('tips.new.peopleHint')} optional rows={3} maxLength={TIP_LIMITS.mediumText} />
      <TextareaField {...text('vehicles')} hint={t('tips.new.vehiclesHint')} optional rows={2} maxLength={TIP_LIMITS.mediumText} />
      <TextareaField {...text('phones')} hint={t('tips.new.listHint')} optional rows={2} />
      <TextareaField {...text('emails')} hint={t('tips.new.listHint')} optional rows={2} />
      <TextareaField {...text('online')} hint={t('tips.new.listHint')} optional rows={2} />
      <TextareaField {...text('businesses')} hint={t('tips.new.listHint')} optional rows={2} />
      <SelectField id="tip-language" label={labels.language} value={d.language} error={fieldErrors.language} onChange={(e) => setD((x) => ({ ...x, language: e.target.value === 'es' ? 'es' : 'en' }))}>
        <option value="en">{t('tips.detail.languages.en')}</option>
        <option value="es">{t('tips.detail.languages.es')}</option>
      </SelectField>

      <Fieldset legend={t('tips.new.contactLegend')} hint={t('tips.new.contactHint')}>
        <TextField {...text('contactName')} optional maxLength={TIP_LIMITS.shortText} autoComplete="off" />
        <TextField {...text('contactPhone')} optional type="tel" maxLength={40} autoComplete="off" />
        <TextField {...text('contactEmail')} optional type="email" maxLength={254} autoComplete="off" />
        <SelectField id="tip-safeMethod" label={labels.safeMethod} optional value={d.safeMethod} error={fieldErrors.safeMethod} onChange={(e) => setD((x) => ({ ...x, safeMethod: e.target.value as SafeContactMethod | '' }))}>
          <option value="">{t('form.select')}</option>
          {SAFE_CONTACT_METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`tips.detail.safeMethods.${m}`)}
            </option>
          ))}
        </SelectField>
        <TextField {...text('safeTimes')} optional maxLength={TIP_LIMITS.shortText} />
      </Fieldset>

      <button type="submit" className="usa-button" disabled={pending}>
        {pending ? t('common.saving') : t('tips.new.submit')}
      </button>
    </form>
  );
}

/** The receipt, shown once, to read to the caller. */
export function ReceiptPanel({ id, receipt, onAnother }: { id: string; receipt: string; onAnother: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert type="success" heading={t('tips.new.receiptTitle')}>
      <p className="usa-alert__text">{t('tips.new.receiptLead')}</p>
      <p className="usa-alert__text">
        <span className="usa-sr-only">{t('tips.new.receiptLabel')}: </span>
        <strong className="lantern-code lantern-receipt" data-testid="tip-receipt">
          {groupReceipt(receipt)}
        </strong>
      </p>
      <ul className="usa-button-group margin-top-2">
        <li className="usa-button-group__item">
          <Link to="/tip-queue/$tipId" params={{ tipId: id }} className="usa-button">
            {t('tips.new.openTip')}
          </Link>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--outline" onClick={onAnother}>
            {t('tips.new.another')}
          </button>
        </li>
      </ul>
    </Alert>
  );
}

/** `/tip-queue/new`: record a phoned-in tip, then read its receipt to the caller (issue #10, item 4). */
export function TipNewPage() {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const [round, setRound] = useState(0);
  const create = useMutation({
    mutationFn: (input: StaffTipInput) => tipsApi.create(input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tipKeys.all }),
  });

  return (
    <>
      <BackLink to="/tip-queue">{t('tips.title')}</BackLink>
      <PageTitle title={t('tips.new.title')} />
      <p className="lantern-lead" id="tip-new-lead">
        {t('tips.new.lead')}
      </p>
      {!can('tip.create') ? (
        <Alert type="info" announce={false}>
          {t('errors.forbiddenPage')}
        </Alert>
      ) : create.data ? (
        <ReceiptPanel
          id={create.data.id}
          receipt={create.data.receipt}
          onAnother={() => {
            create.reset();
            setRound((r) => r + 1);
          }}
        />
      ) : (
        <TipEntryForm key={round} pending={create.isPending} error={create.error} onSubmit={(input) => create.mutate(input)} />
      )}
    </>
  );
}
