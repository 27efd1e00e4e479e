import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { newsUrls } from '../../api/endpoints.ts';
import { pressReleaseQuery, pressReleasesQuery } from '../../api/queries.ts';
import type { PressReleaseDto, PressReleaseSummaryDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useFlash } from '../../components/flash.ts';
import { currentApproval, draftStage } from './approval.ts';
import { DraftStageTag, ReleaseStatusTag } from './labels.tsx';
import { distinctProblems } from './problems.ts';

/**
 * The list answers with summaries (no approvals); each draft's approvals and findings come from its
 * own record. Drafts are few — a task force writes a release per operation — so this stays cheap.
 */
const DRAFT_DETAILS_MAX = 25;

function ApprovalsCell({ detail }: { detail: PressReleaseDto | undefined }) {
  const { t } = useTranslation();
  if (!detail) return <span className="lantern-muted">{t('common.loading')}</span>;
  const line = (kind: 'pio' | 'coordinator') => {
    const given = currentApproval(detail, kind);
    return (
      <li>
        {t(`pressRelease.approvalKinds.${kind}`)}: {given ? given.userName : <span className="lantern-muted">{t('pressRelease.notYetApproved')}</span>}
      </li>
    );
  };
  return (
    <ul className="lantern-plain-list lantern-approvals-cell">
      {line('pio')}
      {line('coordinator')}
    </ul>
  );
}

interface ReleaseTableProps {
  caption: string;
  rows: PressReleaseSummaryDto[];
  details?: Map<string, PressReleaseDto | undefined>;
  /** Leave out the operation column (on an operation's own page). */
  withOperation?: boolean;
}

/** Drafts with where they stand and their approvals, or published releases with their public page. */
export function ReleaseTable({ caption, rows, details, withOperation = true }: ReleaseTableProps) {
  const { t } = useTranslation();
  const published = rows.every((r) => r.status === 'published');
  return (
    <div className="lantern-table-wrap">
      <table className="usa-table usa-table--borderless usa-table--stacked">
        <caption className="usa-sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('pressReleases.headline')}</th>
            {withOperation ? <th scope="col">{t('pressReleases.operation')}</th> : null}
            <th scope="col">{t('pressReleases.statusHeading')}</th>
            <th scope="col">{published ? t('pressReleases.publicPage') : t('pressReleases.approvals')}</th>
            <th scope="col">{published ? t('pressReleases.publishedAt') : t('pressReleases.updatedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const detail = details?.get(r.id);
            return (
              <tr key={r.id}>
                <th scope="row" data-label={t('pressReleases.headline')}>
                  <Link to="/press-releases/$releaseId" params={{ releaseId: r.id }} className="usa-link">
                    {r.title}
                  </Link>
                </th>
                {withOperation ? (
                  <td data-label={t('pressReleases.operation')}>
                    <Link to="/operations/$operationId" params={{ operationId: r.operationId }} className="usa-link">
                      {r.operationName}
                    </Link>
                  </td>
                ) : null}
                <td data-label={t('pressReleases.statusHeading')}>
                  <span className="lantern-tags">
                    <ReleaseStatusTag status={r.status} />
                    {r.status === 'draft' && detail ? <DraftStageTag stage={draftStage(detail)} /> : null}
                  </span>
                  {r.status === 'draft' && detail && detail.problems.length > 0 ? (
                    <span className="lantern-muted lantern-block">{t('pressReleases.findings', { count: distinctProblems(detail.problems).length })}</span>
                  ) : null}
                </td>
                {r.status === 'published' && r.slug ? (
                  <td data-label={t('pressReleases.publicPage')}>
                    <a className="usa-link" href={newsUrls(r.slug).pageEn} target="_blank" rel="noopener">
                      {t('pressReleases.openPublic')}
                      <span className="usa-sr-only">
                        {' '}
                        {r.title} {t('pressRelease.newTab')}
                      </span>
                    </a>
                  </td>
                ) : (
                  <td data-label={t('pressReleases.approvals')}>{details ? <ApprovalsCell detail={detail} /> : null}</td>
                )}
                <td data-label={published ? t('pressReleases.publishedAt') : t('pressReleases.updatedAt')}>
                  <DateTime value={r.status === 'published' ? r.publishedAt : r.updatedAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Each draft's full record (approvals, findings), for the lists. */
export function useDraftDetails(rows: PressReleaseSummaryDto[] | undefined): Map<string, PressReleaseDto | undefined> {
  const drafts = (rows ?? []).filter((r) => r.status === 'draft').slice(0, DRAFT_DETAILS_MAX);
  const results = useQueries({ queries: drafts.map((r) => ({ ...pressReleaseQuery(r.id), retry: false })) });
  return new Map(drafts.map((r, i) => [r.id, results[i]?.data]));
}

/** Every press release this user may see: drafts first, with where each stands, then published ones. */
export function PressReleasesPage() {
  const { t } = useTranslation();
  const flash = useFlash();
  const list = useQuery(pressReleasesQuery({}));
  const details = useDraftDetails(list.data?.pressReleases);
  const drafts = list.data?.pressReleases.filter((r) => r.status === 'draft') ?? [];
  const published = list.data?.pressReleases.filter((r) => r.status === 'published') ?? [];

  return (
    <>
      <PageTitle title={t('pressReleases.title')} lead={t('pressReleases.lead')} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {list.isPending ? (
        <Loading label={t('pressReleases.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.pressReleases.length === 0 ? (
        <EmptyState
          heading={t('pressReleases.emptyHeading')}
          action={
            <Link to="/operations" className="usa-button usa-button--outline">
              {t('pressReleases.toOperations')}
            </Link>
          }
        >
          {t('pressReleases.empty')}
        </EmptyState>
      ) : (
        <>
          <section className="lantern-section lantern-section--first" aria-labelledby="releases-drafts">
            <h2 id="releases-drafts">{t('pressReleases.draftsHeading', { count: drafts.length })}</h2>
            {drafts.length === 0 ? <p>{t('pressReleases.noDrafts')}</p> : <ReleaseTable caption={t('pressReleases.draftsCaption')} rows={drafts} details={details} />}
          </section>
          <section className="lantern-section" aria-labelledby="releases-published">
            <h2 id="releases-published">{t('pressReleases.publishedHeading', { count: published.length })}</h2>
            {published.length === 0 ? <p>{t('pressReleases.noPublished')}</p> : <ReleaseTable caption={t('pressReleases.publishedCaption')} rows={published} />}
          </section>
        </>
      )}
    </>
  );
}
