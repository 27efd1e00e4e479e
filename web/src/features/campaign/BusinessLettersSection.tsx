import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DELIVERY_METHODS, OPERATOR_KINDS, type DeliveryMethod } from '../../../../common/businesses.ts';
import { ApiError } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Fieldset, Radio, SelectField, TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../components/format.ts';
import { hasErrors, placeServerError, useErrorFocus } from '../../components/forms.ts';
import { businessQuery, campaignApi, landlordQuery, lettersQuery, type BusinessDto, type LandlordInput, type LandlordOption, type NoticeLetterDto } from './api.ts';
import { dayToInstant, mergeToken, todayInput } from './campaign.ts';
import { AddContactForm, ContactHistory } from './LandlordContacts.tsx';
import { LetterLinks } from './NoticeLettersPage.tsx';
import './campaign.css';

/**
 * A business's landlord, contact history and notice letters (issue #11, items 3 and 4), shown on the
 * business's page inside its "Landlord and letters" section: the owner (picked by exact name or entered
 * from county records), the contacts with them, and the letters with their sending and delivery.
 */
export function BusinessLettersSection({ businessId }: { businessId: string }) {
  const business = useQuery(businessQuery(businessId));
  if (business.isPending) return <Loading />;
  if (business.isError) return <LoadError error={business.error} />;
  return <Section business={business.data} />;
}

function Section({ business }: { business: BusinessDto }) {
  const { t } = useTranslation();
  const can = (action: string) => business.abilities[action] === true;
  if (!can('business.readLandlord')) return <p>{t('campaign.section.noAccess')}</p>;
  return (
    <div className="lantern-campaign-section">
      <LandlordPart business={business} canSet={can('business.updateLandlord')} />
      <LettersPart business={business} canDraft={can('business.draftLetter')} canSend={can('business.sendLetter')} />
    </div>
  );
}

// ------------------------------------------------------------------------------------------ landlord

function LandlordPart({ business, canSet }: { business: BusinessDto; canSet: boolean }) {
  const { t } = useTranslation();
  const [changing, setChanging] = useState(false);
  const landlord = business.landlord;
  const details = useQuery({ ...landlordQuery(landlord?.id ?? ''), enabled: Boolean(landlord) });
  return (
    <>
      <h3>{t('campaign.section.landlord')}</h3>
      {landlord ? (
        <p>
          <Link to="/landlords/$landlordId" params={{ landlordId: landlord.id }} className="usa-link text-bold">
            {landlord.label}
          </Link>
          {details.data?.agent ? <span>{` · ${t('campaign.landlord.agent')}: ${details.data.agent}`}</span> : null}
        </p>
      ) : (
        <p>{canSet ? t('campaign.section.noLandlord') : t('campaign.section.noLandlordReadOnly')}</p>
      )}
      {canSet ? (
        changing || !landlord ? (
          <SetLandlordForm business={business} onDone={() => setChanging(false)} onCancel={landlord ? () => setChanging(false) : undefined} />
        ) : (
          <button type="button" className="usa-button usa-button--outline" onClick={() => setChanging(true)}>
            {t('campaign.section.change')}
          </button>
        )
      ) : null}
      {landlord ? (
        details.isPending ? (
          <Loading />
        ) : details.isError ? (
          <LoadError error={details.error} />
        ) : (
          <>
            <ContactHistory contacts={details.data.contacts} businessId={business.id} />
            {canSet ? (
              <details className="lantern-campaign-add">
                <summary>{t('campaign.contacts.add')}</summary>
                <AddContactForm landlordId={landlord.id} businessId={business.id} />
              </details>
            ) : null}
          </>
        )
      ) : null}
    </>
  );
}

const EMPTY_LANDLORD = { kind: 'company', name: '', agent: '', mailingAddress: '', phone: '', email: '', source: '' };
type LandlordForm = typeof EMPTY_LANDLORD;

