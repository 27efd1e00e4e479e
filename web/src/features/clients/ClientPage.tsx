import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { NATIONALITIES, SERVICE_CATEGORIES, TRAFFICKING_TYPES, type ServiceCategory } from '../../../../common/clients.ts';
import { LONG_TEXT_MAX, SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import { ApiError } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Checkbox, Fieldset, SelectField, TextareaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { Tag } from '../../components/Tag.tsx';
import { useFlash } from '../../components/flash.ts';
import { formatDate } from '../../components/format.ts';
import { splitServerError } from '../../components/forms.ts';
import { clientKeys, clientQuery, clientsApi, type ClientDto, type UpdateClientInput } from './api.ts';
import { ClientStatusTag } from './ClientsPage.tsx';
import { serviceLabel } from './labels.ts';
import { AssignmentsSection } from './Assignments.tsx';
import { DocumentsSection } from './Documents.tsx';
import { ReleasesSection } from './Releases.tsx';
import { toggled } from './release-draft.ts';

const route = getRouteApi('/app/clients/$clientId');

const day = (d: string) => formatDate(`${d}T12:00:00`);
const today = () => {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

/** A change to the record against the version read; a 409 reloads the record and says why. */
function useUpdate(client: ClientDto, onDone: (notice: string) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ change }: { change: Omit<UpdateClientInput, 'version'>; notice: string }) => clientsApi.update(client.id, { ...change, version: client.version }),
    onSuccess: (dto, { notice }) => {
      queryClient.setQueryData(clientKeys.detail(client.id), dto);
      void queryClient.invalidateQueries({ queryKey: clientKeys.list });
      onDone(notice);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) void queryClient.invalidateQueries({ queryKey: clientKeys.detail(client.id) });
    },
  });
}

function UpdateError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 409) return <ErrorAlert error={new ApiError(409, error.code, t('clients.detail.conflict'))} />;
  return <ErrorAlert error={error} />;
}

