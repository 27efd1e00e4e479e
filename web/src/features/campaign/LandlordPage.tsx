import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { BUSINESS_STAGE_LABELS } from '../../../../common/businesses.ts';
import { BackLink } from '../../components/BackLink.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { ApiError } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { hasErrors, placeServerError, useErrorFocus } from '../../components/forms.ts';
import { campaignApi, campaignKeys, landlordQuery, type LandlordDto } from './api.ts';
import { AddContactForm, ContactHistory } from './LandlordContacts.tsx';
import './campaign.css';

/** A landlord (issue #11, item 3): the owner and their agent, their properties in the registry, and the contact history. */
export function LandlordPage() {
  const { t } = useTranslation();
  const { landlordId } = useParams({ strict: false }) as { landlordId: string };
  const landlord = useQuery(landlordQuery(landlordId));
  if (landlord.isPending) return <Loading />;
  if (landlord.isError)
    return (
      <>
        <PageTitle title={t('campaign.landlord.title')} />
        <LoadError error={landlord.error} />
      </>
    );
  return <Landlord landlord={landlord.data} />;
}

function Landlord({ landlord }: { landlord: LandlordDto }) {
  const { t } = useTranslation();
  const canContact = landlord.abilities['landlord.addContact'] === true || landlord.abilities['business.updateLandlord'] === true || landlord.abilities['landlord.update'] === true;
  const canEdit = landlord.abilities['landlord.update'] === true || landlord.abilities['business.updateLandlord'] === true;
  const [editing, setEditing] = useState(false);
  const none = t('common.none');
  return (
    <>
      <BackLink to="/businesses">{t('campaign.nav.registry')}</BackLink>
      <PageTitle title={landlord.name} lead={t(`campaign.landlord.kinds.${landlord.kind}`, { defaultValue: landlord.kind })} />
      <section className="lantern-section" aria-labelledby="landlord-details">
        <h2 id="landlord-details">{t('campaign.landlord.details')}</h2>
        {editing ? <EditLandlord landlord={landlord} onClose={() => setEditing(false)} /> : null}
        <dl className="lantern-campaign-details" hidden={editing}>
          <dt>{t('campaign.landlord.agent')}</dt>
          <dd>{landlord.agent ?? none}</dd>
          <dt>{t('campaign.landlord.mailingAddress')}</dt>
          <dd className="lantern-campaign-pre">{landlord.mailingAddress ?? none}</dd>
          <dt>{t('campaign.landlord.phone')}</dt>
          <dd>{landlord.phone ?? none}</dd>
          <dt>{t('campaign.landlord.email')}</dt>
          <dd>{landlord.email ?? none}</dd>
          <dt>{t('campaign.landlord.source')}</dt>
          <dd>{landlord.source}</dd>
        </dl>
        {canEdit && !editing ? (
          <button type="button" className="usa-button usa-button--outline margin-top-2" onClick={() => setEditing(true)}>
            {t('campaign.landlord.edit')}
          </button>
        ) : null}
      </section>
      <section className="lantern-section" aria-labelledby="landlord-properties">
        <h2 id="landlord-properties">{t('campaign.landlord.properties', { count: landlord.properties.length })}</h2>
        {landlord.properties.length === 0 ? (
          <p>{t('campaign.landlord.noProperties')}</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption className="usa-sr-only">{t('campaign.landlord.properties', { count: landlord.properties.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaign.landlord.business')}</th>
                <th scope="col">{t('campaign.landlord.address')}</th>
                <th scope="col">{t('campaign.dashboard.stage')}</th>
              </tr>
            </thead>
            <tbody>
              {landlord.properties.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to="/businesses/$businessId" params={{ businessId: p.id }} className="usa-link">
                      {p.name}
                    </Link>
                  </th>
                  <td>{`${p.address}, ${p.city}`}</td>
                  <td>
                    <Tag tone={p.stage === 'cleared' ? 'ok' : 'info'}>{BUSINESS_STAGE_LABELS[p.stage]}</Tag>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="lantern-section" aria-labelledby="landlord-contacts">
        <ContactHistory contacts={landlord.contacts} businessNames={new Map(landlord.properties.map((p) => [p.id, p.name]))} headingLevel="h2" headingId="landlord-contacts" />
        {canContact ? (
          <>
            <h3>{t('campaign.contacts.add')}</h3>
            <AddContactForm landlordId={landlord.id} />
          </>
        ) : null}
      </section>
    </>
  );
}

const EDITABLE = ['name', 'agent', 'mailingAddress', 'phone', 'email', 'source'] as const;
type Editable = (typeof EDITABLE)[number];

/** Corrects the owner's details (from county records), with the version read: a stale one is refused. */
function EditLandlord({ landlord, onClose }: { landlord: LandlordDto; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Record<Editable, string>>(() => Object.fromEntries(EDITABLE.map((k) => [k, landlord[k] ?? ''])) as Record<Editable, string>);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const labels: Record<Editable, string> = {
    name: t('campaign.landlord.name'),
    agent: t('campaign.landlord.agent'),
    mailingAddress: t('campaign.landlord.mailingAddress'),
    phone: t('campaign.landlord.phone'),
    email: t('campaign.landlord.email'),
    source: t('campaign.landlord.source'),
  };
  const save = useMutation({
    mutationFn: () => {
      const input: Record<string, string | number> = { version: landlord.version, name: form.name.trim(), source: form.source.trim() };
      for (const k of ['agent', 'mailingAddress', 'phone', 'email'] as const) input[k] = form[k].trim();
      return campaignApi.updateLandlord(landlord.id, input as never);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: campaignKeys.landlord(landlord.id) });
      onClose();
    },
    onError: (error) => {
      setErrors(placeServerError(error, (p) => labels[p as Editable]).fields);
      focusFirstError();
    },
  });
  const stale = save.error instanceof ApiError && save.error.status === 409;
  const formError = stale ? undefined : placeServerError(save.error, (p) => labels[p as Editable]).form;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const e: Record<string, string> = {};
    if (!form.name.trim()) e.name = t('form.required', { label: labels.name });
    if (!form.source.trim()) e.source = t('form.required', { label: labels.source });
    setErrors(e);
    if (hasErrors(e)) {
      focusFirstError();
      return;
    }
    save.mutate();
  };
  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit} aria-label={t('campaign.landlord.edit')}>
      {stale ? (
        <Alert type="error" slim>
          {t('campaign.landlord.stale')}
        </Alert>
      ) : null}
      {formError ? <ErrorAlert error={formError} /> : null}
      {EDITABLE.map((k) => (
        <TextField
          key={k}
          label={labels[k]}
          optional={k !== 'name' && k !== 'source'}
          hint={k === 'source' ? t('campaign.landlord.sourceHint') : undefined}
          value={form[k]}
          error={errors[k]}
          onChange={(e) => {
            const value = e.target.value;
            setForm((f) => ({ ...f, [k]: value }));
          }}
        />
      ))}
      <FormActions className="lantern-campaign-actions margin-top-2" pending={save.isPending} onCancel={onClose} />
    </form>
  );
}
