import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { statistics } from '../../api/endpoints.ts';
import { keys, statisticsReleasesQuery } from '../../api/queries.ts';
import type { StatisticsReleaseDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';

/** "2020Q4" → "2020 Q4". */
export const quarterLabel = (q: string) => q.replace(/^(\d{4})Q([1-4])$/, '$1 Q$2');

/** "2020 Q1 – 2026 Q3", or one quarter. */
export function quarterRange(quarters: readonly string[]): string {
  if (quarters.length === 0) return '';
  const first = quarterLabel(quarters[0]!);
  const last = quarterLabel(quarters[quarters.length - 1]!);
  return first === last ? first : `${first} – ${last}`;
}

const number = new Intl.NumberFormat('en-US');
/** 6457 → "6,457". */
export const formatCount = (n: number) => number.format(n);

/** The answers that mean "nothing new to publish yet": said plainly, not as a failure. */
const NOTHING_NEW = new Set(['no_new_quarter', 'nothing_to_publish']);

/**
 * What a release would publish (the preview's counts: the API returns no values before publishing),
 * as a table of the release's make-up.
 */
function PreviewTable({ preview }: { preview: StatisticsReleaseDto }) {
  const { t } = useTranslation();
  const hidden = preview.suppressed.primary + preview.suppressed.complementary;
  const rows: [string, string][] = [
    [t('statisticsReleases.preview.seq'), String(preview.seq)],
    [t('statisticsReleases.preview.quarters'), t('statisticsReleases.quartersCount', { range: quarterRange(preview.quarters), count: preview.quarters.length })],
    [t('statisticsReleases.preview.newQuarters'), t('statisticsReleases.quartersCount', { range: quarterRange(preview.newQuarters), count: preview.newQuarters.length })],
    [t('statisticsReleases.preview.cells'), formatCount(preview.cells)],
    [t('statisticsReleases.preview.shown'), formatCount(preview.cells - hidden)],
    [t('statisticsReleases.preview.primary'), formatCount(preview.suppressed.primary)],
    [t('statisticsReleases.preview.complementary'), formatCount(preview.suppressed.complementary)],
  ];
  return (
    <table className="usa-table usa-table--borderless usa-table--compact lantern-count-table">
      <caption>{t('statisticsReleases.preview.caption', { seq: preview.seq })}</caption>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="lantern-num">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The statistics release ledger for public-information officers (issue #4, item 4): what has been
 * published, a preview of the next release, and publishing it. The public page is server-rendered at
 * /statistics, outside this app.
 */
export function StatisticsReleasesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery(statisticsReleasesQuery);
  const [confirming, setConfirming] = useState(false);
  const [published, setPublished] = useState<StatisticsReleaseDto>();
  const canPublish = list.data?.abilities['statistics.publish'] === true;

  const preview = useMutation({
    mutationFn: () => statistics.preview(),
    onMutate: () => setPublished(undefined),
  });
  const publish = useMutation({
    mutationFn: () => statistics.publish(),
    onSuccess: (dto) => {
      setConfirming(false);
      setPublished(dto);
      preview.reset();
      void queryClient.invalidateQueries({ queryKey: keys.statisticsReleases });
    },
    onError: () => setConfirming(false),
  });

  const nothingNew = (error: unknown) => error instanceof ApiError && NOTHING_NEW.has(error.code);
  const publicLink = (
    <a className="usa-button usa-button--outline" href={statistics.publicPageUrl} target="_blank" rel="noopener">
      {t('statisticsReleases.publicPage')}
      <span className="usa-sr-only"> {t('pressRelease.newTab')}</span>
    </a>
  );

  return (
    <>
      <PageTitle title={t('statisticsReleases.title')} lead={t('statisticsReleases.lead')} actions={publicLink} />
      {published ? (
        <Alert type="success" slim>
          {t('statisticsReleases.published', { seq: published.seq, range: quarterRange(published.newQuarters) })}
        </Alert>
      ) : null}

      {canPublish ? (
        <section className="lantern-section lantern-section--first" aria-labelledby="stats-next">
          <h2 id="stats-next">{t('statisticsReleases.nextHeading')}</h2>
          <p>{t('statisticsReleases.nextLead')}</p>
          <p>{t('statisticsReleases.suppressionExplain')}</p>
          <div className="lantern-actions">
            <button type="button" className="usa-button usa-button--outline" disabled={preview.isPending} onClick={() => preview.mutate()}>
              {preview.isPending ? t('statisticsReleases.previewing') : t('statisticsReleases.previewButton')}
            </button>
          </div>
          {preview.error ? (
            nothingNew(preview.error) ? (
              <Alert type="info" slim announce>
                {(preview.error as ApiError).message}
              </Alert>
            ) : (
              <ErrorAlert error={preview.error} />
            )
          ) : null}
          {publish.error ? nothingNew(publish.error) ? <Alert type="info" slim announce>{(publish.error as ApiError).message}</Alert> : <ErrorAlert error={publish.error} /> : null}
          {preview.data ? (
            <section className="lantern-stat-preview" aria-labelledby="stats-preview-heading">
              <h3 id="stats-preview-heading">{t('statisticsReleases.preview.heading', { seq: preview.data.seq })}</h3>
              <PreviewTable preview={preview.data} />
              <p className="lantern-muted">{t('statisticsReleases.preview.note')}</p>
              <button type="button" className="usa-button" onClick={() => setConfirming(true)}>
                {t('statisticsReleases.publishButton', { seq: preview.data.seq })}
              </button>
            </section>
          ) : null}
        </section>
      ) : null}

      <section className={canPublish ? 'lantern-section' : 'lantern-section lantern-section--first'} aria-labelledby="stats-ledger">
        <h2 id="stats-ledger">{t('statisticsReleases.ledgerHeading')}</h2>
        {list.isPending ? (
          <Loading label={t('statisticsReleases.loading')} />
        ) : list.isError ? (
          <LoadError error={list.error} />
        ) : list.data.releases.length === 0 ? (
          <EmptyState heading={t('statisticsReleases.emptyHeading')} headingLevel="h3">
            {canPublish ? t('statisticsReleases.emptyCanPublish') : t('statisticsReleases.empty')}
          </EmptyState>
        ) : (
          <div className="lantern-table-wrap">
            <table className="usa-table usa-table--borderless usa-table--stacked">
              <caption className="usa-sr-only">{t('statisticsReleases.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('statisticsReleases.seq')}</th>
                  <th scope="col">{t('statisticsReleases.publishedAt')}</th>
                  <th scope="col">{t('statisticsReleases.quarters')}</th>
                  <th scope="col">{t('statisticsReleases.newQuarters')}</th>
                  <th scope="col" className="lantern-num">
                    {t('statisticsReleases.cells')}
                  </th>
                  <th scope="col" className="lantern-num">
                    {t('statisticsReleases.suppressed')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.releases.map((r) => (
                  <tr key={r.id ?? r.seq}>
                    <th scope="row" data-label={t('statisticsReleases.seq')}>
                      {r.seq}
                    </th>
                    <td data-label={t('statisticsReleases.publishedAt')}>
                      <DateTime value={r.publishedAt} />
                      {r.publishedBy ? <span className="lantern-muted lantern-block">{t('statisticsReleases.by', { name: r.publishedBy })}</span> : null}
                    </td>
                    <td data-label={t('statisticsReleases.quarters')}>{t('statisticsReleases.quartersCount', { range: quarterRange(r.quarters), count: r.quarters.length })}</td>
                    <td data-label={t('statisticsReleases.newQuarters')}>{t('statisticsReleases.quartersCount', { range: quarterRange(r.newQuarters), count: r.newQuarters.length })}</td>
                    <td data-label={t('statisticsReleases.cells')} className="lantern-num">
                      {formatCount(r.cells)}
                    </td>
                    <td data-label={t('statisticsReleases.suppressed')} className="lantern-num">
                      {formatCount(r.suppressed.primary + r.suppressed.complementary)}
                      <span className="lantern-muted lantern-block">
                        {t('statisticsReleases.suppressedCount', { primary: formatCount(r.suppressed.primary), complementary: formatCount(r.suppressed.complementary) })}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ConfirmDialog
        open={confirming}
        title={t('statisticsReleases.confirmTitle', { seq: preview.data?.seq ?? '' })}
        confirmLabel={t('statisticsReleases.confirm')}
        pending={publish.isPending}
        onConfirm={() => publish.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('statisticsReleases.confirmBody', { range: quarterRange(preview.data?.newQuarters ?? []) })}</p>
        <p>{t('statisticsReleases.confirmPermanent')}</p>
      </ConfirmDialog>
    </>
  );
}
