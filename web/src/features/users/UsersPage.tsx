import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { agenciesQuery, usersQuery } from '../../api/queries.ts';
import { Alert } from '../../components/Alert.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useFlash } from '../../components/flash.ts';
import { UserStatus } from './UserStatus.tsx';

const route = getRouteApi('/app/admin/users');

/** People the user may manage, filtered by agency and a name/email search kept in the URL. */
export function UsersPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  const flash = useFlash();
  const [q, setQ] = useState(search.q ?? '');
  const [agencyId, setAgencyId] = useState(search.agencyId ?? '');
  const list = useQuery(usersQuery({ q: search.q, agencyId: search.agencyId }));
  const agencyList = useQuery({ ...agenciesQuery, retry: false });
  // Only the agencies whose people this administrator manages (their own; every one for the platform's).
  const agencies = (agencyList.data?.agencies ?? []).filter((a) => a.abilities?.['agency.update'] === true);
  const canCreate = list.data?.abilities['user.create'] === true;
  const filtered = Boolean(search.q || search.agencyId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate({
      to: '/admin/users',
      search: { ...(q.trim() ? { q: q.trim() } : {}), ...(agencyId ? { agencyId } : {}) },
    });
  };

  const clear = () => {
    setQ('');
    setAgencyId('');
    void navigate({ to: '/admin/users', search: {} });
  };

  const createButton = canCreate ? (
    <Link to="/admin/users/new" className="usa-button">
      {t('users.add')}
    </Link>
  ) : null;

  return (
    <>
      <PageTitle title={t('users.title')} lead={t('users.lead')} actions={createButton} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      <form className="usa-form lantern-inline-form" role="search" aria-label={t('users.searchLabel')} onSubmit={submit}>
        <TextField id="users-q" type="search" label={t('users.search')} hint={t('users.searchHint')} value={q} onChange={(e) => setQ(e.target.value)} maxLength={100} />
        {agencies.length > 1 ? (
          <SelectField id="users-agency" label={t('users.agency')} value={agencyId} onChange={(e) => setAgencyId(e.target.value)}>
            <option value="">{t('users.allAgencies')}</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        <div className="lantern-actions">
          <button type="submit" className="usa-button usa-button--outline">
            {t('users.filter')}
          </button>
          {filtered ? (
            <button type="button" className="usa-button usa-button--unstyled" onClick={clear}>
              {t('users.clearFilter')}
            </button>
          ) : null}
        </div>
      </form>

      {list.isPending ? (
        <Loading label={t('users.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.users.length === 0 ? (
        filtered ? (
          <EmptyState heading={t('users.noMatchesHeading')}>{t('users.noMatches')}</EmptyState>
        ) : (
          <EmptyState heading={t('users.emptyHeading')} action={createButton}>
            {canCreate ? t('users.emptyCanCreate') : t('users.empty')}
          </EmptyState>
        )
      ) : (
        <div className="lantern-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked">
            <caption className="usa-sr-only">{t('users.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.name')}</th>
                <th scope="col">{t('users.agency')}</th>
                <th scope="col">{t('users.roles')}</th>
                <th scope="col">{t('users.statusHeading')}</th>
                <th scope="col">{t('users.lastSignIn')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.users.map((user) => (
                <tr key={user.id}>
                  <th scope="row" data-label={t('users.name')}>
                    <Link to="/admin/users/$userId" params={{ userId: user.id }} className="usa-link">
                      {user.displayName}
                    </Link>
                    <br />
                    <span className="lantern-muted">{user.email}</span>
                  </th>
                  <td data-label={t('users.agency')}>{user.agencyName}</td>
                  <td data-label={t('users.roles')}>{user.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
                  <td data-label={t('users.statusHeading')}>
                    <UserStatus user={user} />
                  </td>
                  <td data-label={t('users.lastSignIn')}>
                    {user.lastLoginAt ? <DateTime value={user.lastLoginAt} /> : <span className="lantern-muted">{t('users.never')}</span>}
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