function Details({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ phone: client.phone ?? '', language: client.language ?? '', traffickingType: client.traffickingType, nationality: client.nationality });
  const update = useUpdate(client, notify);
  const editable = client.abilities['client.update'];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({
      change: { phone: form.phone.trim() || null, ...(form.language.trim() ? { language: form.language.trim() } : {}), traffickingType: form.traffickingType, nationality: form.nationality },
      notice: t('clients.detail.detailsSaved'),
    });
  };
  return (
    <section className="lantern-section lantern-section--first" aria-labelledby="client-details">
      <h2 id="client-details">{t('clients.detail.detailsHeading')}</h2>
      <dl className="lantern-facts">
        <dt>{t('clients.detail.status')}</dt>
        <dd>
          <ClientStatusTag status={client.status} /> {client.closedAt ? <DateTime value={client.closedAt} /> : null}
          {client.closeReason ? ` — ${client.closeReason}` : null}
        </dd>
        <dt>{t('clients.intake')}</dt>
        <dd>{t(`clients.intakes.${client.intake}`)}</dd>
        <dt>{t('clients.detail.opened')}</dt>
        <dd>
          <DateTime value={client.openedAt} />
        </dd>
        <dt>{t('clients.detail.assigned')}</dt>
        <dd>{client.assignedTo.join(', ')}</dd>
      </dl>
      {editable ? (
        <form className="usa-form usa-form--large" noValidate onSubmit={submit}>
          <UpdateError error={update.error} />
          <TextField id="client-phone" type="tel" label={t('clients.detail.phone')} optional value={form.phone} onChange={(e) => setForm((f) => ({ ...f, phone: e.target.value }))} />
          <TextField id="client-language" label={t('clients.detail.language')} optional value={form.language} maxLength={40} onChange={(e) => setForm((f) => ({ ...f, language: e.target.value }))} />
          <SelectField id="client-trafficking-type" label={t('clients.detail.traffickingType')} value={form.traffickingType} onChange={(e) => setForm((f) => ({ ...f, traffickingType: e.target.value as ClientDto['traffickingType'] }))}>
            {TRAFFICKING_TYPES.map((v) => (
              <option key={v} value={v}>
                {t(`clients.traffickingTypes.${v}`)}
              </option>
            ))}
          </SelectField>
          <SelectField id="client-nationality" label={t('clients.detail.nationality')} value={form.nationality} onChange={(e) => setForm((f) => ({ ...f, nationality: e.target.value as ClientDto['nationality'] }))}>
            {NATIONALITIES.map((v) => (
              <option key={v} value={v}>
                {t(`clients.nationalities.${v}`)}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="usa-button usa-button--outline" disabled={update.isPending}>
            {update.isPending ? t('common.saving') : t('clients.detail.saveDetails')}
          </button>
        </form>
      ) : (
        <dl className="lantern-facts">
          <dt>{t('clients.detail.phone')}</dt>
          <dd>{client.phone ?? t('clients.detail.none')}</dd>
          <dt>{t('clients.detail.language')}</dt>
          <dd>{client.language ?? t('clients.detail.none')}</dd>
          <dt>{t('clients.detail.traffickingType')}</dt>
          <dd>{t(`clients.traffickingTypes.${client.traffickingType}`)}</dd>
          <dt>{t('clients.detail.nationality')}</dt>
          <dd>{t(`clients.nationalities.${client.nationality}`)}</dd>
        </dl>
      )}
    </section>
  );
}

function Needs({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const [needs, setNeeds] = useState<ServiceCategory[]>(client.needs);
  const update = useUpdate(client, notify);
  const editable = Boolean(client.abilities['client.update']);
  return (
    <section className="lantern-section" aria-labelledby="client-needs">
      <h2 id="client-needs">{t('clients.detail.needsHeading')}</h2>
      <form
        className="usa-form usa-form--large"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ change: { needs }, notice: t('clients.detail.needsSaved') });
        }}
      >
        <UpdateError error={update.error} />
        <Fieldset legend={t('clients.detail.needsLegend')}>
          <div className="lantern-checkbox-columns">
            {SERVICE_CATEGORIES.map((c) => (
              <Checkbox key={c} id={`client-need-${c}`} label={serviceLabel(c)} checked={needs.includes(c)} disabled={!editable} onChange={(e) => setNeeds((n) => toggled(SERVICE_CATEGORIES, n, c, e.target.checked))} />
            ))}
          </div>
        </Fieldset>
        {editable ? (
          <button type="submit" className="usa-button usa-button--outline" disabled={update.isPending}>
            {update.isPending ? t('common.saving') : t('clients.detail.saveNeeds')}
          </button>
        ) : null}
      </form>
    </section>
  );
}

function SafetyPlan({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const [plan, setPlan] = useState(client.safetyPlan ?? '');
  const update = useUpdate(client, notify);
  const editable = Boolean(client.abilities['client.update']);
  return (
    <section className="lantern-section" aria-labelledby="client-safety-plan">
      <h2 id="client-safety-plan">{t('clients.detail.safetyPlanHeading')}</h2>
      {client.safetyPlanUpdatedAt ? (
        <p className="lantern-muted">
          {t('clients.detail.safetyPlanUpdated')} <DateTime value={client.safetyPlanUpdatedAt} />
        </p>
      ) : null}
      <form
        className="usa-form usa-form--large lantern-form-wide"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ change: { safetyPlan: plan.trim() || null }, notice: t('clients.detail.safetyPlanSaved') });
        }}
      >
        <UpdateError error={update.error} />
        <TextareaField id="client-safety-plan-text" label={t('clients.detail.safetyPlan')} hint={t('clients.detail.safetyPlanHint')} rows={6} maxLength={LONG_TEXT_MAX} value={plan} readOnly={!editable} onChange={(e) => setPlan(e.target.value)} />
        {editable ? (
          <button type="submit" className="usa-button usa-button--outline" disabled={update.isPending}>
            {update.isPending ? t('common.saving') : t('clients.detail.saveSafetyPlan')}
          </button>
        ) : null}
      </form>
    </section>
  );
}

