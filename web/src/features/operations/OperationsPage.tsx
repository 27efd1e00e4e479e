import { useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { OPERATION_STATUSES, type OperationStatus } from '../../../../common/operations.ts';
import { operationsQuery, taskForceQuery } from '../../api/queries.ts';
import { useMe } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FilterForm } from '../../components/FilterForm.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { useFlash } from '../../components/flash.ts';
import { useStateCounties } from './geo.ts';
import { ConflictBadge, OperationStatusTag, OperationWindow } from './labels.tsx';
import { operationFilterOf, operationsCsvHref, type OperationsSearch } from './search.ts';

const route = getRouteApi('/app/operations');

/** The agencies of the user's task forces, by name (the list's agency filter). */
function useTaskForceAgencies() {
  const me = useMe();
  const results = useQueries({ queries: me.taskForces.map((tf) => ({ ...taskForceQuery(tf.id), retry: false })) });
  const byId = new Map<string, string>();
  for (const r of results) for (const m of r.data?.members ?? []) byId.set(m.agencyId, m.name);
  byId.set(me.agency.id, me.agency.name);
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Operations the user may see, by status, with filters kept in the URL — part of the name, a range of
 * days, an agency taking part and a county — all applied by the server; the same list as CSV.
 */
export function OperationsPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  const flash = useFlash();
  const [form, setForm] = useState({ q: search.q ?? '', from: search.from ?? '', to: search.to ?? '', agency: search.agency ?? '', county: search.county ?? '' });
  const list = useQuery(operationsQuery(operationFilterOf(search)));
  const agencies = useTaskForceAgencies();
  const counties = useStateCounties();
  const canPlan = list.data?.abilities['operation.create'] === true;
  const filtered = Boolean(search.status || search.q || search.from || search.to || search.agency || search.county);
  const rangeBackwards = form.from !== '' && form.to !== '' && form.to < form.from;

  const go = (next: OperationsSearch) => void navigate({ to: '/operations', search: Object.fromEntries(Object.entries(next).filter(([, v]) => v)) as OperationsSearch });
  const submit = () => {
    if (rangeBackwards) return;
    go({ ...(search.status ? { status: search.status } : {}), q: form.q.trim(), from: form.from, to: form.to, agency: form.agency, county: form.county });
  };
  const clear = () => {
    setForm({ q: '', from: '', to: '', agency: '', county: '' });
    go(search.status ? { status: search.status } : {});
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const { status: _status, ...filters } = search;

  const planButton = canPlan ? (
    <Link to="/operations/new" className="usa-button">
      {t('operations.plan')}
    </Link>
  ) : null;

  const tabs: { key: OperationStatus | 'all'; status?: OperationStatus }[] = [{ key: 'all' }, ...OPERATION_STATUSES.map((s) => ({ key: s, status: s }))];

  return (
    <>
      <PageTitle title={t('operations.title')} lead={t('operations.lead')} actions={planButton} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      <nav aria-label={t('operations.statusFilter')} className="lantern-tabs">
        <ul>
          {tabs.map((tab) => {
            const current = search.status === tab.status;
            return (
              <li key={tab.key}>
                <Link
                  to="/operations"
                  search={{ ...filters, ...(tab.status ? { status: tab.status } : {}) }}
                  className={current ? 'lantern-tabs__link is-current' : 'lantern-tabs__link'}
                  aria-current={current ? 'page' : undefined}
                >
                  {tab.key === 'all' ? t('operations.allStatuses') : t(`operations.status.${tab.key}`)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <FilterForm
        label={t('operations.searchLabel')}
        applyLabel={t('operations.find')}
        onApply={submit}
        clearLabel={t('operations.clearSearch')}
        onClear={filtered ? clear : undefined}
        actions={
          <a className="usa-button usa-button--unstyled lantern-download" href={operationsCsvHref(search)} download>
            {t('operations.downloadCsv')}
          </a>
        }
      >
        <TextField id="operations-q" type="search" label={t('operations.search')} hint={t('operations.searchHint')} value={form.q} onChange={set('q')} maxLength={100} />
        <TextField id="operations-from" type="date" label={t('operations.from')} value={form.from} onChange={set('from')} />
        <TextField id="operations-to" type="date" label={t('operations.to')} value={form.to} onChange={set('to')} error={rangeBackwards ? t('operations.toBeforeFrom') : undefined} />
        <SelectField id="operations-agency" label={t('operations.agency')} value={form.agency} onChange={set('agency')}>
          <option value="">{t('operations.anyAgency')}</option>
          {agencies.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </SelectField>
        <SelectField id="operations-county" label={t('operations.county')} value={form.county} onChange={set('county')}>
          <option value="">{t('operations.anyCounty')}</option>
          {(counties.data ?? []).map((c) => (
            <option key={c.fips} value={c.fips}>
              {c.name}
            </option>
          ))}
        </SelectField>
      </FilterForm>

      {list.isPending ? (
        <Loading label={t('operations.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.operations.length === 0 ? (
        filtered ? (
          <EmptyState heading={t('operations.noMatchesHeading')}>{t('operations.noMatches')}</EmptyState>
        ) : (
          <EmptyState heading={t('operations.emptyHeading')} action={planButton}>
            {canPlan ? t('operations.emptyCanPlan') : t('operations.empty')}
          </EmptyState>
        )
      ) : (
        <div className="lantern-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked">
            <caption className="usa-sr-only">{t('operations.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('operations.name')}</th>
                <th scope="col">{t('operations.window')}</th>
                <th scope="col">{t('operations.leadAgency')}</th>
                <th scope="col">{t('operations.statusHeading')}</th>
                <th scope="col">{t('operations.contacts')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.operations.map((op) => (
                <tr key={op.id}>
                  <th scope="row" data-label={t('operations.name')}>
                    <Link to="/operations/$operationId" params={{ operationId: op.id }} className="usa-link">
                      {op.name}
                    </Link>
                    <br />
                    <span className="lantern-muted">{t(`operations.types.${op.type}`)}</span>
                  </th>
                  <td data-label={t('operations.window')}>
                    <OperationWindow startsAt={op.startsAt} endsAt={op.endsAt} />
                  </td>
                  <td data-label={t('operations.leadAgency')}>{op.leadAgency.name}</td>
                  <td data-label={t('operations.statusHeading')}>
                    <span className="lantern-tags">
                      <OperationStatusTag status={op.status} />
                      <ConflictBadge count={op.openConflicts} />
                      {op.investigationHold ? <Tag tone="quiet">{t('operations.holdShort')}</Tag> : null}
                    </span>
                  </td>
                  <td data-label={t('operations.contacts')}>{op.contacts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
