import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { NAME_MAX, SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import { taskForces } from '../../api/endpoints.ts';
import { agenciesQuery, keys, taskForceQuery, taskForcesQuery } from '../../api/queries.ts';
import type { CreateTaskForceInput, TaskForceDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Checkbox, Fieldset, SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { setFlash, useFlash } from '../../components/flash.ts';
import { hasErrors, splitServerError, useErrorFocus, type FieldErrors } from '../../components/forms.ts';

/**
 * The member agencies' coordinators and their phones, for partners planning together. The server
 * answers only a member of the task force (`taskForce.readContacts`), so the section shows only then.
 */
function PartnerContacts({ tf }: { tf: TaskForceDto }) {
  const { t } = useTranslation();
  const contacts = useQuery({ queryKey: [...keys.taskForce(tf.id), 'contacts'], queryFn: ({ signal }) => taskForces.contacts(tf.id, signal) });
  return (
    <section className="lantern-section" aria-labelledby="tf-contacts-heading">
      <h2 id="tf-contacts-heading">{t('taskForces.contactsHeading')}</h2>
      <p>{t('taskForces.contactsLead')}</p>
      {contacts.isPending ? (
        <Loading label={t('taskForces.contactsLoading')} />
      ) : contacts.isError ? (
        <LoadError error={contacts.error} />
      ) : (
        <div className="lantern-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked">
            <caption className="usa-sr-only">{t('taskForces.contactsCaption', { name: tf.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('taskForces.contactAgency')}</th>
                <th scope="col">{t('taskForces.contactName')}</th>
                <th scope="col">{t('taskForces.contactPhone')}</th>
                <th scope="col">{t('taskForces.contactEmail')}</th>
              </tr>
            </thead>
            <tbody>
              {contacts.data.agencies.flatMap((a) =>
                a.contacts.length === 0
                  ? [
                      <tr key={a.agencyId}>
                        <th scope="row" data-label={t('taskForces.contactAgency')}>
                          {a.name}
                        </th>
                        <td data-label={t('taskForces.contactName')} className="lantern-muted">
                          {t('taskForces.noCoordinator')}
                        </td>
                        <td data-label={t('taskForces.contactPhone')} />
                        <td data-label={t('taskForces.contactEmail')} />
                      </tr>,
                    ]
                  : a.contacts.map((c) => (
                      <tr key={c.userId}>
                        <th scope="row" data-label={t('taskForces.contactAgency')}>
                          {a.name}
                        </th>
                        <td data-label={t('taskForces.contactName')}>{c.name}</td>
                        <td data-label={t('taskForces.contactPhone')}>
                          {c.phone ? <a className="usa-link" href={`tel:${c.phone.replace(/[^0-9+]/g, '')}`}>{c.phone}</a> : <span className="lantern-muted">{t('taskForces.noPhone')}</span>}
                        </td>
                        <td data-label={t('taskForces.contactEmail')}>
                          <a className="usa-link" href={`mailto:${c.email}`}>
                            {c.email}
                          </a>
                        </td>
                      </tr>
                    )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function leadName(tf: TaskForceDto): string | undefined {
  return tf.members.find((m) => m.agencyId === tf.leadAgencyId)?.name;
}

/** Task forces the user's agency belongs to (or all, for a platform administrator). */
export function TaskForcesPage() {
  const { t } = useTranslation();
  const flash = useFlash();
  const list = useQuery(taskForcesQuery);
  const canCreate = list.data?.abilities['taskForce.create'] === true;
  const createButton = canCreate ? (
    <Link to="/admin/task-forces/new" className="usa-button">
      {t('taskForces.add')}
    </Link>
  ) : null;

  return (
    <>
      <PageTitle title={t('taskForces.title')} lead={t('taskForces.lead')} actions={createButton} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {list.isPending ? (
        <Loading label={t('taskForces.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.taskForces.length === 0 ? (
        <EmptyState heading={t('taskForces.emptyHeading')} action={createButton}>
          {canCreate ? t('taskForces.emptyCanCreate') : t('taskForces.empty')}
        </EmptyState>
      ) : (
        <div className="lantern-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked">
            <caption className="usa-sr-only">{t('taskForces.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('taskForces.name')}</th>
                <th scope="col">{t('taskForces.leadAgency')}</th>
                <th scope="col">{t('taskForces.memberCount')}</th>
                <th scope="col">{t('common.added')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.taskForces.map((tf) => (
                <tr key={tf.id}>
                  <th scope="row" data-label={t('taskForces.name')}>
                    <Link to="/admin/task-forces/$taskForceId" params={{ taskForceId: tf.id }} className="usa-link">
                      {tf.name}
                    </Link>
                  </th>
                  <td data-label={t('taskForces.leadAgency')}>{leadName(tf) ?? t('common.unknown')}</td>
                  <td data-label={t('taskForces.memberCount')}>{tf.members.length}</td>
                  <td data-label={t('common.added')}>
                    <DateTime value={tf.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type Field = 'name' | 'description' | 'leadAgencyId' | 'memberAgencyIds';

/** A new task force: name, purpose, the lead agency and the agencies that join at the start. */
export function TaskForceNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const agencyList = useQuery(agenciesQuery);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [leadAgencyId, setLead] = useState('');
  const [members, setMembers] = useState<Set<string>>(new Set());
  const [clientErrors, setClientErrors] = useState<FieldErrors<Field>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const create = useMutation({
    mutationFn: (input: CreateTaskForceInput) => taskForces.create(input),
    onSuccess: async (tf) => {
      await queryClient.invalidateQueries({ queryKey: keys.taskForces });
      await queryClient.invalidateQueries({ queryKey: keys.me });
      setFlash(t('taskForces.created', { name: tf.name }));
      await navigate({ to: '/admin/task-forces/$taskForceId', params: { taskForceId: tf.id } });
    },
    onError: () => focusFirstError(),
  });

  const labels: Record<Field, string> = {
    name: t('taskForces.name'),
    description: t('taskForces.description'),
    leadAgencyId: t('taskForces.leadAgency'),
    memberAgencyIds: t('taskForces.members'),
  };
  const server = splitServerError(create.error, labels);
  const errors: FieldErrors<Field> = { ...server.fields, ...clientErrors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.reset();
    const next: FieldErrors<Field> = {};
    if (!name.trim()) next.name = t('form.required', { label: labels.name });
    if (!leadAgencyId) next.leadAgencyId = t('taskForces.leadRequired');
    setClientErrors(next);
    if (hasErrors(next)) {
      focusFirstError();
      return;
    }
    create.mutate({
      name: name.trim(),
      description: description.trim() || undefined,
      leadAgencyId,
      memberAgencyIds: [...members].filter((id) => id !== leadAgencyId),
    });
  };

  const toggle = (id: string, on: boolean) =>
    setMembers((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const options = agencyList.data?.agencies ?? [];

  return (
    <>
      <BackLink to="/admin/task-forces">{t('taskForces.title')}</BackLink>
      <PageTitle title={t('taskForces.newTitle')} lead={t('taskForces.newLead')} />
      {agencyList.isPending ? (
        <Loading label={t('agencies.loading')} />
      ) : agencyList.isError ? (
        <LoadError error={agencyList.error} />
      ) : (
        <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit}>
          {server.form ? <ErrorAlert error={server.form} /> : null}
          <TextField id="tf-name" label={labels.name} value={name} maxLength={NAME_MAX} onChange={(e) => setName(e.target.value)} error={errors.name} />
          <TextareaField
            id="tf-description"
            label={labels.description}
            hint={t('taskForces.descriptionHint')}
            optional
            rows={3}
            maxLength={SHORT_TEXT_MAX}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            error={errors.description}
          />
          <SelectField
            id="tf-lead"
            label={labels.leadAgencyId}
            hint={t('taskForces.leadHint')}
            value={leadAgencyId}
            onChange={(e) => setLead(e.target.value)}
            error={errors.leadAgencyId}
          >
            <option value="">{t('form.select')}</option>
            {options.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
          <Fieldset legend={labels.memberAgencyIds} hint={t('taskForces.membersHint')} error={errors.memberAgencyIds}>
            {options
              .filter((a) => a.id !== leadAgencyId)
              .map((a) => (
                <Checkbox
                  key={a.id}
                  id={`tf-member-${a.id}`}
                  label={a.name}
                  description={t(`agencyKinds.${a.kind}`)}
                  checked={members.has(a.id)}
                  onChange={(e) => toggle(a.id, e.target.checked)}
                />
              ))}
          </Fieldset>
          <div className="lantern-actions">
            <button type="submit" className="usa-button" disabled={create.isPending}>
              {create.isPending ? t('common.saving') : t('taskForces.add')}
            </button>
            <Link to="/admin/task-forces" className="usa-button usa-button--unstyled">
              {t('common.cancel')}
            </Link>
          </div>
        </form>
      )}
    </>
  );
}

const detailRoute = getRouteApi('/app/admin/task-forces/$taskForceId');

/** One task force: its members, and adding or removing agencies for those allowed. */
export function TaskForceDetailPage() {
  const { t } = useTranslation();
  const { taskForceId } = detailRoute.useParams();
  const flash = useFlash();
  const queryClient = useQueryClient();
  const query = useQuery(taskForceQuery(taskForceId));
  const tf = query.data;
  const canAdd = tf?.abilities?.['taskForce.addAgency'] === true;
  const canRemove = tf?.abilities?.['taskForce.removeAgency'] === true;
  const agencyList = useQuery({ ...agenciesQuery, enabled: canAdd });
  const [addId, setAddId] = useState('');
  const [addError, setAddError] = useState<string>();
  const [removing, setRemoving] = useState<{ agencyId: string; name: string }>();
  const [notice, setNotice] = useState<string>();

  const store = (updated: TaskForceDto) => {
    queryClient.setQueryData(keys.taskForce(taskForceId), updated);
    void queryClient.invalidateQueries({ queryKey: keys.taskForces, exact: true });
    void queryClient.invalidateQueries({ queryKey: keys.me });
  };

  const add = useMutation({
    mutationFn: (agencyId: string) => taskForces.addAgency(taskForceId, agencyId),
    onSuccess: (updated, agencyId) => {
      store(updated);
      setAddId('');
      setNotice(t('taskForces.agencyAdded', { name: updated.members.find((m) => m.agencyId === agencyId)?.name ?? '' }));
    },
  });

  const remove = useMutation({
    mutationFn: (agencyId: string) => taskForces.removeAgency(taskForceId, agencyId),
    onSuccess: (updated) => {
      store(updated);
      setNotice(t('taskForces.agencyRemoved', { name: removing?.name ?? '' }));
    },
    onSettled: () => setRemoving(undefined),
  });

  if (!tf) {
    return (
      <>
        <BackLink to="/admin/task-forces">{t('taskForces.title')}</BackLink>
        <PageTitle title={t('taskForces.detailTitleLoading')} />
        {query.isPending ? <Loading /> : <LoadError error={query.error} />}
      </>
    );
  }

  const memberIds = new Set(tf.members.map((m) => m.agencyId));
  const candidates = (agencyList.data?.agencies ?? []).filter((a) => !memberIds.has(a.id));
  const addServer = splitServerError(add.error, { agencyId: t('taskForces.addAgencyLabel') });

  const submitAdd = (event: FormEvent) => {
    event.preventDefault();
    add.reset();
    setNotice(undefined);
    if (!addId) {
      setAddError(t('taskForces.addAgencyRequired'));
      return;
    }
    setAddError(undefined);
    add.mutate(addId);
  };

  return (
    <>
      <BackLink to="/admin/task-forces">{t('taskForces.title')}</BackLink>
      <PageTitle title={tf.name} lead={tf.description ?? undefined} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}
      {remove.error ? <ErrorAlert error={remove.error} /> : null}

      <section className="lantern-section" aria-labelledby="tf-members-heading">
        <h2 id="tf-members-heading">{t('taskForces.membersHeading', { count: tf.members.length })}</h2>
        <div className="lantern-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked">
            <caption className="usa-sr-only">{t('taskForces.membersCaption', { name: tf.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agencies.name')}</th>
                <th scope="col">{t('agencies.kind')}</th>
                <th scope="col">{t('taskForces.joined')}</th>
                {canRemove ? (
                  <th scope="col">
                    <span className="usa-sr-only">{t('common.actions')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {tf.members.map((m) => (
                <tr key={m.agencyId}>
                  <th scope="row" data-label={t('agencies.name')}>
                    {m.name} {m.agencyId === tf.leadAgencyId ? <Tag tone="info">{t('taskForces.lead')}</Tag> : null}
                  </th>
                  <td data-label={t('agencies.kind')}>{t(`agencyKinds.${m.kind}`)}</td>
                  <td data-label={t('taskForces.joined')}>
                    <DateTime value={m.joinedAt} />
                  </td>
                  {canRemove ? (
                    <td className="lantern-table-actions" data-label={t('common.actions')}>
                      {m.agencyId === tf.leadAgencyId ? null : (
                        <button
                          type="button"
                          className="usa-button usa-button--unstyled"
                          onClick={() => {
                            setNotice(undefined);
                            setRemoving({ agencyId: m.agencyId, name: m.name });
                          }}
                        >
                          {t('taskForces.remove')}
                          <span className="usa-sr-only"> {m.name}</span>
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {tf.abilities?.['taskForce.readContacts'] ? <PartnerContacts tf={tf} /> : null}

      {canAdd ? (
        <section className="lantern-section" aria-labelledby="tf-add-heading">
          <h2 id="tf-add-heading">{t('taskForces.addAgencyHeading')}</h2>
          {agencyList.isPending ? (
            <Loading label={t('agencies.loading')} />
          ) : agencyList.isError ? (
            <LoadError error={agencyList.error} />
          ) : candidates.length === 0 ? (
            <p className="lantern-muted">{t('taskForces.noCandidates')}</p>
          ) : (
            <form className="usa-form lantern-inline-form" noValidate onSubmit={submitAdd}>
              {addServer.form ? <ErrorAlert error={addServer.form} /> : null}
              <SelectField
                id="tf-add-agency"
                label={t('taskForces.addAgencyLabel')}
                value={addId}
                onChange={(e) => setAddId(e.target.value)}
                error={addError ?? addServer.fields.agencyId}
              >
                <option value="">{t('form.select')}</option>
                {candidates.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </SelectField>
              <button type="submit" className="usa-button" disabled={add.isPending}>
                {add.isPending ? t('common.working') : t('taskForces.addAgency')}
              </button>
            </form>
          )}
        </section>
      ) : null}

      <ConfirmDialog
        open={removing !== undefined}
        title={t('taskForces.removeTitle', { name: removing?.name ?? '' })}
        confirmLabel={t('taskForces.remove')}
        danger
        pending={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing.agencyId)}
        onCancel={() => setRemoving(undefined)}
      >
        {t('taskForces.removeBody', { name: removing?.name ?? '', taskForce: tf.name })}
      </ConfirmDialog>
    </>
  );
}