function Services({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ category: '' as ServiceCategory | '', providedOn: today(), note: '' });
  const [missing, setMissing] = useState(false);
  const add = useMutation({
    mutationFn: () => clientsApi.addService(client.id, { category: form.category as ServiceCategory, providedOn: form.providedOn, ...(form.note.trim() ? { note: form.note.trim() } : {}) }),
    onSuccess: (dto) => {
      queryClient.setQueryData(clientKeys.detail(client.id), dto);
      setForm((f) => ({ ...f, note: '' }));
      notify(t('clients.detail.serviceAdded'));
    },
  });
  const labels = { category: t('clients.detail.serviceCategory'), providedOn: t('clients.detail.providedOn'), note: t('clients.detail.serviceNote') };
  const placed = splitServerError(add.error, labels);
  return (
    <section className="lantern-section" aria-labelledby="client-services">
      <h2 id="client-services">{t('clients.detail.servicesHeading')}</h2>
      {client.services.length === 0 ? (
        <p>{t('clients.detail.servicesEmpty')}</p>
      ) : (
        <ul className="usa-list" aria-labelledby="client-services">
          {client.services.map((s) => (
            <li key={s.id}>
              <strong>{serviceLabel(s.category)}</strong> — {day(s.providedOn)} {s.part2 ? <Tag tone="warn">{t('clients.detail.part2')}</Tag> : null}
              {s.note ? `: ${s.note}` : ''} <span className="lantern-muted">{t('clients.detail.recordedBy', { name: s.recordedBy })}</span>
            </li>
          ))}
        </ul>
      )}
      {client.abilities['client.update'] ? (
        <form
          className="usa-form usa-form--large"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!form.category || !form.providedOn) return setMissing(true);
            add.mutate();
          }}
        >
          {placed.form ? <ErrorAlert error={placed.form} /> : null}
          <SelectField
            id="client-service-category"
            label={labels.category}
            value={form.category}
            error={missing && !form.category ? t('form.required', { label: labels.category }) : placed.fields.category}
            onChange={(e) => setForm((f) => ({ ...f, category: e.target.value as ServiceCategory }))}
          >
            <option value="">{t('form.select')}</option>
            {SERVICE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {serviceLabel(c)}
              </option>
            ))}
          </SelectField>
          <TextField
            id="client-service-date"
            type="date"
            label={labels.providedOn}
            value={form.providedOn}
            max={today()}
            error={missing && !form.providedOn ? t('form.required', { label: labels.providedOn }) : placed.fields.providedOn}
            onChange={(e) => setForm((f) => ({ ...f, providedOn: e.target.value }))}
          />
          <TextField id="client-service-note" label={labels.note} optional value={form.note} maxLength={SHORT_TEXT_MAX} error={placed.fields.note} onChange={(e) => setForm((f) => ({ ...f, note: e.target.value }))} />
          <button type="submit" className="usa-button usa-button--outline" disabled={add.isPending}>
            {add.isPending ? t('common.saving') : t('clients.detail.addService')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Notes({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () => clientsApi.addNote(client.id, text.trim()),
    onSuccess: (dto) => {
      queryClient.setQueryData(clientKeys.detail(client.id), dto);
      setText('');
      notify(t('clients.detail.noteAdded'));
    },
  });
  return (
    <section className="lantern-section" aria-labelledby="client-notes">
      <h2 id="client-notes">{t('clients.detail.notesHeading')}</h2>
      {client.notes.length === 0 ? (
        <p>{t('clients.detail.notesEmpty')}</p>
      ) : (
        <ol className="lantern-note-history" aria-labelledby="client-notes">
          {client.notes.map((n) => (
            <li key={n.id} className="lantern-note-history__item">
              <p className="lantern-note-history__meta">
                <DateTime value={n.at} /> · {t('clients.detail.noteBy', { name: n.author })}
              </p>
              <p className="lantern-briefing">{n.text}</p>
            </li>
          ))}
        </ol>
      )}
      {client.abilities['client.update'] ? (
        <form
          className="usa-form usa-form--large lantern-form-wide"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) add.mutate();
          }}
        >
          {add.error ? <ErrorAlert error={add.error} /> : null}
          <TextareaField id="client-note-text" label={t('clients.detail.newNote')} rows={3} maxLength={LONG_TEXT_MAX} value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="usa-button usa-button--outline" disabled={add.isPending || !text.trim()}>
            {add.isPending ? t('common.saving') : t('clients.detail.addNote')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** Closing needs a reason (a dialog asks for it); reopening only a confirmation. */
function CloseOrReopen({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const update = useUpdate(client, (n) => {
    setAsking(false);
    notify(n);
  });
  if (!client.abilities['client.update']) return null;
  const cancel = () => {
    update.reset();
    setAsking(false);
  };
  return (
    <section className="lantern-section" aria-labelledby="client-close">
      <h2 id="client-close">{t('clients.detail.closeHeading')}</h2>
      <button type="button" className={client.status === 'open' ? 'usa-button usa-button--secondary' : 'usa-button usa-button--outline'} onClick={() => setAsking(true)}>
        {client.status === 'open' ? t('clients.detail.close') : t('clients.detail.reopen')}
      </button>
      {client.status === 'open' ? (
        <PromptDialog
          open={asking}
          title={t('clients.detail.closeTitle')}
          label={t('clients.detail.closeReasonLabel')}
          requiredMessage={t('clients.detail.closeReasonRequired')}
          maxLength={SHORT_TEXT_MAX}
          confirmLabel={t('clients.detail.close')}
          danger
          pending={update.isPending}
          error={update.error}
          onSubmit={(reason) => update.mutate({ change: { status: 'closed', closeReason: reason }, notice: t('clients.detail.closedNotice') })}
          onCancel={cancel}
        >
          {t('clients.detail.closeBody')}
        </PromptDialog>
      ) : (
        <ConfirmDialog
          open={asking}
          title={t('clients.detail.reopenTitle')}
          confirmLabel={t('clients.detail.reopen')}
          pending={update.isPending}
          onConfirm={() => update.mutate({ change: { status: 'open' }, notice: t('clients.detail.reopenedNotice') })}
          onCancel={cancel}
        >
          {t('clients.detail.reopenBody')}
        </ConfirmDialog>
      )}
      {!asking && update.error ? <UpdateError error={update.error} /> : null}
    </section>
  );
}

/**
 * `/clients/$clientId` (issue #12, items 1 and 2): the client's details, who is assigned, needs, safety
 * plan, services, documents, dated notes, releases of information and their shares, and closing. Forms are keyed by the record's
 * version so a reload after someone else's change shows theirs.
 */
export function ClientPage() {
  const { t } = useTranslation();
  const { clientId } = route.useParams();
  const flash = useFlash();
  const client = useQuery(clientQuery(clientId));
  const [notice, setNotice] = useState<string>();
  if (client.isPending) return <Loading label={t('clients.detail.loading')} />;
  if (client.isError)
    return (
      <>
        <BackLink to="/clients">{t('clients.title')}</BackLink>
        <PageTitle title={t('clients.detail.unavailable')} />
        <LoadError error={client.error} />
      </>
    );
  const c = client.data;
  const shown = notice ?? flash;
  return (
    <>
      <BackLink to="/clients">{t('clients.title')}</BackLink>
      <PageTitle title={c.name} actions={<ClientStatusTag status={c.status} />} />
      {shown ? (
        <Alert type="success" slim>
          {shown}
        </Alert>
      ) : null}
      <Details key={`details-${c.version}`} client={c} notify={setNotice} />
      <AssignmentsSection client={c} notify={setNotice} />
      <Needs key={`needs-${c.version}`} client={c} notify={setNotice} />
      <SafetyPlan key={`plan-${c.version}`} client={c} notify={setNotice} />
      <Services client={c} notify={setNotice} />
      <DocumentsSection client={c} notify={setNotice} />
      <ReleasesSection client={c} notify={setNotice} />
      <Notes client={c} notify={setNotice} />
      <CloseOrReopen client={c} notify={setNotice} />
    </>
  );
}
