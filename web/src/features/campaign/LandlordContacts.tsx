import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { CONTACT_CHANNELS } from '../../../../common/businesses.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { hasErrors, splitServerError, useErrorFocus, type FieldErrors } from '../../components/forms.ts';
import { campaignApi, campaignKeys, type LandlordDto } from './api.ts';
import { dayToInstant, todayInput } from './campaign.ts';

type Contact = LandlordDto['contacts'][number];

/** A landlord's contact history, newest first; `businessId` marks the contacts about that business. */
export function ContactHistory({
  contacts,
  businessId,
  businessNames,
  headingLevel = 'h3',
  headingId,
}: {
  contacts: readonly Contact[];
  businessId?: string;
  /** The names of the businesses the contacts may be about (the landlord's properties). */
  businessNames?: ReadonlyMap<string, string>;
  headingLevel?: 'h2' | 'h3';
  headingId?: string;
}) {
  const { t } = useTranslation();
  const Heading = headingLevel;
  const sorted = [...contacts].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <>
      <Heading id={headingId}>{t('campaign.contacts.heading')}</Heading>
      {sorted.length === 0 ? (
        <p>{t('campaign.contacts.none')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--compact">
          <caption className="usa-sr-only">{t('campaign.contacts.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaign.contacts.when')}</th>
              <th scope="col">{t('campaign.contacts.how')}</th>
              <th scope="col">{t('campaign.contacts.note')}</th>
              <th scope="col">{t('campaign.contacts.by')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((c) => (
              <tr key={c.id}>
                <td>
                  <DateTime value={c.at} />
                </td>
                <td>
                  {t(`campaign.contacts.channel.${c.channel}`, { defaultValue: c.channel })}, {t(`campaign.contacts.direction.${c.direction}`, { defaultValue: c.direction })}
                  {c.businessId && c.businessId !== businessId ? (
                    <>
                      {' '}
                      <Link to="/businesses/$businessId" params={{ businessId: c.businessId }} className="usa-link">
                        {businessNames?.has(c.businessId) ? t('campaign.contacts.about', { name: businessNames.get(c.businessId) }) : t('campaign.contacts.aboutBusiness')}
                      </Link>
                    </>
                  ) : null}
                </td>
                <td className="lantern-campaign-pre">{c.note}</td>
                <td>{c.by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type ContactField = 'channel' | 'direction' | 'at' | 'note';

/** Records a call, email, letter or visit with the landlord (about a business when given). */
export function AddContactForm({ landlordId, businessId }: { landlordId: string; businessId?: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState('phone');
  const [direction, setDirection] = useState('outgoing');
  const [day, setDay] = useState(todayInput());
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors<ContactField>>({});
  const [done, setDone] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const labels: Record<ContactField, string> = {
    channel: t('campaign.contacts.channelLabel'),
    direction: t('campaign.contacts.directionLabel'),
    at: t('campaign.contacts.date'),
    note: t('campaign.contacts.note'),
  };
  const add = useMutation({
    mutationFn: (at: string) =>
      campaignApi.addContact(landlordId, {
        channel: channel as (typeof CONTACT_CHANNELS)[number],
        direction: direction as 'outgoing' | 'incoming',
        at,
        note: note.trim(),
        ...(businessId ? { businessId } : {}),
      }),
    onSuccess: () => {
      setNote('');
      setDone(true);
      void queryClient.invalidateQueries({ queryKey: campaignKeys.landlord(landlordId) });
    },
    onError: (error) => {
      setErrors(splitServerError(error, labels).fields);
      focusFirstError();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors<ContactField> = {};
    const at = dayToInstant(day);
    if (!at) found.at = t('campaign.contacts.dateInvalid');
    if (!note.trim()) found.note = t('form.required', { label: labels.note });
    setErrors(found);
    setDone(false);
    if (hasErrors(found) || !at) {
      focusFirstError();
      return;
    }
    add.mutate(at);
  };
  const formError = splitServerError(add.error, labels).form;
  return (
    <form ref={ref} className="usa-form" noValidate onSubmit={submit} aria-label={t('campaign.contacts.add')}>
      {done ? <p role="status">{t('campaign.contacts.added')}</p> : null}
      {formError ? <ErrorAlert error={formError} /> : null}
      <SelectField label={labels.channel} value={channel} error={errors.channel} onChange={(e) => setChannel(e.target.value)}>
        {CONTACT_CHANNELS.map((c) => (
          <option key={c} value={c}>
            {t(`campaign.contacts.channel.${c}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={labels.direction} value={direction} error={errors.direction} onChange={(e) => setDirection(e.target.value)}>
        <option value="outgoing">{t('campaign.contacts.direction.outgoing')}</option>
        <option value="incoming">{t('campaign.contacts.direction.incoming')}</option>
      </SelectField>
      <TextField type="date" label={labels.at} value={day} error={errors.at} onChange={(e) => setDay(e.target.value)} />
      <TextareaField label={labels.note} hint={t('campaign.contacts.noteHint')} value={note} error={errors.note} rows={3} maxLength={4000} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" className="usa-button" disabled={add.isPending}>
        {add.isPending ? t('common.saving') : t('campaign.contacts.add')}
      </button>
    </form>
  );
}
