import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { OPERATION_STATUSES, type OperationStatus } from '../../../../common/operations.ts';
import { operationsQuery } from '../../api/queries.ts';
import { Alert } from '../../components/Alert.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { useFlash } from '../../components/flash.ts';
import { ConflictBadge, OperationStatusTag, OperationWindow } from './labels.tsx';

const route = getRouteApi('/app/operations');

/** Operations the user may see, by status, with a name search kept in the URL. */
export function OperationsPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  const flash = useFlash();
  const [q, setQ] = useState(search.q ?? '');
  const list = useQuery(operationsQuery({ status: search.status, q: search.q }));
  const canPlan = list.data?.abilities['operation.create'] === true;
  const filtered = Boolean(search.status || search.q);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate({ to: '/operations', search: { ...(search.status ? { status: search.status } : {}), ...(q.trim() ? { q: q.trim() } : {}) } });
  };

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
                  search={{ ...(tab.status ? { status: tab.status } : {}), ...(search.q ? { q: search.q } : {}) }}
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
      <form className="usa-form lantern-inline-form" role="search" aria-label={t('operations.searchLabel')} onSubmit={submit}>
        <TextField id="operations-q" type="search" label={t('operations.search')} hint={t('operations.searchHint')} value={q} onChange={(e) => setQ(e.target.value)} maxLength={100} />
        <div className="lantern-actions">
          <button type="submit" className="usa-button usa-button--outline">
            {t('operations.find')}
          </button>
          {search.q ? (
            <button
              type="button"
              className="usa-button usa-button--unstyled"
              onClick={() => {
                setQ('');
                void navigate({ to: '/operations', search: search.status ? { status: search.status } : {} });
              }}
            >
              {t('operations.clearSearch')}
            </button>
          ) : null}
        </div>
      </form>

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
