import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SelectField } from '../../components/Field.tsx';
import { splitServerError } from '../../components/forms.ts';
import { clientKeys, clientsApi, type ClientDto } from './api.ts';

/**
 * Who works with the client (issue #12, item 1): the advocates assigned, and, for whoever may assign
 * (`client.assign`: the agency's supervisors), assigning another of the agency's advocates or ending an
 * assignment. An advocate who is unassigned no longer sees the record.
 */
export function AssignmentsSection({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState('');
  const [missing, setMissing] = useState(false);
  const done = (dto: ClientDto, message: string) => {
    queryClient.setQueryData(clientKeys.detail(client.id), dto);
    void queryClient.invalidateQueries({ queryKey: clientKeys.list });
    notify(message);
  };
  const assign = useMutation({
    mutationFn: (id: string) => clientsApi.assign(client.id, id),
    onSuccess: (dto, id) => {
      setUserId('');
      done(dto, t('clients.assignments.assigned', { name: dto.assignments.find((a) => a.userId === id)?.name ?? '' }));
    },
  });
  const unassign = useMutation({
    mutationFn: ({ userId: id }: { userId: string; name: string }) => clientsApi.unassign(client.id, id),
    onSuccess: (dto, { name }) => done(dto, t('clients.assignments.unassigned', { name })),
  });
  const mayAssign = Boolean(client.abilities['client.assign']);
  const label = t('clients.assignments.advocate');
  const placed = splitServerError(assign.error, { userId: label });
  return (
    <section className="lantern-section" aria-labelledby="client-assignments">
      <h2 id="client-assignments">{t('clients.assignments.heading')}</h2>
      <p className="lantern-muted">{t('clients.assignments.lead')}</p>
      {client.assignments.length === 0 ? (
        <p>{t('clients.assignments.empty')}</p>
      ) : (
        <ul className="usa-list" aria-labelledby="client-assignments">
          {client.assignments.map((a) => (
            <li key={a.userId}>
              <strong>{a.name}</strong>{' '}
              <span className="lantern-muted">
                {t('clients.assignments.since', { by: a.assignedBy })} <DateTime value={a.assignedAt} />
              </span>{' '}
              {mayAssign ? (
                <button type="button" className="usa-button usa-button--unstyled" disabled={unassign.isPending} onClick={() => unassign.mutate({ userId: a.userId, name: a.name })}>
                  {t('clients.assignments.unassign')}
                  <span className="usa-sr-only">: {a.name}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {unassign.error ? <ErrorAlert error={unassign.error} /> : null}
      {mayAssign ? (
        client.assignableAdvocates.length === 0 ? (
          <p>{t('clients.assignments.noneToAssign')}</p>
        ) : (
          <form
            className="usa-form usa-form--large"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!userId) return setMissing(true);
              assign.mutate(userId);
            }}
          >
            {placed.form ? <ErrorAlert error={placed.form} /> : null}
            <SelectField
              id="client-assign-advocate"
              label={label}
              value={userId}
              error={missing && !userId ? t('form.required', { label }) : placed.fields.userId}
              onChange={(e) => {
                setUserId(e.target.value);
                setMissing(false);
              }}
            >
              <option value="">{t('form.select')}</option>
              {client.assignableAdvocates.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="usa-button usa-button--outline" disabled={assign.isPending}>
              {assign.isPending ? t('common.saving') : t('clients.assignments.assign')}
            </button>
          </form>
        )
      ) : null}
    </section>
  );
}
