import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CONTACT_ROLE_LABELS, DISPOSITION_LABELS, SERVICE_LABELS } from '../../../../common/operations.ts';
import { ApiError } from '../../api/client.ts';
import { statistics } from '../../api/endpoints.ts';
import { jurisdictionQuery, keys, statisticsActiveJobsQuery, statisticsJobQuery, statisticsReleasesQuery } from '../../api/queries.ts';
import type { JurisdictionDto, PreviewHiddenCellDto, StatisticsJobDto, StatisticsJobKind, StatisticsPreviewDto } from '../../api/types.ts';
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

/** The job this tab last started or followed, so its result is still there after leaving the page. */
const JOB_KEY = 'lantern.statistics.job';
function rememberedJob(): string | undefined {
  try {
    return sessionStorage.getItem(JOB_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
function remember(id: string | undefined) {
  try {
    if (id) sessionStorage.setItem(JOB_KEY, id);
    else sessionStorage.removeItem(JOB_KEY);
  } catch {
    // Storage refused (a private window): the running job is still found through the API.
  }
}

/** How many hidden cells of one reason are listed; the rest are counted. */
const LISTED = 200;

/** Each category's label, where there is one (the persons' roles, the outcomes, the services: the words en.json has too). */
const CATEGORY_LABELS: Partial<Record<string, Record<string, string>>> = { persons: CONTACT_ROLE_LABELS, outcomes: DISPOSITION_LABELS, services: SERVICE_LABELS };

/**
 * What the release would publish (the preview's counts: the API returns no values before publishing),
 * as a table of the release's make-up and of what the auditor did.
 */
function PreviewTable({ preview }: { preview: StatisticsPreviewDto }) {
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
    [t('statisticsReleases.preview.solves'), formatCount(preview.audit.solves)],
    [t('statisticsReleases.preview.protectedCounts'), formatCount(preview.audit.protectedCounts)],
    [
      t('statisticsReleases.preview.narrowest'),
      preview.audit.narrowestWidth === null ? t('statisticsReleases.preview.narrowestNone') : t('statisticsReleases.preview.narrowestWidth', { width: formatCount(preview.audit.narrowestWidth) }),
    ],
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

/** A hidden cell in words: "Persons: Minor, Jackson, 2026 Q1". */
function useDescribeCell() {
  const { t } = useTranslation();
  const counties = useQuery(jurisdictionQuery).data?.counties;
  return (d: PreviewHiddenCellDto['dimensions']) => {
    const family = t(`statisticsReleases.families.${d.family}`);
    const category = d.category === 'all' ? t('statisticsReleases.hidden.all') : (CATEGORY_LABELS[d.family]?.[d.category] ?? d.category.replace(/_/g, ' '));
    const county = d.county === 'all' ? t('statisticsReleases.hidden.statewide') : (countyName(counties, d.county) ?? t('statisticsReleases.hidden.county', { fips: d.county }));
    return `${family}: ${category}, ${county}, ${quarterLabel(d.period)}`;
  };
}

const countyName = (counties: JurisdictionDto['counties'] | undefined, fips: string) => counties?.find((c) => c.fips === fips)?.name.en;

/** The counts a release would hide for the first time, by reason; a complementary one says what it protects. */
function HiddenCells({ hidden }: { hidden: PreviewHiddenCellDto[] }) {
  const { t } = useTranslation();
  const describe = useDescribeCell();
  const groups = [
    { reason: 'complementary' as const, cells: hidden.filter((h) => h.reason === 'complementary'), open: true },
    { reason: 'primary' as const, cells: hidden.filter((h) => h.reason === 'primary'), open: false },
  ].filter((g) => g.cells.length > 0);
  return (
    <section aria-labelledby="stats-hidden-heading" className="lantern-stat-hidden">
      <h4 id="stats-hidden-heading">{t('statisticsReleases.hidden.heading')}</h4>
      {groups.length === 0 ? <p>{t('statisticsReleases.hidden.none')}</p> : null}
      {groups.map((g) => (
        <details key={g.reason} open={g.open}>
          <summary>{t(`statisticsReleases.hidden.${g.reason}`, { count: g.cells.length })}</summary>
          <ul className="usa-list" aria-label={t(`statisticsReleases.hidden.${g.reason}`, { count: g.cells.length })}>
            {g.cells.slice(0, LISTED).map((h, i) => (
              <li key={i}>
                {describe(h.dimensions)}
                {h.protects ? <span className="lantern-muted lantern-block">{t('statisticsReleases.hidden.protects', { what: h.protects })}</span> : null}
              </li>
            ))}
          </ul>
          {g.cells.length > LISTED ? <p className="lantern-muted">{t('statisticsReleases.hidden.more', { count: g.cells.length - LISTED })}</p> : null}
        </details>
      ))}
    </section>
  );
}

/** A running job's progress: a native progress bar (its value once the plan says how far it has to go) and the step in words. */
function JobProgress({ job }: { job: StatisticsJobDto }) {
  const { t } = useTranslation();
  const labelId = useId();
  const textId = useId();
  const known = job.phase !== null && job.total > 0;
  const text = job.phase ? t(`statisticsReleases.job.phase_${job.phase}`, { done: formatCount(job.done), total: formatCount(job.total) }) : t('statisticsReleases.job.starting');
  return (
    <div className="lantern-job-progress">
      <p id={labelId} className="lantern-job-progress__label">
        {job.kind === 'preview' ? t('statisticsReleases.job.previewHeading') : t('statisticsReleases.job.publishHeading')}
      </p>
      <progress className="lantern-job-progress__bar" aria-labelledby={labelId} aria-describedby={textId} {...(known ? { max: job.total, value: job.done } : {})} />
      <p id={textId} className="lantern-job-progress__text">
        {text}
      </p>
      <p className="lantern-muted">
        {job.startedBy ? `${t('statisticsReleases.job.startedBy', { name: job.startedBy })} ` : null}
        {t('statisticsReleases.job.leave')}
      </p>
    </div>
  );
}

/**
 * The statistics release ledger for public-information officers (issue #4, item 4): what has been
 * published, a preview of the next release, and publishing it. A preview and a publication run on the
 * server as jobs (issue #8) that can take minutes: the page shows their progress, and picks it up again
 * when the PIO comes back. The public page is server-rendered at /statistics, outside this app.
 */
export function StatisticsReleasesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery(statisticsReleasesQuery);
  const [confirming, setConfirming] = useState(false);
  const [jobId, setJobId] = useState<string | undefined>(rememberedJob);
  const canPublish = list.data?.abilities['statistics.publish'] === true;

  // Every job this page has followed: a list of running jobs fetched before one of them ended must not
  // take the page back to it.
  const followed = useRef(new Set<string>());
  const follow = (id: string | undefined) => {
    if (id) followed.current.add(id);
    setJobId(id);
    remember(id);
  };

  const job = useQuery({ ...statisticsJobQuery(jobId ?? ''), enabled: canPublish && jobId !== undefined });
  const active = useQuery({ ...statisticsActiveJobsQuery, enabled: canPublish });
  // The county names of a preview's hidden cells, fetched before the preview ends.
  useQuery({ ...jurisdictionQuery, enabled: canPublish });
  const current = job.data;
  const running = current?.status === 'running';

  // Coming back to the page: follow the job still running (a publication before a preview), unless this
  // tab already follows a running one.
  const runningJobs = active.data?.jobs;
  useEffect(() => {
    if (running) return;
    const fresh = runningJobs?.filter((j) => j.id !== jobId && !followed.current.has(j.id)) ?? [];
    const pick = fresh.find((j) => j.kind === 'publish') ?? fresh[0];
    if (!pick) return;
    queryClient.setQueryData(keys.statisticsJob(pick.id), pick);
    follow(pick.id);
  }, [runningJobs, running, jobId, queryClient]);

  // A job this tab remembers but the server does not know (another database, say): forget it.
  const lostJob = job.error instanceof ApiError && job.error.status === 404;
  useEffect(() => {
    if (lostJob) follow(undefined);
  }, [lostJob]);

  // A publication that finished is a new row of the ledger.
  const publishedId = current?.kind === 'publish' && current.status === 'done' ? current.id : undefined;
  useEffect(() => {
    if (publishedId) void queryClient.invalidateQueries({ queryKey: keys.statisticsReleases });
  }, [publishedId, queryClient]);

  const start = useMutation({
    mutationFn: (kind: StatisticsJobKind) => statistics.startJob(kind),
    onSuccess: (dto) => {
      setConfirming(false);
      queryClient.setQueryData(keys.statisticsJob(dto.id), dto);
      follow(dto.id);
    },
    onError: (error) => {
      setConfirming(false);
      // Someone else's publication is running: show its progress.
      if (error instanceof ApiError && error.code === 'publication_running') void queryClient.invalidateQueries({ queryKey: keys.statisticsActiveJobs });
    },
  });

  const busy = start.isPending || running;
  const preview = current?.kind === 'preview' && current.status === 'done' ? current.preview : null;
  const release = current?.kind === 'publish' && current.status === 'done' ? current.release : null;
  const failed = current?.status === 'failed' ? current : undefined;

  const publicLink = (
    <a className="usa-button usa-button--outline" href={statistics.publicPageUrl} target="_blank" rel="noopener">
      {t('statisticsReleases.publicPage')}
      <span className="usa-sr-only"> {t('pressRelease.newTab')}</span>
    </a>
  );

  return (
    <>
      <PageTitle title={t('statisticsReleases.title')} lead={t('statisticsReleases.lead')} actions={publicLink} />
      {release ? (
        <Alert type="success" slim>
          {t('statisticsReleases.published', { seq: release.seq, range: quarterRange(release.newQuarters) })}
        </Alert>
      ) : null}

      {canPublish ? (
        <section className="lantern-section lantern-section--first" aria-labelledby="stats-next">
          <h2 id="stats-next">{t('statisticsReleases.nextHeading')}</h2>
          <p>{t('statisticsReleases.nextLead')}</p>
          <p>{t('statisticsReleases.suppressionExplain')}</p>
          <div className="lantern-actions">
            <button type="button" className="usa-button usa-button--outline" disabled={busy} onClick={() => start.mutate('preview')}>
              {start.isPending && start.variables === 'preview' ? t('statisticsReleases.previewing') : t('statisticsReleases.previewButton')}
            </button>
          </div>
          {start.error ? (
            start.error instanceof ApiError && start.error.code === 'publication_running' ? (
              <Alert type="info" slim announce>
                {t('statisticsReleases.job.running')}
              </Alert>
            ) : (
              <ErrorAlert error={start.error} />
            )
          ) : null}
          {job.error && !lostJob ? <ErrorAlert error={job.error} /> : null}
          {current && running ? <JobProgress job={current} /> : null}
          {failed ? (
            failed.error && NOTHING_NEW.has(failed.error.code) ? (
              <Alert type="info" slim announce>
                {failed.error.message}
              </Alert>
            ) : (
              <Alert type="error" heading={failed.kind === 'preview' ? t('statisticsReleases.job.previewFailed') : t('statisticsReleases.job.publishFailed')} headingLevel="h3">
                <p>{failed.error?.message}</p>
                <p>{t('statisticsReleases.job.tryAgain')}</p>
              </Alert>
            )
          ) : null}
          {preview ? (
            <section className="lantern-stat-preview" aria-labelledby="stats-preview-heading">
              <h3 id="stats-preview-heading">{t('statisticsReleases.preview.heading', { seq: preview.seq })}</h3>
              <PreviewTable preview={preview} />
              <HiddenCells hidden={preview.hidden} />
              <p className="lantern-muted">{t('statisticsReleases.preview.note')}</p>
              <button type="button" className="usa-button" disabled={busy} onClick={() => setConfirming(true)}>
                {t('statisticsReleases.publishButton', { seq: preview.seq })}
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
        title={t('statisticsReleases.confirmTitle', { seq: preview?.seq ?? '' })}
        confirmLabel={t('statisticsReleases.confirm')}
        pending={start.isPending}
        onConfirm={() => start.mutate('publish')}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('statisticsReleases.confirmBody', { range: quarterRange(preview?.newQuarters ?? []) })}</p>
        <p>{t('statisticsReleases.confirmPermanent')}</p>
      </ConfirmDialog>
    </>
  );
}
