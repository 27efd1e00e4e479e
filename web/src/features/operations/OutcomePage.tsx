import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { AGE_BANDS, CONTACT_ROLES, DISPOSITIONS, REFERRAL_STATUSES, SERVICES, SEXES } from '../../../../common/operations.ts';
import { operations } from '../../api/endpoints.ts';
import { operationQuery, outcomeQuery } from '../../api/queries.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { BarChart } from '../../components/BarChart.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { OperationHeader } from './OperationNav.tsx';

const route = getRouteApi('/app/operations/$operationId/outcome');

interface CountTableProps {
  id: string;
  caption: string;
  heading: string;
  rows: { key: string; label: string; value: number }[];
  chart?: boolean;
  footer?: ReactNode;
}

function CountTable({ id, caption, heading, rows, chart, footer }: CountTableProps) {
  const { t } = useTranslation();
  const total = rows.reduce((sum, r) => sum + r.value, 0);
  return (
    <section className="lantern-outcome-block" aria-labelledby={id}>
      <h3 id={id}>{caption}</h3>
      <div className={chart ? 'lantern-outcome-pair' : undefined}>
        <table className="usa-table usa-table--borderless usa-table--compact lantern-count-table">
          <caption className="usa-sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{heading}</th>
              <th scope="col" className="lantern-num">
                {t('outcome.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="lantern-num">{r.value}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('outcome.total')}</th>
              <td className="lantern-num">{total}</td>
            </tr>
          </tfoot>
        </table>
        {chart ? <BarChart rows={rows} /> : null}
      </div>
      {footer}
    </section>
  );
}

/** The outcome of an operation: counts from its recorded contacts, never persons (issue #3, item 6). */
export function OutcomePage() {
  const { t } = useTranslation();
  const { operationId } = route.useParams();
  const op = useQuery(operationQuery(operationId));
  const outcome = useQuery({ ...outcomeQuery(operationId), enabled: op.data?.abilities['operation.readOutcome'] === true });

  if (op.isPending || op.isError) {
    return (
      <>
        <BackLink to="/operations">{t('operations.title')}</BackLink>
        <PageTitle title={t('outcome.title')} />
        {op.isPending ? <Loading /> : <LoadError error={op.error} />}
      </>
    );
  }
  const o = op.data;
  const data = outcome.data;

  return (
    <>
      <OperationHeader op={o} current="outcome" title={t('outcome.title')} />
      <p className="lantern-lead">{o.status === 'closed' ? t('outcome.leadClosed', { name: o.name }) : t('outcome.leadOpen', { name: o.name })}</p>
      {o.investigationHold ? (
        <Alert type="info" slim announce={false}>
          {t('outcome.hold')}
        </Alert>
      ) : null}
      <ul className="lantern-link-list">
        <li>
          <a className="usa-link" href={operations.afterActionUrl(o.id)} target="_blank" rel="noopener">
            {t('outcome.afterAction')}
          </a>
        </li>
        <li>
          <a className="usa-link" href={operations.afterActionPdfUrl(o.id)} target="_blank" rel="noopener" type="application/pdf">
            {t('outcome.afterActionPdf')}
          </a>
        </li>
      </ul>

      {!o.abilities['operation.readOutcome'] ? (
        <Alert type="info" announce={false}>
          {t('outcome.notAllowed')}
        </Alert>
      ) : outcome.isPending ? (
        <Loading label={t('outcome.loading')} />
      ) : outcome.isError ? (
        <LoadError error={outcome.error} />
      ) : !data ? null : data.total === 0 ? (
        <EmptyState heading={t('outcome.emptyHeading')}>{t('outcome.empty')}</EmptyState>
      ) : (
        <>
          <section className="lantern-section" aria-labelledby="outcome-people">
            <h2 id="outcome-people">{t('outcome.peopleHeading', { count: data.total })}</h2>
            <div className="lantern-outcome-grid">
              <CountTable
                id="outcome-role"
                caption={t('outcome.byRole')}
                heading={t('contact.role')}
                chart
                rows={CONTACT_ROLES.map((r) => ({ key: r, label: t(`contactRoles.${r}`), value: data.byRole[r] ?? 0 }))}
                footer={
                  data.byRole.suspect ? (
                    <p className="lantern-muted">
                      {t('outcome.suspectTypes', {
                        buyer: data.suspectTypes.buyer,
                        facilitator: data.suspectTypes.facilitator,
                        trafficker: data.suspectTypes.trafficker,
                        unspecified: data.suspectTypes.unspecified,
                      })}
                    </p>
                  ) : null
                }
              />
              <CountTable
                id="outcome-disposition"
                caption={t('outcome.byDisposition')}
                heading={t('contact.disposition')}
                chart
                rows={[
                  ...DISPOSITIONS.map((d) => ({ key: d, label: t(`dispositions.${d}`), value: data.byDisposition[d] ?? 0 })),
                  { key: 'pending', label: t('outcome.dispositionPending'), value: data.dispositionPending },
                ]}
              />
              <CountTable id="outcome-sex" caption={t('outcome.bySex')} heading={t('contact.sex')} rows={SEXES.map((s) => ({ key: s, label: t(`sexes.${s}`), value: data.bySex[s] ?? 0 }))} />
              <CountTable
                id="outcome-age"
                caption={t('outcome.byAgeBand')}
                heading={t('contact.ageBand')}
                rows={AGE_BANDS.map((b) => ({ key: b, label: t(`ageBands.${b}`), value: data.byAgeBand[b] ?? 0 })).filter((r) => r.value > 0 || r.key !== 'unknown')}
              />
            </div>
            <div className="lantern-table-wrap">
              <table className="usa-table usa-table--borderless usa-table--compact">
                <caption>{t('outcome.byRoleAndSex')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('contact.role')}</th>
                    {SEXES.map((s) => (
                      <th key={s} scope="col" className="lantern-num">
                        {t(`sexes.${s}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {CONTACT_ROLES.map((r) => (
                    <tr key={r}>
                      <th scope="row">{t(`contactRoles.${r}`)}</th>
                      {SEXES.map((s) => (
                        <td key={s} className="lantern-num">
                          {data.byRoleAndSex[r]?.[s] ?? 0}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="lantern-section" aria-labelledby="outcome-services">
            <h2 id="outcome-services">{t('outcome.servicesHeading')}</h2>
            <p>{t('outcome.servicesLead', { count: data.personsOfferedServices, accepted: data.personsAcceptingServices })}</p>
            <div className="lantern-table-wrap">
              <table className="usa-table usa-table--borderless usa-table--compact">
                <caption className="usa-sr-only">{t('outcome.servicesCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('contact.service')}</th>
                    <th scope="col" className="lantern-num">
                      {t('outcome.offered')}
                    </th>
                    <th scope="col" className="lantern-num">
                      {t('outcome.accepted')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {SERVICES.filter((s) => (data.servicesOffered[s] ?? 0) > 0 || (data.servicesAccepted[s] ?? 0) > 0).map((s) => (
                    <tr key={s}>
                      <th scope="row">{t(`services.${s}`)}</th>
                      <td className="lantern-num">{data.servicesOffered[s] ?? 0}</td>
                      <td className="lantern-num">{data.servicesAccepted[s] ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="lantern-section" aria-labelledby="outcome-referrals">
            <h2 id="outcome-referrals">{t('outcome.referralsHeading', { count: data.referrals.total })}</h2>
            {data.referrals.total === 0 ? (
              <p>{t('outcome.noReferrals')}</p>
            ) : (
              <div className="lantern-outcome-grid">
                <CountTable
                  id="outcome-referral-status"
                  caption={t('outcome.referralsByStatus')}
                  heading={t('referral.status')}
                  rows={REFERRAL_STATUSES.map((s) => ({ key: s, label: t(`referralStatus.${s}`), value: data.referrals.byStatus[s] ?? 0 }))}
                />
                <CountTable
                  id="outcome-referral-agency"
                  caption={t('outcome.referralsByAgency')}
                  heading={t('operation.agency')}
                  rows={data.referrals.byAgency.map((a) => ({ key: a.agencyName, label: a.agencyName, value: a.count }))}
                />
              </div>
            )}
          </section>

          <section className="lantern-section" aria-labelledby="outcome-custody">
            <h2 id="outcome-custody">{t('outcome.custodyHeading')}</h2>
            <dl className="lantern-facts">
              <dt>{t('outcome.custodyCount')}</dt>
              <dd>{data.protectiveCustody.count}</dd>
              <dt>{t('outcome.custodyHandedOff')}</dt>
              <dd>{data.protectiveCustody.handedOff}</dd>
              <dt>{t('outcome.custodyReceived')}</dt>
              <dd>{data.protectiveCustody.received}</dd>
              <dt>{t('outcome.releasedTo')}</dt>
              <dd>{data.protectiveCustody.releasedTo.length ? [...new Set(data.protectiveCustody.releasedTo)].join(', ') : t('common.none')}</dd>
            </dl>
          </section>
        </>
      )}
    </>
  );
}
