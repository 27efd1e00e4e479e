import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { NAME_MAX, PHONE_MAX } from '../../../../common/limits.ts';
import { useCan } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { setFlash, useFlash } from '../../components/flash.ts';
import { splitServerError } from '../../components/forms.ts';
import { clientKeys, clientListQuery, clientsApi, type ClientDto } from './api.ts';

export function ClientStatusTag({ status }: { status: ClientDto['status'] }) {
  const { t } = useTranslation();
  return <Tag tone={status === 'open' ? 'ok' : 'quiet'}>{t(`clients.statuses.${status}`)}</Tag>;
}

/** A walk-in (issue #12, item 1): a name, and if the client gives them, a phone and a language. */
function WalkInForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', phone: '', language: '' });
  const [missing, setMissing] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      clientsApi.create({ intake: 'walk_in', name: form.name.trim(), ...(form.phone.trim() ? { phone: form.phone.trim() } : {}), ...(form.language.trim() ? { language: form.language.trim() } : {}) }),
    onSuccess: (client) => {
      void queryClient.invalidateQueries({ queryKey: clientKeys.all });
      setFlash(t('clients.walkIn.created', { name: client.name }));
      void navigate({ to: '/clients/$clientId', params: { clientId: client.id } });
    },
  });
  const labels = { name: t('clients.walkIn.name'), phone: t('clients.walkIn.phone'), language: t('clients.walkIn.language') };
  const placed = splitServerError(create.error, labels);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) return setMissing(true);
    create.mutate();
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <section className="lantern-section" aria-labelledby="walk-in-heading">
      <h2 id="walk-in-heading">{t('clients.walkIn.title')}</h2>
      <p className="lantern-muted">{t('clients.walkIn.lead')}</p>
      <form className="usa-form usa-form--large" noValidate onSubmit={submit}>
        {placed.form ? <ErrorAlert error={placed.form} /> : null}
        <TextField id="walk-in-name" label={labels.name} value={form.name} maxLength={NAME_MAX} autoComplete="off" onChange={set('name')} error={missing && !form.name.trim() ? t('form.required', { label: labels.name }) : placed.fields.name} />
        <TextField id="walk-in-phone" label={labels.phone} optional type="tel" value={form.phone} maxLength={PHONE_MAX} autoComplete="off" onChange={set('phone')} error={placed.fields.phone} />
        <TextField id="walk-in-language" label={labels.language} optional value={form.language} maxLength={40} onChange={set('language')} error={placed.fields.language} />
        <ul className="usa-button-group">
          <li className="usa-button-group__item">
            <button type="submit" className="usa-button" disabled={create.isPending}>
              {create.isPending ? t('common.saving') : t('clients.walkIn.submit')}
            </button>
          </li>
          <li className="usa-button-group__item">
            <button type="button" className="usa-button usa-button--outline" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          </li>
        </ul>
      </form>
    </section>
  );
}

/** `/clients`: the clients of my agency I may see (assigned, or all as a supervisor), and a walk-in. */
export function ClientsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const flash = useFlash();
  const list = useQuery(clientListQuery);
  const [walkIn, setWalkIn] = useState(false);
  const actions = (
    <>
      {can('client.create') && !walkIn ? (
        <button type="button" className="usa-button" onClick={() => setWalkIn(true)}>
          {t('clients.walkIn.open')}
        </button>
      ) : null}
      {can('client.report') ? (
        <Link to="/clients/report" className="usa-button usa-button--outline">
          {t('clients.reportLink')}
        </Link>
      ) : null}
    </>
  );

  return (
    <>
      <PageTitle title={t('clients.title')} lead={t('clients.lead')} actions={actions} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {walkIn ? <WalkInForm onCancel={() => setWalkIn(false)} /> : null}
      {list.isPending ? (
        <Loading label={t('clients.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.clients.length === 0 ? (
        <EmptyState heading={t('clients.emptyHeading')}>{t('clients.empty')}</EmptyState>
      ) : (
        <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-labelledby="clients-caption">
          <table className="usa-table usa-table--borderless">
            <caption id="clients-caption">{t('clients.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('clients.name')}</th>
                <th scope="col">{t('clients.status')}</th>
                <th scope="col">{t('clients.intake')}</th>
                <th scope="col">{t('clients.opened')}</th>
                <th scope="col">{t('clients.assigned')}</th>
                <th scope="col">{t('clients.releasesInEffect')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.clients.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to="/clients/$clientId" params={{ clientId: c.id }} className="usa-link">
                      {c.name}
                    </Link>
                  </th>
                  <td>
                    <ClientStatusTag status={c.status} />
                  </td>
                  <td>{t(`clients.intakes.${c.intake}`)}</td>
                  <td>
                    <DateTime value={c.openedAt} />
                  </td>
                  <td>{c.assignedTo.join(', ')}</td>
                  <td>{c.activeReleases}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
