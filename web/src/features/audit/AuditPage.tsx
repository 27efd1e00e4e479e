import { useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { AUDIT_LOG_ACTIONS } from '../../../../common/actions.ts';
import { audit } from '../../api/endpoints.ts';
import { keys } from '../../api/queries.ts';
import type { AuditEventDto, AuditSearch } from '../../api/types.ts';
import { useCan } from '../../app/me.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { formatUtc } from '../../components/format.ts';
import { hasErrors, useErrorFocus, type FieldErrors } from '../../components/forms.ts';
import { formatAuditTime, isoToLocalDay, localDayBound } from './search.ts';

const route = getRouteApi('/app/admin/audit');

/** The user's time zone, named on the page so the table's times and the day filters read alike. */
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

type Field = keyof AuditSearch;

interface FormValues {
  person: string;
  recordType: string;
  recordId: string;
  action: string;
  from: string;
  to: string;
}

function toForm(search: AuditSearch): FormValues {
  return {
    person: search.person ?? '',
    recordType: search.recordType ?? '',
    recordId: search.recordId ?? '',
    action: search.action ?? '',
    from: isoToLocalDay(search.from),
    to: isoToLocalDay(search.to),
  };
}

function outcomeTone(outcome: string) {
  if (outcome === 'success' || outcome === 'ok' || outcome === 'allowed') return 'ok' as const;
  if (outcome === 'denied' || outcome === 'failure' || outcome === 'failed' || outcome === 'error') return 'danger' as const;
  return 'quiet' as const;
}

function AuditRow({ event }: { event: AuditEventDto }) {
  const { t } = useTranslation();
  return (
    <tr>
      <td data-label={t('audit.at')}>
        <time dateTime={event.at} title={t('audit.utcTitle', { utc: formatUtc(event.at) })}>
          {formatAuditTime(event.at)}
        </time>
      </td>
      <td data-label={t('audit.user')}>
        {event.userId ? (
          <Link to="/admin/audit" search={{ userId: event.userId }} className="usa-link" title={t('audit.filterUser')}>
            {event.userName ?? event.userEmail ?? event.userId}
          </Link>
        ) : (
          <span className="lantern-muted">{event.userEmail ?? t('audit.system')}</span>
        )}
      </td>
      <td data-label={t('audit.action')} className="lantern-code">
        {event.action}
      </td>
      <td data-label={t('audit.record')}>
        {event.recordType && event.recordName ? (
          event.recordId ? (
            <Link to="/admin/audit" search={{ recordType: event.recordType, recordId: event.recordId }} className="usa-link" title={t('audit.filterRecord')}>
              {event.recordName}
            </Link>
          ) : (
            event.recordName
          )
        ) : event.recordType ? (
          <>
            {event.recordType}
            {event.recordId ? (
              <>
                <br />
                <Link
                  to="/admin/audit"
                  search={{ recordType: event.recordType, recordId: event.recordId }}
                  className="usa-link lantern-code"
                  title={t('audit.filterRecord')}
                >
                  {event.recordId}
                </Link>
              </>
            ) : null}
          </>
        ) : (
          <span className="lantern-muted">{t('common.none')}</span>
        )}
      </td>
      <td data-label={t('audit.outcome')}>
        <Tag tone={outcomeTone(event.outcome)}>{t(`audit.outcomes.${event.outcome}`, { defaultValue: event.outcome })}</Tag>
      </td>
      <td data-label={t('audit.changed')}>
        {event.changedFields.length ? event.changedFields.join(', ') : <span className="lantern-muted">{t('common.none')}</span>}
      </td>
      <td data-label={t('audit.from')}>
        {event.ip ?? <span className="lantern-muted">{t('common.unknown')}</span>}
      </td>
    </tr>
  );
}

/** Search the audit log, page through it with "Load more", and export the same search as CSV. */
export function AuditPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  const can = useCan();
  const [values, setValues] = useState<FormValues>(() => toForm(search));
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const searchKey = JSON.stringify(search);
  const [lastSearchKey, setLastSearchKey] = useState(searchKey);

  // Following a link (e.g. "this user's activity") changes the URL: show it in the form too.
  if (lastSearchKey !== searchKey) {
    setLastSearchKey(searchKey);
    setValues(toForm(search));
    setErrors({});
  }

  const events = useInfiniteQuery({
    queryKey: keys.audit(search),
    queryFn: ({ pageParam, signal }) => audit.search(search, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });

  const set = (field: Field) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: FieldErrors<Field> = {};
    const from = values.from ? localDayBound(values.from, 'start') : undefined;
    const to = values.to ? localDayBound(values.to, 'end') : undefined;
    if (values.from && !from) next.from = t('audit.dateInvalid');
    if (values.to && !to) next.to = t('audit.dateInvalid');
    if (from && to && from > to) next.to = t('audit.toBeforeFrom');
    setErrors(next);
    if (hasErrors(next)) {
      focusFirstError();
      return;
    }
    const nextSearch: AuditSearch = {};
    // One person chosen from the table stays chosen until cleared; a name searches among your people.
    if (search.userId) nextSearch.userId = search.userId;
    if (values.person.trim()) nextSearch.person = values.person.trim();
    if (values.recordType.trim()) nextSearch.recordType = values.recordType.trim();
    if (values.recordId.trim()) nextSearch.recordId = values.recordId.trim();
    if (values.action.trim()) nextSearch.action = values.action.trim();
    if (from) nextSearch.from = from;
    if (to) nextSearch.to = to;
    void navigate({ to: '/admin/audit', search: nextSearch });
  };

  const clear = () => {
    setErrors({});
    setValues(toForm({}));
    void navigate({ to: '/admin/audit', search: {} });
  };

  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];
  const filtered = Object.keys(search).length > 0;
  const chosen = search.userId ? rows.find((r) => r.userId === search.userId) : undefined;
  const rowsUser = chosen ? (chosen.userName ?? chosen.userEmail ?? undefined) : undefined;

  return (
    <>
      <PageTitle
        title={t('audit.title')}
        lead={t('audit.lead')}
        actions={
          can('audit.export') ? (
            <a className="usa-button usa-button--outline" href={audit.exportUrl(search)} download>
              {t('audit.export')}
            </a>
          ) : null
        }
      />
      <form ref={ref} className="usa-form lantern-form-wide lantern-audit-form" role="search" aria-label={t('audit.searchLabel')} noValidate onSubmit={submit}>
        <div className="lantern-audit-grid">
          <TextField id="audit-person" label={t('audit.person')} hint={t('audit.personHint')} spellCheck={false} autoComplete="off" value={values.person} onChange={set('person')} error={errors.person} />
          <SelectField id="audit-action" label={t('audit.action')} hint={t('audit.actionHint')} value={values.action} onChange={set('action')} error={errors.action}>
            <option value="">{t('audit.anyAction')}</option>
            {AUDIT_LOG_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
          <TextField id="audit-record-type" label={t('audit.recordType')} hint={t('audit.recordTypeHint')} spellCheck={false} value={values.recordType} onChange={set('recordType')} error={errors.recordType} />
          <TextField id="audit-record-id" label={t('audit.recordId')} spellCheck={false} value={values.recordId} onChange={set('recordId')} error={errors.recordId} />
          <TextField id="audit-from" type="date" label={t('audit.fromDate')} hint={t('audit.dateHint', { zone: TIME_ZONE })} value={values.from} onChange={set('from')} error={errors.from} />
          <TextField id="audit-to" type="date" label={t('audit.toDate')} hint={t('audit.dateHint', { zone: TIME_ZONE })} value={values.to} onChange={set('to')} error={errors.to} />
        </div>
        {search.userId ? (
          <p className="lantern-muted">
            {t('audit.onePerson', { who: rowsUser ?? search.userId })}{' '}
            <Link to="/admin/audit" search={{ ...search, userId: undefined }} className="usa-link">
              {t('audit.allPeople')}
            </Link>
          </p>
        ) : null}
        <div className="lantern-actions">
          <button type="submit" className="usa-button">
            {t('audit.search')}
          </button>
          {filtered ? (
            <button type="button" className="usa-button usa-button--unstyled" onClick={clear}>
              {t('audit.clear')}
            </button>
          ) : null}
        </div>
      </form>

      <section className="lantern-section" aria-labelledby="audit-results-heading">
        <h2 id="audit-results-heading">{t('audit.results')}</h2>
        {events.isPending ? (
          <Loading label={t('audit.loading')} />
        ) : !events.data ? (
          <LoadError error={events.error} />
        ) : rows.length === 0 ? (
          <EmptyState heading={filtered ? t('audit.noMatchesHeading') : t('audit.emptyHeading')} headingLevel="h3">
            {filtered ? t('audit.noMatches') : t('audit.empty')}
          </EmptyState>
        ) : (
          <>
            <p className="lantern-muted" role="status">
              {events.hasNextPage ? t('audit.showingMore', { count: rows.length }) : t('audit.showing', { count: rows.length })}
            </p>
            <div className="lantern-table-wrap" tabIndex={0} role="region" aria-label={t('audit.tableRegion')}>
              <table className="usa-table usa-table--borderless usa-table--compact usa-table--stacked lantern-audit-table">
                <caption className="usa-sr-only">{t('audit.caption', { zone: TIME_ZONE })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.atZone', { zone: TIME_ZONE })}</th>
                    <th scope="col">{t('audit.user')}</th>
                    <th scope="col">{t('audit.action')}</th>
                    <th scope="col">{t('audit.record')}</th>
                    <th scope="col">{t('audit.outcome')}</th>
                    <th scope="col">{t('audit.changed')}</th>
                    <th scope="col">{t('audit.from')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((event) => (
                    <AuditRow key={event.id} event={event} />
                  ))}
                </tbody>
              </table>
            </div>
            {events.isFetchNextPageError ? <ErrorAlert error={events.error} /> : null}
            {events.hasNextPage ? (
              <div className="lantern-actions">
                <button type="button" className="usa-button usa-button--outline" disabled={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
                  {events.isFetchingNextPage ? t('common.loading') : t('audit.loadMore')}
                </button>
              </div>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
