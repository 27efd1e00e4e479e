import { useState } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NATIONALITIES, SERVICE_CATEGORY_LABELS, TRAFFICKING_TYPES } from '../../../../common/clients.ts';
import type { TimsReportDto } from '../../../../common/schemas/clients.ts';
import { api, toQueryString } from '../../api/client.ts';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { SelectField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';

/** The quarter that ended last before `now` (the one a report is usually asked for). */
export function lastEndedQuarter(now: Date): { year: number; quarter: number } {
  const current = Math.floor(now.getMonth() / 3) + 1;
  return current === 1 ? { year: now.getFullYear() - 1, quarter: 4 } : { year: now.getFullYear(), quarter: current - 1 };
}

const timsQuery = (year: number, quarter: number) =>
  queryOptions({ queryKey: ['clients', 'reports', 'tims', year, quarter], queryFn: ({ signal }) => api.get<TimsReportDto>('/api/clients/reports/tims', { query: { year, quarter }, signal }) });

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The agency's OVC TIMS-style performance measures for a quarter (issue #12, item 6): clients served,
 * new and continuing, by trafficking type and nationality, and services provided by category. Aggregates
 * only; downloadable as CSV and printable (the print stylesheet drops the controls and the app's chrome).
 */
export function TimsReportPage() {
  const { t } = useTranslation();
  const [initial] = useState(() => lastEndedQuarter(new Date()));
  const [year, setYear] = useState(initial.year);
  const [quarter, setQuarter] = useState(initial.quarter);
  const report = useQuery(timsQuery(year, quarter));
  const years = Array.from({ length: 6 }, (_, i) => initial.year - i);
  return (
    <>
      <PageTitle
        title={t('timsReport.title')}
        lead={t('timsReport.lead')}
        actions={
          <div className="lantern-print-hide lantern-action-row">
            <a className="usa-button usa-button--outline" href={`/api/clients/reports/tims.csv${toQueryString({ year, quarter })}`} download>
              {t('timsReport.csv')}
            </a>
            <button type="button" className="usa-button usa-button--outline" onClick={() => window.print()}>
              {t('timsReport.print')}
            </button>
          </div>
        }
      />
      <div className="lantern-print-hide grid-row grid-gap">
        <div className="grid-col-auto">
          <SelectField label={t('timsReport.year')} value={String(year)} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="grid-col-auto">
          <SelectField label={t('timsReport.quarter')} value={String(quarter)} onChange={(e) => setQuarter(Number(e.target.value))}>
            {[1, 2, 3, 4].map((q) => (
              <option key={q} value={q}>
                {t('timsReport.quarterOption', { quarter: q })}
              </option>
            ))}
          </SelectField>
        </div>
      </div>
      {report.isPending ? <Loading /> : report.isError ? <LoadError error={report.error} /> : <Report data={report.data} />}
    </>
  );
}

function Report({ data }: { data: TimsReportDto }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="lantern-muted">{t('timsReport.period', { agency: data.agency.name, year: data.year, quarter: data.quarter, from: data.from, to: data.to })}</p>
      <section className="lantern-section" aria-labelledby="tims-clients">
        <h2 id="tims-clients">{t('timsReport.clients')}</h2>
        <Table
          caption={t('timsReport.clientsCaption')}
          heading={t('timsReport.measure')}
          columns={[t('timsReport.count')]}
          rows={[
            { key: 'new', label: t('timsReport.new'), cells: [data.clients.new] },
            { key: 'continuing', label: t('timsReport.continuing'), cells: [data.clients.continuing] },
            { key: 'total', label: t('timsReport.total'), cells: [data.clients.new + data.clients.continuing] },
          ]}
        />
        <Table
          caption={t('timsReport.byType')}
          heading={t('timsReport.type')}
          columns={[t('timsReport.count')]}
          rows={TRAFFICKING_TYPES.map((type) => ({ key: type, label: t(`timsReport.types.${type}`), cells: [data.clients.byType.find((r) => r.traffickingType === type)?.count ?? 0] }))}
        />
        <Table
          caption={t('timsReport.byNationality')}
          heading={t('timsReport.nationality')}
          columns={[t('timsReport.count')]}
          rows={NATIONALITIES.map((n) => ({ key: n, label: t(`timsReport.nationalities.${n}`), cells: [data.clients.byNationality.find((r) => r.nationality === n)?.count ?? 0] }))}
        />
      </section>
      <section className="lantern-section" aria-labelledby="tims-services">
        <h2 id="tims-services">{t('timsReport.services')}</h2>
        <Table
          caption={t('timsReport.servicesCaption')}
          heading={t('timsReport.category')}
          columns={[t('timsReport.clientsServed'), t('timsReport.times')]}
          rows={data.services.map((s) => ({ key: s.category, label: SERVICE_CATEGORY_LABELS[s.category].en, cells: [s.clients, s.times] }))}
        />
      </section>
    </>
  );
}

function Table({ caption, heading, columns, rows }: { caption: string; heading: string; columns: string[]; rows: { key: string; label: string; cells: number[] }[] }) {
  return (
    <table className="usa-table usa-table--borderless lantern-tims-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          {columns.map((c) => (
            <th key={c} scope="col" className="text-right">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            {r.cells.map((n, i) => (
              <td key={i} className="text-right">
                {count(n)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
