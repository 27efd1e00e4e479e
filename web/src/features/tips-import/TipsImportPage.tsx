import { useId, useState, type ChangeEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IMPORT_FIELDS, TIP_IMPORT_LIMITS, type ImportField } from '../../../../common/tips-import.ts';
import { BODY_LIMIT_BYTES } from '../../../../common/limits.ts';
import { ApiError } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useMe } from '../../app/me.ts';
import { importJobQuery, tipImport, type ImportJobDto, type ImportMapping, type ImportPreview } from './api.ts';

const number = new Intl.NumberFormat('en-US');
const count = (n: number) => number.format(n);

/** The first words of a narrative, for the preview table. */
const firstWords = (s: unknown) => (typeof s === 'string' ? (s.length > 90 ? `${s.slice(0, 90)}…` : s) : '');

/** "yes" / "no" for a converted flag, the cell's text otherwise. */
function useCell() {
  const { t } = useTranslation();
  return (v: unknown): string => {
    if (v === true) return t('tipsImport.yes');
    if (v === false) return t('tipsImport.no');
    if (Array.isArray(v)) return v.join('; ');
    return v === undefined || v === null ? '' : String(v);
  };
}

/** The column of the file a tip field came from, to name it in the report as the user knows it. */
const columnOf = (mapping: ImportMapping, field: string) => Object.entries(mapping).find(([, f]) => f === field)?.[0];