/** Pick an owner already in the registry by their exact name, or enter a new one from county records. */
function SetLandlordForm({ business, onDone, onCancel }: { business: BusinessDto; onDone: () => void; onCancel: (() => void) | undefined }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const name = useId();
  const [mode, setMode] = useState<'existing' | 'new'>('existing');
  const [lookup, setLookup] = useState('');
  const [found, setFound] = useState<LandlordOption[] | undefined>();
  const [picked, setPicked] = useState('');
  const [form, setForm] = useState<LandlordForm>(EMPTY_LANDLORD);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const labels: Record<string, string> = {
    lookup: t('campaign.landlord.lookup'),
    landlordId: t('campaign.landlord.results'),
    'landlord.kind': t('campaign.landlord.kind'),
    'landlord.name': t('campaign.landlord.name'),
    'landlord.agent': t('campaign.landlord.agent'),
    'landlord.mailingAddress': t('campaign.landlord.mailingAddress'),
    'landlord.phone': t('campaign.landlord.phone'),
    'landlord.email': t('campaign.landlord.email'),
    'landlord.source': t('campaign.landlord.source'),
  };

  const search = useMutation({
    mutationFn: (n: string) => campaignApi.findLandlords(n),
    onSuccess: (list) => {
      setFound(list);
      setPicked(list.length === 1 ? list[0]!.id : '');
    },
  });
  const save = useMutation({
    mutationFn: () => {
      if (mode === 'existing') return campaignApi.setLandlord(business.id, { landlordId: picked, version: business.version });
      const l: LandlordInput = { kind: form.kind as LandlordInput['kind'], name: form.name.trim(), source: form.source.trim() };
      for (const key of ['agent', 'mailingAddress', 'phone', 'email'] as const) if (form[key].trim()) l[key] = form[key].trim();
      return campaignApi.setLandlord(business.id, { landlord: l, version: business.version });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['businesses'] });
      onDone();
    },
    onError: (error) => {
      setErrors(placeServerError(error, (p) => labels[p]).fields);
      focusFirstError();
    },
  });
  const formError = placeServerError(save.error, (p) => labels[p]).form;
  const stale = save.error instanceof ApiError && save.error.status === 409;

  const set = (key: keyof LandlordForm, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [`landlord.${key}`]: '' }));
  };

  const find = () => {
    if (!lookup.trim()) {
      setErrors({ lookup: t('form.required', { label: labels.lookup }) });
      return;
    }
    setErrors({});
    search.mutate(lookup.trim());
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const e: Record<string, string> = {};
    if (mode === 'existing' && !picked) e.landlordId = t('campaign.landlord.pickFirst');
    if (mode === 'new') {
      if (!form.name.trim()) e['landlord.name'] = t('form.required', { label: labels['landlord.name'] });
      if (!form.source.trim()) e['landlord.source'] = t('form.required', { label: labels['landlord.source'] });
    }
    setErrors(e);
    if (hasErrors(e)) {
      focusFirstError();
      return;
    }
    save.mutate();
  };

  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit} aria-label={t('campaign.landlord.setHeading')}>
      <Fieldset legend={t('campaign.landlord.setHeading')}>
        <Radio name={name} value="existing" checked={mode === 'existing'} onChange={() => setMode('existing')} label={t('campaign.landlord.existing')} />
        <Radio name={name} value="new" checked={mode === 'new'} onChange={() => setMode('new')} label={t('campaign.landlord.new')} description={t('campaign.landlord.newHint')} />
      </Fieldset>
      {stale ? (
        <Alert type="error" slim>
          {t('campaign.section.stale')}
        </Alert>
      ) : formError ? (
        <ErrorAlert error={formError} />
      ) : null}
      {mode === 'existing' ? (
        <>
          <TextField
            label={labels.lookup}
            hint={t('campaign.landlord.lookupHint')}
            value={lookup}
            error={errors.lookup}
            onChange={(e) => setLookup(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                find();
              }
            }}
          />
          <button type="button" className="usa-button usa-button--outline" onClick={find} disabled={search.isPending}>
            {search.isPending ? t('common.working') : t('campaign.landlord.find')}
          </button>
          {search.isError ? <ErrorAlert error={search.error} /> : null}
          {found ? (
            found.length === 0 ? (
              <p role="status">{t('campaign.landlord.noneFound')}</p>
            ) : (
              <Fieldset legend={labels.landlordId} error={errors.landlordId}>
                {found.map((l) => (
                  <Radio key={l.id} name={`${name}-pick`} value={l.id} checked={picked === l.id} onChange={() => setPicked(l.id)} label={l.label} />
                ))}
              </Fieldset>
            )
          ) : errors.landlordId ? (
            <p className="usa-error-message">{errors.landlordId}</p>
          ) : null}
        </>
      ) : (
        <>
          <SelectField label={labels['landlord.kind']} value={form.kind} error={errors['landlord.kind']} onChange={(e) => set('kind', e.target.value)}>
            {OPERATOR_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`campaign.landlord.kinds.${k}`)}
              </option>
            ))}
          </SelectField>
          <TextField label={labels['landlord.name']} value={form.name} error={errors['landlord.name']} maxLength={200} onChange={(e) => set('name', e.target.value)} />
          <TextField label={labels['landlord.agent']} optional value={form.agent} error={errors['landlord.agent']} maxLength={200} onChange={(e) => set('agent', e.target.value)} />
          <TextField label={labels['landlord.mailingAddress']} optional value={form.mailingAddress} error={errors['landlord.mailingAddress']} maxLength={400} onChange={(e) => set('mailingAddress', e.target.value)} />
          <TextField label={labels['landlord.phone']} optional type="tel" value={form.phone} error={errors['landlord.phone']} maxLength={40} onChange={(e) => set('phone', e.target.value)} />
          <TextField label={labels['landlord.email']} optional type="email" value={form.email} error={errors['landlord.email']} maxLength={254} onChange={(e) => set('email', e.target.value)} />
          <TextField label={labels['landlord.source']} hint={t('campaign.landlord.sourceHint')} value={form.source} error={errors['landlord.source']} maxLength={300} onChange={(e) => set('source', e.target.value)} />
        </>
      )}
      <FormActions className="lantern-campaign-actions margin-top-2" pending={save.isPending} submitLabel={t('campaign.landlord.set')} onCancel={onCancel} />
    </form>
  );
}

