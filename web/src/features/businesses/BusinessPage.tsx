import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { BUSINESS_FACT_KINDS } from '../../../../common/businesses.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { useFlash } from '../../components/flash.ts';
import { formatDate } from '../../components/format.ts';
import { BusinessLettersSection } from '../campaign/BusinessLettersSection.tsx';
import { businessEventsQuery, businessNetworkQuery, businessQuery, type BusinessDto } from './api.ts';
import { AddFactForm, AddOperatorForm } from './Additions.tsx';
import { EditDetails } from './EditDetails.tsx';
import { EvidenceSection } from './Evidence.tsx';
import { eventText, outcomeLabel, ScoreReasons, StageTag } from './labels.tsx';
import { PipelineSection } from './Pipeline.tsx';

const route = getRouteApi('/app/businesses/$businessId');

const day = (d: string | null | undefined) => (d ? formatDate(`${d}T12:00:00`) : '');

/** Cleared as legitimate: shown as plainly as a flag, with the reason, who and when. */
export function ClearedBanner({ business }: { business: BusinessDto }) {
  const { t } = useTranslation();
  if (!business.cleared) return null;
  return (
    <Alert type="success" heading={t('businesses.detail.clearedHeading')} announce={false}>
      <p className="usa-alert__text">{t('businesses.detail.clearedReason', { reason: business.cleared.reason })}</p>
      <p className="usa-alert__text">
        {t('businesses.detail.clearedBy', { name: business.cleared.by })} <DateTime value={business.cleared.at} />
      </p>
    </Alert>
  );
}

function Summary({ business: b }: { business: BusinessDto }) {
  const { t } = useTranslation();
  const license = [b.license.number && t('businesses.detail.licenseNumber', { number: b.license.number }), b.license.issuer, b.license.status, b.license.issued && t('businesses.detail.licenseIssued', { date: day(b.license.issued) }), b.license.expires && t('businesses.detail.licenseExpires', { date: day(b.license.expires) })].filter(Boolean).join(' · ');
  const source = (key: string) => (b.sources[key] ? <span className="lantern-muted"> {t('businesses.detail.source', { source: b.sources[key] })}</span> : null);
  return (
    <section className="lantern-section lantern-section--first" aria-labelledby="business-summary">
      <h2 id="business-summary">{t('businesses.detail.summary')}</h2>
      <dl className="lantern-facts">
        <dt>{t('businesses.detail.stage')}</dt>
        <dd>
          <StageTag stage={b.stage} />
          {b.outcome ? ` ${outcomeLabel(t, b.outcome)}` : null} <span className="lantern-muted">{t('businesses.detail.since', { date: formatDate(b.stageChangedAt) })}</span>
        </dd>
        {b.responseDue ? (
          <>
            <dt>{t('businesses.detail.responseDue')}</dt>
            <dd>{day(b.responseDue)}</dd>
          </>
        ) : null}
        <dt>{t('businesses.detail.address')}</dt>
        <dd>
          {[b.address, b.city, b.zip].filter(Boolean).join(', ')}
          {source('address')}
        </dd>
        <dt>{t('businesses.detail.county')}</dt>
        <dd>{b.countyName}</dd>
        <dt>{t('businesses.detail.hours')}</dt>
        <dd>
          {b.hours ?? <span className="lantern-muted">{t('businesses.detail.notKnown')}</span>}
          {b.hours ? source('hours') : null}
        </dd>
        <dt>{t('businesses.detail.license')}</dt>
        <dd>
          {license || <span className="lantern-muted">{t('businesses.detail.notKnown')}</span>}
          {license ? source('license') : null}
        </dd>
        <dt>{t('businesses.detail.enteredBy')}</dt>
        <dd>
          {t('businesses.detail.enteredByText', { name: b.createdBy, agency: b.agencyName })} <DateTime value={b.createdAt} />
          {source('name')}
        </dd>
        <dt>{t('businesses.detail.score')}</dt>
        <dd>
          <strong>{t('businesses.detail.scoreValue', { score: b.score })}</strong>
          <ScoreReasons reasons={b.scoreReasons} />
        </dd>
      </dl>
      <EditDetails business={b} />
    </section>
  );
}

