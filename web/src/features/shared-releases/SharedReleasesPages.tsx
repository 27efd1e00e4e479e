import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { receivedReleasesQuery, sharedExtractQuery, type SharedExtractDto } from '../clients/api.ts';
import { scopesText, serviceLabel } from '../clients/labels.ts';
import { Part2Notice } from '../referrals/Part2Notice.tsx';

const detailRoute = getRouteApi('/app/releases/$releaseId');
const day = (d: string) => formatDate(`${d}T12:00:00`);

/** `/releases`: the releases in effect naming my agency (and me, or no one person). */
export function SharedReleasesPage() {
  const { t } = useTranslation();
  const list = useQuery(receivedReleasesQuery);
  return (
    <>
      <PageTitle title={t('sharedReleases.title')} lead={t('sharedReleases.lead')} />
      {list.isPending ? (
        <Loading label={t('sharedReleases.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.releases.length === 0 ? (
        <EmptyState heading={t('sharedReleases.emptyHeading')}>{t('sharedReleases.empty')}</EmptyState>
      ) : (
        <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-labelledby="shared-caption">
          <table className="usa-table usa-table--borderless">
            <caption id="shared-caption">{t('sharedReleases.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sharedReleases.subject')}</th>
                <th scope="col">{t('sharedReleases.from')}</th>
                <th scope="col">{t('sharedReleases.scopes')}</th>
                <th scope="col">{t('sharedReleases.expires')}</th>
                <th scope="col">{t('sharedReleases.lastShared')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.releases.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to="/releases/$releaseId" params={{ releaseId: r.id }} className="usa-link">
                      {r.subject}
                    </Link>
                  </th>
                  <td>{r.from.name}</td>
                  <td>{scopesText(r.scopes)}</td>
                  <td>
                    <DateTime value={r.expiresAt} />
                  </td>
                  <td>{r.lastSharedAt ? <DateTime value={r.lastSharedAt} /> : t('sharedReleases.notShared')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Services({ services }: { services: { category: Parameters<typeof serviceLabel>[0]; providedOn: string }[] }) {
  const { t } = useTranslation();
  if (services.length === 0) return <p>{t('sharedReleases.servicesNone')}</p>;
  return (
    <ul className="usa-list">
      {services.map((s, i) => (
        <li key={`${s.category}-${s.providedOn}-${i}`}>
          {serviceLabel(s.category)} — {day(s.providedOn)}
        </li>
      ))}
    </ul>
  );
}

/** Exactly the shared scopes, each under its own heading, marked with the release that allows it. */
function Extract({ x }: { x: SharedExtractDto }) {
  const { t } = useTranslation();
  return (
    <>
      <Alert type="info" heading={t('sharedReleases.banner', { agency: x.release.from.name, purpose: x.release.purpose, date: formatDateTime(x.release.expiresAt) })} announce={false}>
        <p className="usa-alert__text">{t('sharedReleases.bannerLead')}</p>
        <p className="usa-alert__text">
          {t('sharedReleases.scopes')}: {scopesText(x.release.scopes)} · {t('sharedReleases.sharedAt')} <DateTime value={x.sharedAt} />
        </p>
      </Alert>
      {x.part2Notice ? <Part2Notice notice={x.part2Notice} /> : null}
      {x.serviceStatus ? (
        <section className="lantern-section" aria-labelledby="shared-service-status">
          <h2 id="shared-service-status">{t('sharedReleases.serviceStatus')}</h2>
          <dl className="lantern-facts">
            <dt>{t('sharedReleases.clientStatus')}</dt>
            <dd>{t(`clients.statuses.${x.serviceStatus.status}`)}</dd>
          </dl>
          <Services services={x.serviceStatus.services} />
        </section>
      ) : null}
      {x.contactDetails ? (
        <section className="lantern-section" aria-labelledby="shared-contact">
          <h2 id="shared-contact">{t('sharedReleases.contactDetails')}</h2>
          <dl className="lantern-facts">
            <dt>{t('sharedReleases.phone')}</dt>
            <dd>{x.contactDetails.phone ?? t('common.none')}</dd>
            <dt>{t('sharedReleases.language')}</dt>
            <dd>{x.contactDetails.language ?? t('common.none')}</dd>
          </dl>
        </section>
      ) : null}
      {x.statement !== null ? (
        <section className="lantern-section" aria-labelledby="shared-statement">
          <h2 id="shared-statement">{t('sharedReleases.statement')}</h2>
          <p className="lantern-briefing">{x.statement}</p>
        </section>
      ) : null}
      {x.substanceUse ? (
        <section className="lantern-section" aria-labelledby="shared-substance-use">
          <h2 id="shared-substance-use">{t('sharedReleases.substanceUse')}</h2>
          <Services services={x.substanceUse.services} />
        </section>
      ) : null}
    </>
  );
}

/** `/releases/$releaseId`: what was shared under a release, read through it now (404 once it is not in effect). */
export function SharedReleasePage() {
  const { t } = useTranslation();
  const { releaseId } = detailRoute.useParams();
  const extract = useQuery(sharedExtractQuery(releaseId));
  const back = <BackLink to="/releases">{t('sharedReleases.title')}</BackLink>;
  if (extract.isPending) return <Loading label={t('sharedReleases.loading')} />;
  if (extract.isError) {
    const gone = extract.error instanceof ApiError && extract.error.status === 404;
    return (
      <>
        {back}
        <PageTitle title={t('sharedReleases.titleOne')} />
        {gone ? (
          <Alert type="warning" heading={t('sharedReleases.notInEffectHeading')} announce={false}>
            {t('sharedReleases.notInEffect')}
          </Alert>
        ) : (
          <LoadError error={extract.error} />
        )}
      </>
    );
  }
  return (
    <>
      {back}
      <PageTitle title={extract.data.subject} />
      <Extract x={extract.data} />
    </>
  );
}
