import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useCan } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { setFlash } from '../../components/flash.ts';
import { clientKeys, clientsApi } from './api.ts';

/** After a referral is accepted, the receiving advocate opens the client's record from it (issue #12, item 1). */
export function OpenClientRecord({ referralId }: { referralId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const open = useMutation({
    mutationFn: () => clientsApi.create({ intake: 'referral', referralId }),
    onSuccess: (client) => {
      void queryClient.invalidateQueries({ queryKey: clientKeys.all });
      setFlash(t('clients.fromReferral.created', { name: client.name }));
      void navigate({ to: '/clients/$clientId', params: { clientId: client.id } });
    },
  });
  if (!can('client.create')) return null;
  const exists = open.error instanceof ApiError && open.error.status === 409;
  return (
    <section className="lantern-section" aria-labelledby="referral-client-record">
      <h2 id="referral-client-record">{t('clients.fromReferral.open')}</h2>
      <p className="lantern-muted">{t('clients.fromReferral.lead')}</p>
      {exists ? (
        <Alert type="info" announce>
          {t('clients.fromReferral.exists')}
        </Alert>
      ) : open.error ? (
        <ErrorAlert error={open.error} />
      ) : null}
      <button type="button" className="usa-button" disabled={open.isPending || exists} onClick={() => open.mutate()}>
        {open.isPending ? t('common.working') : t('clients.fromReferral.open')}
      </button>
    </section>
  );
}