// ------------------------------------------------------------------------------------------- letters

/** The words for a letter refused for an empty merge field: what it needs, and what to do. */
export function useUnfilledMessage() {
  const { t } = useTranslation();
  return (field: string) =>
    t(`campaign.unfilled.${field}`, { token: mergeToken(field), defaultValue: t('campaign.unfilled.other', { field: t(`campaign.mergeFields.${field}`, { defaultValue: field }) }) });
}

function LettersPart({ business, canDraft, canSend }: { business: BusinessDto; canDraft: boolean; canSend: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const letters = useQuery(lettersQuery(business.id));
  const unfilled = useUnfilledMessage();
  const [made, setMade] = useState<string | undefined>();
  const generate = useMutation({
    mutationFn: () => campaignApi.generateLetter(business.id),
    onSuccess: (letter) => {
      setMade(letter.number);
      void queryClient.invalidateQueries({ queryKey: ['businesses'] });
    },
  });
  const refusal = generate.error instanceof ApiError && generate.error.code === 'unfilled_merge_field' ? generate.error : undefined;
  return (
    <>
      <h3>{t('campaign.section.letters')}</h3>
      {canDraft ? (
        <>
          {refusal ? (
            <div data-testid="unfilled-merge-field">
              <Alert type="error" heading={t('campaign.unfilled.heading')} headingLevel="h4">
                <p className="usa-alert__text">{unfilled(refusal.field ?? '')}</p>
                {refusal.message ? <p className="usa-alert__text lantern-muted">{refusal.message}</p> : null}
              </Alert>
            </div>
          ) : generate.isError ? (
            <ErrorAlert error={generate.error} />
          ) : made ? (
            <Alert type="success" slim>
              {t('campaign.letter.made', { number: made })}
            </Alert>
          ) : null}
          <button
            type="button"
            className="usa-button"
            disabled={generate.isPending}
            onClick={() => {
              setMade(undefined);
              generate.mutate();
            }}
          >
            {generate.isPending ? t('campaign.letter.generating') : t('campaign.letter.generate')}
          </button>
        </>
      ) : null}
      {letters.isPending ? (
        <Loading />
      ) : letters.isError ? (
        <LoadError error={letters.error} />
      ) : letters.data.items.length === 0 ? (
        <p>{canDraft ? t('campaign.letter.noneCanDraft') : t('campaign.letter.none')}</p>
      ) : (
        <ul className="usa-list usa-list--unstyled">
          {letters.data.items.map((l) => (
            <LetterRow key={l.id} letter={l} canSend={canSend} />
          ))}
        </ul>
      )}
    </>
  );
}

function LetterRow({ letter, canSend }: { letter: NoticeLetterDto; canSend: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'sent' | 'delivered' | undefined>();
  return (
    <li className="lantern-action-row" data-testid="notice-letter">
      <h4 className="margin-0">{t('campaign.letter.heading', { number: letter.number })}</h4>
      <p className="margin-y-05">
        {t('campaign.letter.drafted')} <DateTime value={letter.createdAt} /> {t('campaign.letter.by', { name: letter.createdBy })} · {t('campaign.letter.responseDue', { date: formatDate(`${letter.responseDue}T12:00:00`) })}
      </p>
      <p className="margin-y-05">
        {letter.sentAt ? (
          <>
            {t('campaign.letter.sent', { via: t(`campaign.delivery.${letter.sentVia ?? ''}`, { defaultValue: letter.sentVia ?? '' }) })} <DateTime value={letter.sentAt} />
            {letter.tracking ? ` · ${t('campaign.letter.tracking', { tracking: letter.tracking })}` : null}
          </>
        ) : (
          t('campaign.letter.notSent')
        )}
        {' · '}
        {letter.deliveredAt ? (
          <>
            {t('campaign.letter.delivered')} <DateTime value={letter.deliveredAt} />
          </>
        ) : (
          t('campaign.letter.notDelivered')
        )}
      </p>
      <p className="margin-y-05">
        <LetterLinks id={letter.id} number={letter.number} />
      </p>
      {canSend ? (
        open === 'sent' ? (
          <SentForm letter={letter} onClose={() => setOpen(undefined)} />
        ) : open === 'delivered' ? (
          <DeliveredForm letter={letter} onClose={() => setOpen(undefined)} />
        ) : (
          <div className="lantern-campaign-actions">
            {!letter.sentAt ? (
              <button type="button" className="usa-button usa-button--outline" onClick={() => setOpen('sent')}>
                {t('campaign.letter.recordSent')}
              </button>
            ) : null}
            {letter.sentAt && !letter.deliveredAt ? (
              <button type="button" className="usa-button usa-button--outline" onClick={() => setOpen('delivered')}>
                {t('campaign.letter.recordDelivered')}
              </button>
            ) : null}
          </div>
        )
      ) : null}
    </li>
  );
}

function SentForm({ letter, onClose }: { letter: NoticeLetterDto; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [via, setVia] = useState<DeliveryMethod>('certified_mail');
  const [day, setDay] = useState(todayInput());
  const [tracking, setTracking] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const labels: Record<string, string> = { via: t('campaign.letter.via'), at: t('campaign.letter.sentOn'), tracking: t('campaign.letter.trackingLabel') };
  const send = useMutation({
    mutationFn: (at: string) => campaignApi.markSent(letter.id, { via, at, ...(tracking.trim() ? { tracking: tracking.trim() } : {}), version: letter.version }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['businesses'] });
      onClose();
    },
    onError: (error) => {
      setErrors(placeServerError(error, (p) => labels[p]).fields);
      focusFirstError();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = dayToInstant(day);
    if (!at) {
      setErrors({ at: t('campaign.contacts.dateInvalid') });
      focusFirstError();
      return;
    }
    setErrors({});
    send.mutate(at);
  };
  const formError = placeServerError(send.error, (p) => labels[p]).form;
  return (
    <form ref={ref} className="usa-form" noValidate onSubmit={submit} aria-label={t('campaign.letter.recordSentOf', { number: letter.number })}>
      {formError ? <ErrorAlert error={formError} /> : null}
      <SelectField label={labels.via} value={via} error={errors.via} onChange={(e) => setVia(e.target.value as DeliveryMethod)}>
        {DELIVERY_METHODS.map((m) => (
          <option key={m} value={m}>
            {t(`campaign.delivery.${m}`)}
          </option>
        ))}
      </SelectField>
      <TextField type="date" label={labels.at} value={day} error={errors.at} onChange={(e) => setDay(e.target.value)} />
      <TextField label={labels.tracking} optional hint={t('campaign.letter.trackingHint')} value={tracking} error={errors.tracking} maxLength={100} onChange={(e) => setTracking(e.target.value)} />
      <FormActions className="lantern-campaign-actions margin-top-2" pending={send.isPending} submitLabel={t('campaign.letter.saveSent')} onCancel={onClose} />
    </form>
  );
}

function DeliveredForm({ letter, onClose }: { letter: NoticeLetterDto; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [day, setDay] = useState(todayInput());
  const [error, setError] = useState<string | undefined>();
  const deliver = useMutation({
    mutationFn: (at: string) => campaignApi.markDelivered(letter.id, { at, version: letter.version }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['businesses'] });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = dayToInstant(day);
    if (!at) {
      setError(t('campaign.contacts.dateInvalid'));
      return;
    }
    setError(undefined);
    deliver.mutate(at);
  };
  return (
    <form className="usa-form" noValidate onSubmit={submit} aria-label={t('campaign.letter.recordDeliveredOf', { number: letter.number })}>
      {deliver.isError ? <ErrorAlert error={deliver.error} /> : null}
      <TextField type="date" label={t('campaign.letter.deliveredOn')} value={day} error={error} onChange={(e) => setDay(e.target.value)} />
      <FormActions className="lantern-campaign-actions margin-top-2" pending={deliver.isPending} submitLabel={t('campaign.letter.saveDelivered')} onCancel={onClose} />
    </form>
  );
}
