import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { BUSINESS_STAGE_LABELS } from '../../../../common/businesses.ts';
import { Alert } from '../../components/Alert.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { Tag } from '../../components/Tag.tsx';
import { alertsQuery, campaignApi, campaignKeys, type BusinessAlertDto } from './api.ts';
import './campaign.css';

/**
 * Re-opening alerts (issue #11, item 6): a closed business whose address, operators, phones or ad
 * handles showed up again, where (a new business, a tip, an operation's subject), what matched and when.
 * Dismissing one asks for the reason, in a confirmation.
 */
export function AlertsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const alerts = useQuery(alertsQuery);
  const [dismissing, setDismissing] = useState<BusinessAlertDto | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const dismiss = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => campaignApi.dismissAlert(id, reason),
    onSuccess: () => {
      setDone(dismissing?.business.name);
      setDismissing(undefined);
      void queryClient.invalidateQueries({ queryKey: campaignKeys.alerts });
      void queryClient.invalidateQueries({ queryKey: ['businesses'] });
    },
  });
  const open = alerts.data?.items.filter((a) => !a.dismissedAt) ?? [];
  const dismissed = alerts.data?.items.filter((a) => a.dismissedAt) ?? [];
  return (
    <>
      <PageTitle title={t('campaign.alerts.title')} lead={t('campaign.alerts.lead')} />
      {done ? (
        <Alert type="success" slim>
          {t('campaign.alerts.dismissed', { name: done })}
        </Alert>
      ) : null}
      {alerts.isPending ? (
        <Loading />
      ) : alerts.isError ? (
        <LoadError error={alerts.error} />
      ) : open.length === 0 && dismissed.length === 0 ? (
        <EmptyState heading={t('campaign.alerts.emptyHeading')}>{t('campaign.alerts.empty')}</EmptyState>
      ) : (
        <>
          <section className="lantern-section" aria-labelledby="campaign-alerts-open">
            <h2 id="campaign-alerts-open">{t('campaign.alerts.open', { count: open.length })}</h2>
            {open.length === 0 ? <p>{t('campaign.alerts.noneOpen')}</p> : null}
            <ul className="usa-list usa-list--unstyled">
              {open.map((a) => (
                <AlertItem key={a.id} alert={a} onDismiss={() => { dismiss.reset(); setDismissing(a); }} />
              ))}
            </ul>
          </section>
          {dismissed.length > 0 ? (
            <section className="lantern-section" aria-labelledby="campaign-alerts-dismissed">
              <h2 id="campaign-alerts-dismissed">{t('campaign.alerts.dismissedHeading', { count: dismissed.length })}</h2>
              <ul className="usa-list usa-list--unstyled">
                {dismissed.map((a) => (
                  <AlertItem key={a.id} alert={a} />
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
      <PromptDialog
        open={dismissing !== undefined}
        title={t('campaign.alerts.dismissTitle', { name: dismissing?.business.name ?? '' })}
        label={t('campaign.alerts.reason')}
        hint={t('campaign.alerts.reasonHint')}
        requiredMessage={t('form.required', { label: t('campaign.alerts.reason') })}
        maxLength={1000}
        confirmLabel={t('campaign.alerts.dismiss')}
        danger
        pending={dismiss.isPending}
        error={dismiss.error}
        onSubmit={(reason) => dismissing && dismiss.mutate({ id: dismissing.id, reason })}
        onCancel={() => setDismissing(undefined)}
      >
        <p>{t('campaign.alerts.dismissBody')}</p>
      </PromptDialog>
    </>
  );
}

function AlertItem({ alert, onDismiss }: { alert: BusinessAlertDto; onDismiss?: () => void }) {
  const { t } = useTranslation();
  const headingId = `alert-${alert.id}`;
  return (
    <li className="lantern-action-row" aria-labelledby={headingId} data-testid="reopening-alert">
      <h3 id={headingId}>
        <Link to="/businesses/$businessId" params={{ businessId: alert.business.id }} className="usa-link">
          {alert.business.name}
        </Link>{' '}
        <Tag tone={alert.dismissedAt ? 'quiet' : 'danger'}>{BUSINESS_STAGE_LABELS[alert.business.stage]}</Tag>
      </h3>
      <p className="margin-y-05">{alert.business.address}</p>
      <p className="margin-y-05">
        {t('campaign.alerts.showedUp')} <SourceLink source={alert.source} />
        {' · '}
        <DateTime value={alert.createdAt} />
      </p>
      <p className="margin-y-05">{t('campaign.alerts.matched', { kinds: alert.kinds.map((k) => t(`campaign.alerts.kinds.${k}`, { defaultValue: k })).join(', ') })}</p>
      {alert.dismissedAt ? (
        <p className="lantern-muted margin-y-05">
          {t('campaign.alerts.dismissedOn')} <DateTime value={alert.dismissedAt} />
        </p>
      ) : onDismiss && alert.abilities['business.dismissAlert'] !== false ? (
        <button type="button" className="usa-button usa-button--outline" onClick={onDismiss}>
          {t('campaign.alerts.dismissOf', { name: alert.business.name })}
        </button>
      ) : null}
    </li>
  );
}

/** Where the closed business showed up: a link when the viewer may open that record, else its label only. */
function SourceLink({ source }: { source: BusinessAlertDto['source'] }) {
  const { t } = useTranslation();
  const kind = t(`campaign.alerts.source.${source.type}`);
  const label = `${kind}: ${source.label}`;
  if (source.id === null) return <span>{`${label} (${t('campaign.alerts.notOpen')})`}</span>;
  switch (source.type) {
    case 'business':
      return (
        <Link to="/businesses/$businessId" params={{ businessId: source.id }} className="usa-link">
          {label}
        </Link>
      );
    case 'tip':
      return (
        <Link to="/tip-queue/$tipId" params={{ tipId: source.id }} className="usa-link">
          {label}
        </Link>
      );
    case 'contact':
      return (
        <Link to="/contacts/$contactId" params={{ contactId: source.id }} className="usa-link">
          {label}
        </Link>
      );
    default:
      return <span>{label}</span>;
  }
}
