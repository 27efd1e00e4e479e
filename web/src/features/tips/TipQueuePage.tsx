import { Suspense, lazy, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { TIP_STATUSES } from '../../../../common/tips.ts';
import { useCan } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Checkbox, SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { useFlash } from '../../components/flash.ts';
import { formatDateTime } from '../../components/format.ts';
import { useStateCounties } from '../operations/geo.ts';
import { useTaskForceAgencies } from './agencies.ts';
import { tipCountiesQuery, tipListQuery, type TipCountyCount, type TipListItem } from './api.ts';
import { TipStatusTag, TriageReasons, UrgencyTags, sourceLabel } from './labels.tsx';
import { TIP_PAGE_SIZE, isFiltered, tipFilterOf, type TipQueueSearch } from './search.ts';

const TipCountyMap = lazy(() => import('./TipCountyMap.tsx'));

const route = getRouteApi('/app/tip-queue');

interface FilterForm {
  agency: string;
  county: string;
  status: string;
  urgent: boolean;
  from: string;
  to: string;
  mine: boolean;
}

const formOf = (s: TipQueueSearch): FilterForm => ({
  agency: s.agency ?? '',
  county: s.county ?? '',
  status: s.status ?? '',
  urgent: s.urgent === true,
  from: s.from ?? '',
  to: s.to ?? '',
  mine: s.mine === true,
});

/** The queue's filters, applied together (each a field of the URL's search). */
export function TipFilters({ search, onApply }: { search: TipQueueSearch; onApply: (next: TipQueueSearch) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<FilterForm>(() => formOf(search));
  const { agencies } = useTaskForceAgencies();
  const counties = useStateCounties();
  const rangeBackwards = form.from !== '' && form.to !== '' && form.to < form.from;
  const set = (key: 'agency' | 'county' | 'status' | 'from' | 'to') => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rangeBackwards) return;
    const status = TIP_STATUSES.find((s) => s === form.status);
    onApply({
      ...(form.agency ? { agency: form.agency } : {}),
      ...(form.county ? { county: form.county } : {}),
      ...(status ? { status } : {}),
      ...(form.urgent ? { urgent: true as const } : {}),
      ...(form.from ? { from: form.from } : {}),
      ...(form.to ? { to: form.to } : {}),
      ...(form.mine ? { mine: true as const } : {}),
    });
  };
  const clear = () => {
    setForm(formOf({}));
    onApply({});
  };

  return (
    <form className="usa-form lantern-filter-form" role="search" aria-label={t('tips.filters.label')} onSubmit={submit}>
      <div className="lantern-filter-grid">
        <SelectField id="tips-agency" label={t('tips.filters.agency')} value={form.agency} onChange={set('agency')}>
          <option value="">{t('tips.filters.anyAgency')}</option>
          {agencies.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </SelectField>
        <SelectField id="tips-county" label={t('tips.filters.county')} value={form.county} onChange={set('county')}>
          <option value="">{t('tips.filters.anyCounty')}</option>
          {(counties.data ?? []).map((c) => (
            <option key={c.fips} value={c.fips}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField id="tips-status" label={t('tips.filters.state')} value={form.status} onChange={set('status')}>
          <option value="">{t('tips.filters.anyState')}</option>
          {TIP_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`tips.status.${s}`)}
            </option>
          ))}
        </SelectField>
        <TextField id="tips-from" type="date" label={t('tips.filters.from')} value={form.from} onChange={set('from')} />
        <TextField id="tips-to" type="date" label={t('tips.filters.to')} value={form.to} onChange={set('to')} error={rangeBackwards ? t('tips.filters.toBeforeFrom') : undefined} />
        <div className="usa-form-group">
          <Checkbox id="tips-urgent" label={t('tips.filters.urgentOnly')} checked={form.urgent} onChange={(e) => setForm((f) => ({ ...f, urgent: e.target.checked }))} />
          <Checkbox id="tips-mine" label={t('tips.filters.mine')} checked={form.mine} onChange={(e) => setForm((f) => ({ ...f, mine: e.target.checked }))} />
        </div>
      </div>
      <div className="lantern-actions">
        <button type="submit" className="usa-button usa-button--outline">
          {t('tips.filters.apply')}
        </button>
        {isFiltered(search) ? (
          <button type="button" className="usa-button usa-button--unstyled" onClick={clear}>
            {t('tips.filters.clear')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** One tip of the queue: when, where, its state and urgency in words, the reasons behind its rank. */
export function TipCard({ tip }: { tip: TipListItem }) {
  const { t } = useTranslation();
  return (
    <li className={tip.urgent ? 'lantern-contact-card is-urgent' : 'lantern-contact-card'}>
      <h3 className="lantern-contact-card__title">
        <Link to="/tip-queue/$tipId" params={{ tipId: tip.id }} className="usa-link">
          {t('tips.cardTitle', { date: formatDateTime(tip.receivedAt) })}
        </Link>
      </h3>
      <p className="lantern-tags">
        <UrgencyTags tip={tip} />
        <TipStatusTag status={tip.status} />
        {tip.sharedWithUs ? <Tag tone="quiet">{t('tips.sharedWithUs')}</Tag> : null}
        {tip.unreadMessages > 0 ? <Tag tone="info">{t('tips.unread', { count: tip.unreadMessages })}</Tag> : null}
      </p>
      <p className="lantern-contact-card__meta">
        {[
          tip.countyName ?? t('tips.countyUnknown'),
          tip.zip ? t('tips.zip', { zip: tip.zip }) : '',
          sourceLabel(t, tip.source),
          t('tips.inQueueOf', { agency: tip.agency.name }),
          tip.assignedTo ? t('tips.assignedTo', { name: tip.assignedTo.name }) : t('tips.unassigned'),
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {tip.summary ? <p className="lantern-tip-summary">{tip.summary}</p> : null}
      <TriageReasons reasons={tip.reasons} />
    </li>
  );
}

/** The map's text alternative: each county with tips, its count and its urgent open tips, linking to them. */
export function TipCountyTable({ counts, search }: { counts: TipCountyCount[]; search: TipQueueSearch }) {
  const { t } = useTranslation();
  const counties = useStateCounties();
  const names = new Map((counties.data ?? []).map((c) => [c.fips, c.name]));
  const rows = counts
    .filter((c) => c.count > 0)
    .map((c) => ({ ...c, name: names.get(c.countyFips) ?? c.countyName ?? c.countyFips }))
    .sort((a, b) => b.urgentOpen - a.urgentOpen || b.count - a.count || a.name.localeCompare(b.name));
  if (rows.length === 0) return <p>{t('tips.map.empty')}</p>;
  const { page: _page, ...rest } = search;
  return (
    <table className="usa-table usa-table--borderless usa-table--compact">
      <caption>{t('tips.map.tableCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('tips.map.countyHeading')}</th>
          <th scope="col">{t('tips.map.countHeading')}</th>
          <th scope="col">{t('tips.map.urgentHeading')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.countyFips}>
            <th scope="row">
              <Link to="/tip-queue" search={{ ...rest, county: r.countyFips }} className="usa-link" aria-label={t('tips.map.filterTo', { county: r.name })}>
                {r.name}
              </Link>
            </th>
            <td>{r.count}</td>
            <td>{r.urgentOpen}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The staff tip queue (issue #10, item 8): the tips routed to the user's agency or shared with it,
 * urgent first, then by rank, with filters kept in the URL and a map of tips by county.
 */
export function TipQueuePage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  const flash = useFlash();
  const can = useCan();
  const filter = tipFilterOf(search);
  const list = useQuery(tipListQuery(filter));
  const counties = useQuery(tipCountiesQuery(filter));
  const filtered = isFiltered(search);
  const page = search.page ?? 1;

  const go = (next: TipQueueSearch) => void navigate({ to: '/tip-queue', search: next });
  const recordButton =
    can('tip.create') || can('tip.import') ? (
      <>
        {can('tip.create') ? (
          <Link to="/tip-queue/new" className="usa-button">
            {t('tips.record')}
          </Link>
        ) : null}
        {can('tip.import') ? (
          <Link to="/tip-queue/import" className="usa-button usa-button--outline">
            {t('tips.importHotline')}
          </Link>
        ) : null}
      </>
    ) : null;

  const counts = new Map((counties.data ?? []).map((c) => [c.countyFips, c.count]));

  return (
    <>
      <PageTitle title={t('tips.title')} lead={t('tips.lead')} actions={recordButton} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {/* Keyed by the search so the form shows what the URL says after back/forward or a county link. */}
      <TipFilters key={JSON.stringify(search)} search={search} onApply={go} />

      {list.isPending ? (
        <Loading label={t('tips.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.tips.length === 0 ? (
        filtered || page > 1 ? (
          <EmptyState heading={t('tips.noMatchesHeading')}>{t('tips.noMatches')}</EmptyState>
        ) : (
          <EmptyState heading={t('tips.emptyHeading')} action={recordButton}>
            {recordButton ? t('tips.emptyCanRecord') : t('tips.empty')}
          </EmptyState>
        )
      ) : (
        <section aria-labelledby="tips-list-heading">
          <h2 id="tips-list-heading" className="usa-sr-only">
            {t('tips.caption')}
          </h2>
          <p className="lantern-muted" aria-live="polite">
            {t('tips.showing', { from: (page - 1) * TIP_PAGE_SIZE + 1, to: (page - 1) * TIP_PAGE_SIZE + list.data.tips.length, total: list.data.total })}
          </p>
          <ul className="lantern-card-list" aria-labelledby="tips-list-heading">
            {list.data.tips.map((tip) => (
              <TipCard key={tip.id} tip={tip} />
            ))}
          </ul>
          {list.data.total > TIP_PAGE_SIZE ? (
            <nav aria-label={t('tips.pages')} className="lantern-actions">
              {page > 1 ? (
                <Link to="/tip-queue" search={{ ...search, page: page - 1 > 1 ? page - 1 : undefined }} className="usa-button usa-button--outline">
                  {t('tips.previous')}
                </Link>
              ) : null}
              {page * TIP_PAGE_SIZE < list.data.total ? (
                <Link to="/tip-queue" search={{ ...search, page: page + 1 }} className="usa-button usa-button--outline">
                  {t('tips.next')}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      )}

      <section className="lantern-section" aria-labelledby="tips-map-heading">
        <h2 id="tips-map-heading">{t('tips.map.heading')}</h2>
        <p className="lantern-muted">{isFiltered(search) ? t('tips.map.leadFiltered') : t('tips.map.lead')}</p>
        {counties.isPending ? (
          <Loading label={t('tips.map.loading')} />
        ) : counties.isError ? (
          <LoadError error={counties.error} />
        ) : (
          <div className="lantern-tip-map-layout">
            <Suspense fallback={<Loading label={t('tips.map.loading')} />}>
              <TipCountyMap counts={counts} />
            </Suspense>
            <TipCountyTable counts={counties.data} search={search} />
          </div>
        )}
      </section>
    </>
  );
}
