import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { BUSINESS_STAGES } from '../../../../common/businesses.ts';
import { useCan } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FilterForm } from '../../components/FilterForm.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { useFlash } from '../../components/flash.ts';
import { formatDate } from '../../components/format.ts';
import { useStateCounties } from '../operations/geo.ts';
import { businessListQuery, type BusinessListItem } from './api.ts';
import { StageTag, stageLabel } from './labels.tsx';
import { BUSINESS_PAGE_SIZE, businessFilterOf, isFiltered, validateBusinessesSearch, type BusinessesSearch } from './search.ts';

const route = getRouteApi('/app/businesses');

interface FilterFields {
  stage: string;
  county: string;
  q: string;
}

/** The registry's filters (stage, county, words), applied together and kept in the URL. */
export function BusinessFilters({ search, onApply }: { search: BusinessesSearch; onApply: (next: BusinessesSearch) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<FilterFields>({ stage: search.stage ?? '', county: search.county ?? '', q: search.q ?? '' });
  const counties = useStateCounties();
  const set = (key: keyof FilterFields) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <FilterForm
      label={t('businesses.filters.label')}
      applyLabel={t('businesses.filters.apply')}
      onApply={() => onApply(validateBusinessesSearch({ ...form }))}
      clearLabel={t('businesses.filters.clear')}
      onClear={
        isFiltered(search)
          ? () => {
              setForm({ stage: '', county: '', q: '' });
              onApply({});
            }
          : undefined
      }
    >
      <TextField id="businesses-q" type="search" label={t('businesses.filters.q')} hint={t('businesses.filters.qHint')} value={form.q} maxLength={100} onChange={set('q')} />
      <SelectField id="businesses-stage" label={t('businesses.filters.stage')} value={form.stage} onChange={set('stage')}>
        <option value="">{t('businesses.filters.anyStage')}</option>
        {BUSINESS_STAGES.map((s) => (
          <option key={s} value={s}>
            {stageLabel(s)}
          </option>
        ))}
      </SelectField>
      <SelectField id="businesses-county" label={t('businesses.filters.county')} value={form.county} onChange={set('county')}>
        <option value="">{t('businesses.filters.anyCounty')}</option>
        {(counties.data ?? []).map((c) => (
          <option key={c.fips} value={c.fips}>
            {c.name}
          </option>
        ))}
      </SelectField>
    </FilterForm>
  );
}

/** The registry as a table: one row a business. */
export function BusinessTable({ items }: { items: BusinessListItem[] }) {
  const { t } = useTranslation();
  return (
    <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-labelledby="businesses-caption">
      <table className="usa-table usa-table--borderless usa-table--compact">
        <caption id="businesses-caption">{t('businesses.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('businesses.columns.name')}</th>
            <th scope="col">{t('businesses.columns.address')}</th>
            <th scope="col">{t('businesses.columns.county')}</th>
            <th scope="col">{t('businesses.columns.stage')}</th>
            <th scope="col">{t('businesses.columns.score')}</th>
            <th scope="col">{t('businesses.columns.stageChanged')}</th>
            <th scope="col">{t('businesses.columns.alerts')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((b) => (
            <tr key={b.id}>
              <th scope="row">
                <Link to="/businesses/$businessId" params={{ businessId: b.id }} className="usa-link">
                  {b.name}
                </Link>
              </th>
              <td>{`${b.address}, ${b.city}`}</td>
              <td>{b.countyName}</td>
              <td>
                <StageTag stage={b.stage} />
              </td>
              <td>{b.score}</td>
              <td>
                <time dateTime={b.stageChangedAt}>{formatDate(b.stageChangedAt)}</time>
              </td>
              <td>{b.openAlerts > 0 ? <Tag tone="danger">{t('businesses.openAlerts', { count: b.openAlerts })}</Tag> : <span className="lantern-muted">{t('businesses.noAlerts')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * `/businesses`: the campaign's registry (issue #11, item 1): the businesses the user may see, filtered
 * by stage, county and words (kept in the URL), a page at a time, with the way to the dashboard,
 * alerts and letters.
 */
export function BusinessesPage() {
  const { t } = useTranslation();
  const search = validateBusinessesSearch(route.useSearch() as Record<string, unknown>);
  const navigate = useNavigate();
  const flash = useFlash();
  const can = useCan();
  const list = useQuery(businessListQuery(businessFilterOf(search)));
  const page = search.page ?? 1;
  const go = (next: BusinessesSearch) => void navigate({ to: '/businesses', search: next as never });
  const pageSearch = (n: number) => ({ ...search, page: n > 1 ? n : undefined }) as never;

  const enter = can('business.create') ? (
    <Link to="/businesses/new" className="usa-button">
      {t('businesses.enter')}
    </Link>
  ) : null;

  return (
    <>
      <PageTitle title={t('businesses.title')} lead={t('businesses.lead')} actions={enter} />
      <nav aria-label={t('businesses.campaignNav')}>
        <ul className="usa-button-group">
          <li className="usa-button-group__item">
            <Link to="/businesses/dashboard" className="usa-button usa-button--outline">
              {t('businesses.links.dashboard')}
            </Link>
          </li>
          <li className="usa-button-group__item">
            <Link to="/businesses/alerts" className="usa-button usa-button--outline">
              {t('businesses.links.alerts')}
            </Link>
          </li>
          <li className="usa-button-group__item">
            <Link to="/businesses/letters" className="usa-button usa-button--outline">
              {t('businesses.links.letters')}
            </Link>
          </li>
        </ul>
      </nav>
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      <BusinessFilters key={JSON.stringify(search)} search={search} onApply={go} />

      {list.isPending ? (
        <Loading label={t('businesses.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.items.length === 0 ? (
        isFiltered(search) || page > 1 ? (
          <EmptyState heading={t('businesses.noMatchesHeading')}>{t('businesses.noMatches')}</EmptyState>
        ) : (
          <EmptyState heading={t('businesses.emptyHeading')} action={enter}>
            {enter ? t('businesses.emptyCanEnter') : t('businesses.empty')}
          </EmptyState>
        )
      ) : (
        <section aria-labelledby="businesses-caption">
          <p className="lantern-muted" aria-live="polite">
            {t('businesses.showing', { from: (page - 1) * BUSINESS_PAGE_SIZE + 1, to: (page - 1) * BUSINESS_PAGE_SIZE + list.data.items.length, total: list.data.total })}
          </p>
          <BusinessTable items={list.data.items} />
          {list.data.total > BUSINESS_PAGE_SIZE ? (
            <nav aria-label={t('businesses.pages')} className="lantern-actions">
              {page > 1 ? (
                <Link to="/businesses" search={pageSearch(page - 1)} className="usa-button usa-button--outline">
                  {t('businesses.previous')}
                </Link>
              ) : null}
              {page * BUSINESS_PAGE_SIZE < list.data.total ? (
                <Link to="/businesses" search={pageSearch(page + 1)} className="usa-button usa-button--outline">
                  {t('businesses.next')}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      )}
    </>
  );
}