/** One select per column of the file: which tip field it fills, or "not imported". */
function MappingTable({ preview, mapping, onChange, error }: { preview: ImportPreview; mapping: ImportMapping; onChange: (m: ImportMapping) => void; error: ApiError | null }) {
  const { t } = useTranslation();
  const baseId = useId();
  const fieldError = (header: string) => (error?.field === `mapping.${header}` ? error.message : undefined);
  return (
    <div className="lantern-table-wrap">
      <table className="usa-table usa-table--borderless usa-table--compact">
        <caption>{t('tipsImport.mapping.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tipsImport.mapping.column')}</th>
            <th scope="col">{t('tipsImport.mapping.field')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.headers.map((header, i) => {
            const id = `${baseId}-map-${i}`;
            const problem = fieldError(header);
            return (
              <tr key={header}>
                <th scope="row">
                  <label htmlFor={id}>{header}</label>
                </th>
                <td>
                  {problem ? (
                    <span className="usa-error-message" id={`${id}-error`}>
                      {problem}
                    </span>
                  ) : null}
                  <select
                    id={id}
                    className="usa-select"
                    value={mapping[header] ?? ''}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${id}-error` : undefined}
                    onChange={(e) => onChange({ ...mapping, [header]: (e.target.value || null) as ImportField | null })}
                  >
                    <option value="">{t('tipsImport.mapping.none')}</option>
                    {IMPORT_FIELDS.map((f) => (
                      <option key={f} value={f}>
                        {t(`tipsImport.fields.${f}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The first rows as they would be filed, each with its problems. */
function PreviewRows({ preview }: { preview: ImportPreview }) {
  const { t } = useTranslation();
  const cell = useCell();
  const fieldLabel = useFieldLabel();
  const shown: ImportField[] = ['externalRef', 'receivedAt', 'zip', 'city', 'minorInvolved', 'immediateDanger', 'language'];
  return (
    <div className="lantern-table-wrap">
      <table className="usa-table usa-table--borderless usa-table--stacked usa-table--compact">
        <caption>{t('tipsImport.preview.caption', { shown: preview.rows.length, total: count(preview.totalRows) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tipsImport.preview.row')}</th>
            {shown.map((f) => (
              <th scope="col" key={f}>
                {t(`tipsImport.fields.${f}`)}
              </th>
            ))}
            <th scope="col">{t('tipsImport.fields.narrative')}</th>
            <th scope="col">{t('tipsImport.preview.problems')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={r.row}>
              <th scope="row" data-label={t('tipsImport.preview.row')}>
                {r.row}
              </th>
              {shown.map((f) => (
                <td key={f} data-label={t(`tipsImport.fields.${f}`)}>
                  {cell(r.tip[f])}
                </td>
              ))}
              <td data-label={t('tipsImport.fields.narrative')}>{firstWords(r.tip.narrative)}</td>
              <td data-label={t('tipsImport.preview.problems')}>
                {r.errors.length === 0 ? (
                  <span className="lantern-muted">{t('tipsImport.preview.ok')}</span>
                ) : (
                  <ul className="usa-list usa-list--unstyled">
                    {r.errors.map((e) => (
                      <li key={e.field} className="text-secondary-dark">
                        {t('tipsImport.problem', { field: fieldLabel(e.field), reason: e.reason })}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A tip field's label ("ZIP code"), "Whole row", or the name as given (a list item, "phones.3", reads as its list). */
function useFieldLabel() {
  const { t } = useTranslation();
  const labels = t('tipsImport.fields', { returnObjects: true }) as Record<ImportField, string>;
  return (field: string): string => {
    const base = field.split('.')[0]!;
    if (base === 'row') return t('tipsImport.wholeRow');
    return (IMPORT_FIELDS as readonly string[]).includes(base) ? labels[base as ImportField] : field;
  };
}

/** A running import: a native progress bar and the count in words, announced as it moves. */
function ImportProgress({ job }: { job: ImportJobDto }) {
  const { t } = useTranslation();
  const labelId = useId();
  return (
    <div className="lantern-job-progress">
      <p id={labelId} className="lantern-job-progress__label">
        {t('tipsImport.progress.heading')}
      </p>
      <progress className="lantern-job-progress__bar" aria-labelledby={labelId} max={Math.max(job.total, 1)} value={job.processed} />
      <p className="lantern-job-progress__text" aria-live="polite">
        {t('tipsImport.progress.text', { processed: count(job.processed), total: count(job.total) })}
      </p>
      <p className="lantern-muted">{t('tipsImport.progress.leave')}</p>
    </div>
  );
}

/** What the import did: imported, duplicates, and every rejected row with its reason. */
function ImportReport({ job, mapping }: { job: ImportJobDto; mapping: ImportMapping }) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  return (
    <section className="lantern-section" aria-labelledby="import-report-heading">
      <h2 id="import-report-heading">{t('tipsImport.report.heading')}</h2>
      {job.status === 'failed' ? (
        <Alert type="error" heading={t('tipsImport.report.failed')} headingLevel="h3">
          <p>{job.error}</p>
        </Alert>
      ) : (
        <Alert type="success" slim announce>
          {t('tipsImport.report.done', { total: count(job.total) })}
        </Alert>
      )}
      <table className="usa-table usa-table--borderless usa-table--compact lantern-count-table">
        <caption className="usa-sr-only">{t('tipsImport.report.countsCaption')}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('tipsImport.report.imported')}</th>
            <td className="lantern-num" data-testid="import-imported">
              {count(job.imported)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('tipsImport.report.duplicates')}</th>
            <td className="lantern-num" data-testid="import-duplicates">
              {count(job.duplicates)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('tipsImport.report.rejected')}</th>
            <td className="lantern-num" data-testid="import-rejected">
              {count(job.rejected.length)}
            </td>
          </tr>
          {job.status === 'failed' ? (
            <tr>
              <th scope="row">{t('tipsImport.report.notReached')}</th>
              <td className="lantern-num">{count(job.total - job.processed)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {job.duplicates > 0 ? <p>{t('tipsImport.report.duplicatesExplain')}</p> : null}
      {job.rejected.length > 0 ? (
        <>
          <h3>{t('tipsImport.report.rejectedHeading')}</h3>
          <div className="lantern-table-wrap">
            <table className="usa-table usa-table--borderless usa-table--stacked">
              <caption className="usa-sr-only">{t('tipsImport.report.rejectedCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tipsImport.preview.row')}</th>
                  <th scope="col">{t('tipsImport.report.column')}</th>
                  <th scope="col">{t('tipsImport.report.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {job.rejected.map((r) => (
                  <tr key={r.row}>
                    <th scope="row" data-label={t('tipsImport.preview.row')}>
                      {r.row}
                    </th>
                    <td data-label={t('tipsImport.report.column')}>{columnOf(mapping, r.field.split('.')[0]!) ?? fieldLabel(r.field)}</td>
                    <td data-label={t('tipsImport.report.reason')}>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <a className="usa-button usa-button--outline" href={tipImport.rejectedCsvUrl(job.id)} download>
              {t('tipsImport.report.download')}
            </a>
          </p>
        </>
      ) : null}
    </section>
  );
}

/**
 * Importing the tips the national hotline forwards (issue #10, item 4): choose its CSV file, check how its
 * columns map onto a tip against a preview of the first rows, import, follow the progress, and read the
 * report — every row imported, a duplicate (its case number is already in Lantern) or rejected with its
 * reason, the rejected ones downloadable as CSV to fix and import again.
 */
export function TipsImportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const fileId = useId();
  const [csv, setCsv] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [jobId, setJobId] = useState<string | null>(null);
  // The navigation's abilities say so when they know the import; otherwise the server decides.
  const allowed = me.abilities['tip.import'] !== false;

  const previewing = useMutation({
    mutationFn: (input: { csv: string; mapping?: ImportMapping }) => tipImport.preview(input.csv, input.mapping),
    onSuccess: (p) => {
      setPreview(p);
      setMapping(p.mapping);
    },
  });
  const starting = useMutation({
    mutationFn: () => tipImport.start(csv!, mapping),
    onSuccess: ({ jobId: id }) => setJobId(id),
  });
  const job = useQuery({ ...importJobQuery(jobId ?? ''), enabled: jobId !== null });

  const chooseFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setPreview(null);
    setJobId(null);
    setFileError(null);
    starting.reset();
    previewing.reset();
    if (!file) return setCsv(null);
    const text = await file.text();
    // The file goes to the server as JSON, which must fit the API's body limit too.
    if (text.length > TIP_IMPORT_LIMITS.csvChars || new Blob([JSON.stringify({ csv: text })]).size > BODY_LIMIT_BYTES - 64 * 1024) {
      setCsv(null);
      return setFileError(t('tipsImport.file.tooBig', { max: count(TIP_IMPORT_LIMITS.csvChars) }));
    }
    setCsv(text);
    previewing.mutate({ csv: text });
  };

  const changeMapping = (m: ImportMapping) => {
    setMapping(m);
    if (csv) previewing.mutate({ csv, mapping: m });
  };

  const current = job.data;
  const running = starting.isPending || current?.status === 'running';
  const previewError = previewing.error instanceof ApiError ? previewing.error : null;
  const mappingError = previewError?.field?.startsWith('mapping') ? previewError : null;
  const rowsWithProblems = preview?.rows.filter((r) => r.errors.length > 0).length ?? 0;

  if (!allowed) {
    return (
      <>
        <PageTitle title={t('tipsImport.title')} />
        <Alert type="info">{t('tipsImport.notAllowed')}</Alert>
      </>
    );
  }

  return (
    <>
      <PageTitle title={t('tipsImport.title')} lead={t('tipsImport.lead')} />
      <section className="lantern-section lantern-section--first" aria-labelledby="import-file-heading">
        <h2 id="import-file-heading">{t('tipsImport.file.heading')}</h2>
        <div className={fileError || (previewError && !mappingError) ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
          <label className="usa-label" htmlFor={fileId}>
            {t('tipsImport.file.label')}
          </label>
          <div className="usa-hint" id={`${fileId}-hint`}>
            {t('tipsImport.file.hint', { rows: count(TIP_IMPORT_LIMITS.rows) })}
          </div>
          {fileError ? (
            <span className="usa-error-message" role="alert">
              {fileError}
            </span>
          ) : null}
          <input id={fileId} className="usa-input" type="file" accept=".csv,text/csv" aria-describedby={`${fileId}-hint`} disabled={running} onChange={(e) => void chooseFile(e)} />
        </div>
        {previewError && !mappingError ? <ErrorAlert error={previewError} /> : null}
        {previewing.isPending ? <p aria-live="polite">{t('tipsImport.file.reading')}</p> : null}
      </section>

      {preview ? (
        <section className="lantern-section" aria-labelledby="import-preview-heading">
          <h2 id="import-preview-heading">{t('tipsImport.preview.heading')}</h2>
          <p>{t('tipsImport.mapping.lead')}</p>
          <MappingTable preview={preview} mapping={mapping} onChange={changeMapping} error={mappingError} />
          {mappingError && !mappingError.field?.startsWith('mapping.') ? <ErrorAlert error={mappingError} slim /> : null}
          <PreviewRows preview={preview} />
          {rowsWithProblems > 0 ? (
            <Alert type="warning" slim>
              {t('tipsImport.preview.someProblems', { count: rowsWithProblems })}
            </Alert>
          ) : null}
          <div className="lantern-actions">
            <button type="button" className="usa-button" disabled={running || !!mappingError || previewing.isPending} onClick={() => starting.mutate()}>
              {t('tipsImport.start', { count: preview.totalRows, rows: count(preview.totalRows) })}
            </button>
          </div>
          {starting.error ? <ErrorAlert error={starting.error} /> : null}
        </section>
      ) : null}

      {job.error ? <ErrorAlert error={job.error} /> : null}
      {current && current.status === 'running' ? <ImportProgress job={current} /> : null}
      {current && current.status !== 'running' ? <ImportReport job={current} mapping={mapping} /> : null}
    </>
  );
}
