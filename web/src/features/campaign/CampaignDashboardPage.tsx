import { Suspense, lazy, useId, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { BUSINESS_STAGE_LABELS } from '../../../../common/businesses.ts';
import { BarChart } from '../../components/BarChart.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Fieldset, Radio } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { DASHBOARD_CSV_URL, dashboardQuery, type CampaignDashboard } from './api.ts';
import { funnelRows, percentOf, stageCounts } from './campaign.ts';
import './campaign.css';

const CampaignCountyMap = lazy(() => import('./CampaignCountyMap.tsx'));

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The campaign at a glance (issue #11, item 7): the attorney general's sentence, the counts by stage,
 * the funnel, the county map, the response rate and the median time from notice to closure, over the
 * businesses the viewer may see. Downloadable as CSV and printable (the print stylesheet drops the
 * buttons and the app's chrome).
 */
export function CampaignDashboardPage() {
  const { t } = useTranslation();
  const dashboard = useQuery(dashboardQuery);
  return (
    <>
      <PageTitle
        title={t('campaign.dashboard.title')}
        actions={
          <div className="lantern-print-hide lantern-campaign-actions">
            <a className="usa-button usa-button--outline" href={DASHBOARD_CSV_URL} download>
              {t('campaign.dashboard.csv')}
            </a>
            <button type="button" className="usa-button usa-button--outline" onClick={() => window.print()}>
              {t('campaign.dashboard.print')}
            </button>
          </div>
        }
      />
      <nav className="lantern-print-hide lantern-campaign-links" aria-label={t('campaign.nav.label')}>
        <Link to="/businesses" className="usa-link">
          {t('campaign.nav.registry')}
        </Link>
        <Link to="/businesses/letters" className="usa-link">
          {t('campaign.nav.letters')}
        </Link>
        <Link to="/businesses/alerts" className="usa-link">
          {t('campaign.nav.alerts')}
        </Link>
      </nav>
      {dashboard.isPending ? <Loading /> : dashboard.isError ? <LoadError error={dashboard.error} /> : <Dashboard data={dashboard.data} />}
    </>
  );
}

function Dashboard({ data }: { data: CampaignDashboard }) {
  const { t } = useTranslation();
  const total = stageCounts(data.byStage).reduce((sum, s) => sum + s.count, 0);
  const rate = percentOf(data.responseRate);
  return (
    <>
      <p className="lantern-campaign-sentence" data-testid="campaign-sentence">
        {data.sentence}
      </p>
      <p className="lantern-muted">
        {t('campaign.dashboard.asOf')} <DateTime value={data.asOf} />
      </p>
      {total === 0 ? (
        <EmptyState heading={t('campaign.dashboard.emptyHeading')} action={<Link to="/businesses/new" className="usa-button">{t('campaign.dashboard.emptyAction')}</Link>}>
          {t('campaign.dashboard.empty')}
        </EmptyState>
      ) : null}
      <section className="lantern-section" aria-labelledby="campaign-figures">
        <h2 id="campaign-figures">{t('campaign.dashboard.figures')}</h2>
        <dl className="lantern-campaign-figures">
          <div>
            <dt>{t('campaign.dashboard.notified')}</dt>
            <dd>{count(data.landlordsNotified)}</dd>
          </div>
          <div>
            <dt>{t('campaign.dashboard.responded')}</dt>
            <dd>{count(data.landlordsResponded)}</dd>
          </div>
          <div>
            <dt>{t('campaign.dashboard.responseRate')}</dt>
            <dd>{rate ?? t('campaign.dashboard.noneYet')}</dd>
          </div>
          <div>
            <dt>{t('campaign.dashboard.medianDays')}</dt>
            <dd>{data.medianDaysNoticeToClosure === null ? t('campaign.dashboard.noneYet') : t('campaign.dashboard.days', { count: Math.round(data.medianDaysNoticeToClosure) })}</dd>
          </div>
          <div>
            <dt>{t('campaign.dashboard.evicted')}</dt>
            <dd>{count(data.evictedOrInEviction)}</dd>
          </div>
        </dl>
      </section>
      <StageTable data={data} />
      <Funnel data={data} />
      <CountyMap data={data} />
    </>
  );
}

function StageTable({ data }: { data: CampaignDashboard }) {
  const { t } = useTranslation();
  return (
    <section className="lantern-section" aria-labelledby="campaign-stages">
      <h2 id="campaign-stages">{t('campaign.dashboard.stages')}</h2>
      <CountTable
        caption={t('campaign.dashboard.stagesCaption')}
        captionHidden
        rowHeading={t('campaign.dashboard.stage')}
        columns={[{ heading: t('campaign.dashboard.businesses'), cell: (s) => count(s.count) }]}
        rows={stageCounts(data.byStage)}
        rowKey={(s) => s.stage}
        rowLabel={(s) => (
          <Link to="/businesses" search={{ stage: s.stage } as never} className="usa-link">
            {BUSINESS_STAGE_LABELS[s.stage]}
          </Link>
        )}
      />
    </section>
  );
}

function Funnel({ data }: { data: CampaignDashboard }) {
  const { t } = useTranslation();
  const rows = funnelRows(data.funnel);
  return (
    <section className="lantern-section" aria-labelledby="campaign-funnel">
      <h2 id="campaign-funnel">{t('campaign.dashboard.funnel')}</h2>
      <p className="lantern-muted">{t('campaign.dashboard.funnelLead')}</p>
      <div className="lantern-campaign-funnel">
        <BarChart rows={rows.map((r) => ({ key: r.stage, label: BUSINESS_STAGE_LABELS[r.stage], value: r.reached }))} />
        <CountTable
          caption={t('campaign.dashboard.funnelCaption')}
          rowHeading={t('campaign.dashboard.stage')}
          columns={[
            { heading: t('campaign.dashboard.reached'), cell: (r) => count(r.reached) },
            { heading: t('campaign.dashboard.ofFirst'), cell: (r) => (r.percent === null ? '—' : `${r.percent}%`) },
          ]}
          rows={rows}
          rowKey={(r) => r.stage}
          rowLabel={(r) => BUSINESS_STAGE_LABELS[r.stage]}
        />
      </div>
    </section>
  );
}

function CountyMap({ data }: { data: CampaignDashboard }) {
  const { t } = useTranslation();
  const [measure, setMeasure] = useState<'total' | 'closed'>('total');
  const name = useId();
  const counts = new Map(data.byCounty.map((c) => [c.countyFips, measure === 'closed' ? c.closed : c.total]));
  const counties = [...data.byCounty].sort((a, b) => b.total - a.total || a.countyName.localeCompare(b.countyName));
  return (
    <section className="lantern-section" aria-labelledby="campaign-map">
      <h2 id="campaign-map">{t('campaign.map.heading', { state: data.state })}</h2>
      <div className="lantern-print-hide">
        <Fieldset legend={t('campaign.map.measure')}>
          <Radio name={name} label={t('campaign.map.total')} checked={measure === 'total'} onChange={() => setMeasure('total')} value="total" />
          <Radio name={name} label={t('campaign.map.closed')} checked={measure === 'closed'} onChange={() => setMeasure('closed')} value="closed" />
        </Fieldset>
      </div>
      <div className="lantern-tip-map-layout">
        <Suspense fallback={<Loading label={t('campaign.map.loading')} />}>
          <CampaignCountyMap counts={counts} measure={measure} state={data.state} />
        </Suspense>
        {counties.length === 0 ? (
          <p>{t('campaign.map.noCounties')}</p>
        ) : (
          <CountTable
            className="lantern-campaign-county-table"
            caption={t('campaign.map.tableCaption')}
            rowHeading={t('campaign.map.county')}
            columns={[
              { heading: t('campaign.map.total'), cell: (c) => count(c.total) },
              { heading: t('campaign.map.closed'), cell: (c) => count(c.closed) },
            ]}
            rows={counties}
            rowKey={(c) => c.countyFips}
            rowLabel={(c) => c.countyName}
          />
        )}
      </div>
    </section>
  );
}

/**
 * A compact table of counts: one row per item, its label as the row's header, then its numbers
 * right-aligned. The stage, funnel and county tables are all this shape.
 */
function CountTable<Row>(props: {
  caption: string;
  /** Hide the caption visually (when the section's heading already says it); screen readers still read it. */
  captionHidden?: boolean;
  className?: string;
  rowHeading: string;
  columns: { heading: string; cell: (row: Row) => ReactNode }[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowLabel: (row: Row) => ReactNode;
}) {
  const { caption, captionHidden, className, rowHeading, columns, rows, rowKey, rowLabel } = props;
  return (
    <table className={['usa-table usa-table--borderless usa-table--compact', className].filter(Boolean).join(' ')}>
      <caption className={captionHidden ? 'usa-sr-only' : undefined}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{rowHeading}</th>
          {columns.map((c) => (
            <th key={c.heading} scope="col" className="lantern-num">
              {c.heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)}>
            <th scope="row">{rowLabel(r)}</th>
            {columns.map((c) => (
              <td key={c.heading} className="lantern-num">
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
