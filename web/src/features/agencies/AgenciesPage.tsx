import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { agencies } from '../../api/endpoints.ts';
import { agenciesQuery, agencyQuery, keys } from '../../api/queries.ts';
import type { CreateAgencyInput } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { setFlash, useFlash } from '../../components/flash.ts';
import { AgencyForm, agencyToValues } from './AgencyForm.tsx';

/** Agencies this user can see, with "Add agency" for those who may create them. */
export function AgenciesPage() {
  const { t } = useTranslation();
  const flash = useFlash();
  const list = useQuery(agenciesQuery);
  const canCreate = list.data?.abilities['agency.create'] === true;

  return (
    <>
      <PageTitle
        title={t('agencies.title')}
        lead={t('agencies.lead')}
        actions={
          canCreate ? (
            <Link to="/admin/agencies/new" className="usa-button">
              {t('agencies.add')}
            </Link>
          ) : null
        }
      />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {list.isPending ? (
        <Loading label={t('agencies.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.agencies.length === 0 ? (
        <EmptyState
          heading={t('agencies.emptyHeading')}
          action={
            canCreate ? (
              <Link to="/admin/agencies/new" className="usa-button">
                {t('agencies.add')}
              </Link>
            ) : null
          }
        >
          {canCreate ? t('agencies.emptyCanCreate') : t('agencies.empty')}
        </EmptyState>
      ) : (
        <div className="lantern-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked">
            <caption className="usa-sr-only">{t('agencies.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agencies.name')}</th>
                <th scope="col">{t('agencies.kind')}</th>
                <th scope="col">{t('agencies.ori')}</th>
                <th scope="col">{t('agencies.countiesShort')}</th>
                <th scope="col">{t('common.added')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.agencies.map((agency) => (
                <tr key={agency.id}>
                  <th scope="row" data-label={t('agencies.name')}>
                    {agency.abilities?.['agency.update'] ? (
                      <Link to="/admin/agencies/$agencyId" params={{ agencyId: agency.id }} className="usa-link">
                        {agency.name}
                      </Link>
                    ) : (
                      agency.name
                    )}
                    {agency.shortName ? <span className="lantern-muted"> ({agency.shortName})</span> : null}
                  </th>
                  <td data-label={t('agencies.kind')}>{t(`agencyKinds.${agency.kind}`)}</td>
                  <td data-label={t('agencies.ori')} className="lantern-code">
                    {agency.ori ?? <span className="lantern-muted">{t('common.none')}</span>}
                  </td>
                  <td data-label={t('agencies.countiesShort')}>
                    {agency.counties.length ? agency.counties.join(', ') : <span className="lantern-muted">{t('common.none')}</span>}
                  </td>
                  <td data-label={t('common.added')}>
                    <DateTime value={agency.createdAt} />
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

export function AgencyNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (input: CreateAgencyInput) => agencies.create(input),
    onSuccess: async (agency) => {
      await queryClient.invalidateQueries({ queryKey: keys.agencies });
      setFlash(t('agencies.created', { name: agency.name }));
      await navigate({ to: '/admin/agencies' });
    },
  });
  return (
    <>
      <BackLink to="/admin/agencies">{t('agencies.title')}</BackLink>
      <PageTitle title={t('agencies.newTitle')} lead={t('agencies.newLead')} />
      <AgencyForm
        initial={agencyToValues()}
        submitLabel={t('agencies.add')}
        pending={create.isPending}
        error={create.error}
        onSubmit={(input) => create.mutate(input)}
        onCancel={() => void navigate({ to: '/admin/agencies' })}
      />
    </>
  );
}

const editRoute = getRouteApi('/app/admin/agencies/$agencyId');

/** Edit one agency's details. */
export function AgencyEditPage() {
  const { t } = useTranslation();
  const { agencyId } = editRoute.useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery(agencyQuery(agencyId));
  const agency = query.data;

  const update = useMutation({
    mutationFn: (input: CreateAgencyInput) => agencies.update(agencyId, input),
    onSuccess: async (updated) => {
      queryClient.setQueryData(keys.agency(agencyId), updated);
      await queryClient.invalidateQueries({ queryKey: keys.agencies });
      setFlash(t('agencies.updated', { name: updated.name }));
      await navigate({ to: '/admin/agencies' });
    },
  });

  return (
    <>
      <BackLink to="/admin/agencies">{t('agencies.title')}</BackLink>
      <PageTitle title={agency ? t('agencies.editTitle', { name: agency.name }) : t('agencies.editTitleLoading')} />
      {query.isPending ? (
        <Loading />
      ) : !agency ? (
        <LoadError error={query.error} />
      ) : agency.abilities?.['agency.update'] !== true ? (
        <Alert type="info">{t('agencies.readOnly')}</Alert>
      ) : (
        <AgencyForm
          initial={agencyToValues(agency)}
          submitLabel={t('common.saveChanges')}
          pending={update.isPending}
          error={update.error}
          onSubmit={(input) => update.mutate({ ...input, shortName: input.shortName ?? '' })}
          onCancel={() => void navigate({ to: '/admin/agencies' })}
        />
      )}
    </>
  );
}