function Facts({ business }: { business: BusinessDto }) {
  const { t } = useTranslation();
  return (
    <section className="lantern-section" aria-labelledby="business-facts">
      <h2 id="business-facts">{t('businesses.detail.factsHeading')}</h2>
      {business.facts.length === 0 ? (
        <p>{t('businesses.detail.noFacts')}</p>
      ) : (
        <dl className="lantern-facts">
          {BUSINESS_FACT_KINDS.filter((k) => business.facts.some((f) => f.kind === k)).map((kind) => (
            <div key={kind}>
              <dt>{t(`businesses.factKinds.${kind}`)}</dt>
              <dd>
                <ul className="usa-list usa-list--unstyled">
                  {business.facts
                    .filter((f) => f.kind === kind)
                    .map((f) => (
                      <li key={f.id}>
                        {f.value} <span className="lantern-muted">{t('businesses.detail.factSource', { source: f.source, name: f.recordedBy, date: formatDate(f.recordedAt) })}</span>
                      </li>
                    ))}
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {business.abilities['business.update'] ? <AddFactForm businessId={business.id} /> : null}
    </section>
  );
}

function Operators({ business }: { business: BusinessDto }) {
  const { t } = useTranslation();
  return (
    <section className="lantern-section" aria-labelledby="business-operators">
      <h2 id="business-operators">{t('businesses.detail.operatorsHeading')}</h2>
      {business.operators === null ? (
        <p>{t('businesses.detail.operatorsHidden', { count: business.operatorCount })}</p>
      ) : business.operators.length === 0 ? (
        <p>{t('businesses.detail.noOperators')}</p>
      ) : (
        <ul className="usa-list">
          {business.operators.map((o) => (
            <li key={o.id}>
              <strong>{o.name}</strong> — {t(`businesses.operatorRoles.${o.role}`)} ({t(`businesses.operatorKinds.${o.kind}`)})
              {o.detail ? `: ${o.detail}` : ''} <span className="lantern-muted">{t('businesses.detail.source', { source: o.source })}</span>
            </li>
          ))}
        </ul>
      )}
      {business.abilities['business.update'] && business.operators !== null ? <AddOperatorForm businessId={business.id} /> : null}
    </section>
  );
}

function Network({ businessId }: { businessId: string }) {
  const { t } = useTranslation();
  const network = useQuery(businessNetworkQuery(businessId));
  return (
    <section className="lantern-section" aria-labelledby="business-network">
      <h2 id="business-network">{t('businesses.network.heading')}</h2>
      <p className="lantern-muted">{t('businesses.network.lead')}</p>
      {network.isPending ? (
        <Loading label={t('businesses.network.loading')} />
      ) : network.isError ? (
        <LoadError error={network.error} />
      ) : network.data.links.length === 0 ? (
        <p>{t('businesses.network.empty')}</p>
      ) : (
        <ul className="lantern-card-list" aria-labelledby="business-network">
          {network.data.links.map((l) => (
            <li key={l.business.id} className="lantern-contact-card">
              <h3 className="lantern-contact-card__title">
                <Link to="/businesses/$businessId" params={{ businessId: l.business.id }} className="usa-link">
                  {l.business.name}
                </Link>
              </h3>
              <p className="lantern-contact-card__meta">
                {`${l.business.address}, ${l.business.city}`} <StageTag stage={l.business.stage} />
              </p>
              <p>{t('businesses.network.shares', { what: l.shared.map((s) => `${t(`businesses.network.kinds.${s.kind}` as 'businesses.network.kinds.phone', { defaultValue: s.kind })} ${s.label}`).join('; ') })}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function History({ businessId }: { businessId: string }) {
  const { t } = useTranslation();
  const events = useQuery(businessEventsQuery(businessId));
  return (
    <section className="lantern-section" aria-labelledby="business-history">
      <h2 id="business-history">{t('businesses.history.heading')}</h2>
      {events.isPending ? (
        <Loading label={t('businesses.history.loading')} />
      ) : events.isError ? (
        <LoadError error={events.error} />
      ) : events.data.items.length === 0 ? (
        <p>{t('businesses.history.empty')}</p>
      ) : (
        <ol className="usa-list lantern-history">
          {events.data.items.map((e) => (
            <li key={e.id}>
              <span>{eventText(t, e)}</span>{' '}
              <span className="lantern-muted">
                <DateTime value={e.at} /> {t('businesses.history.by', { name: e.by ?? t('businesses.history.lantern') })}
              </span>
              {typeof e.detail.note === 'string' && e.detail.note ? <p className="lantern-tip-narrative">{e.detail.note}</p> : null}
              {typeof e.detail.reason === 'string' && e.detail.reason ? <p className="lantern-tip-narrative">{e.detail.reason}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * `/businesses/$businessId` (issue #11, items 1, 2 and 5): the business, its facts and their sources,
 * operators, network, evidence and score, the pipeline, the landlord and letters, and the history.
 */
export function BusinessPage() {
  const { t } = useTranslation();
  const { businessId } = route.useParams();
  const flash = useFlash();
  const business = useQuery(businessQuery(businessId));

  if (business.isPending) return <Loading label={t('businesses.detail.loading')} />;
  if (business.isError)
    return (
      <>
        <BackLink to="/businesses">{t('businesses.title')}</BackLink>
        <PageTitle title={t('businesses.detail.unavailable')} />
        <LoadError error={business.error} />
      </>
    );
  const b = business.data;
  return (
    <>
      <BackLink to="/businesses">{t('businesses.title')}</BackLink>
      <PageTitle title={b.name} lead={`${b.address}, ${b.city} · ${b.countyName}`} />
      <p className="lantern-tags">
        <StageTag stage={b.stage} />
        {b.openAlerts > 0 ? (
          <Link to="/businesses/alerts" className="usa-link">
            <Tag tone="danger">{t('businesses.openAlerts', { count: b.openAlerts })}</Tag>
          </Link>
        ) : null}
      </p>
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      <ClearedBanner business={b} />
      <Summary business={b} />
      <Facts business={b} />
      <Operators business={b} />
      <Network businessId={b.id} />
      <EvidenceSection business={b} />
      <PipelineSection business={b} />
      <section className="lantern-section" aria-labelledby="business-landlord">
        <h2 id="business-landlord">{t('businesses.detail.landlordHeading')}</h2>
        <BusinessLettersSection businessId={b.id} />
      </section>
      <History businessId={b.id} />
    </>
  );
}
