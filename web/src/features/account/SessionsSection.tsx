import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { account } from '../../api/endpoints.ts';
import { keys, sessionsQuery } from '../../api/queries.ts';
import type { SessionDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Tag } from '../../components/Tag.tsx';
import { describeUserAgent, formatDateTime } from '../../components/format.ts';

/** Where the user is signed in, with a way to end any session but this one. */
export function SessionsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery(sessionsQuery);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string>();

  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.sessions });

  const revokeOthers = useMutation({
    mutationFn: () => account.revokeOtherSessions(),
    onSuccess: () => {
      setNotice(t('sessions.othersSignedOut'));
      void refresh();
    },
    onSettled: () => setConfirming(false),
  });

  const revokeOne = useMutation({
    mutationFn: (session: SessionDto) => account.revokeSession(session.id),
    onSuccess: (_result, session) => {
      setNotice(t('sessions.oneSignedOut', { device: deviceName(session) }));
      void refresh();
    },
  });

  const deviceName = (session: SessionDto) => describeUserAgent(session.userAgent) ?? t('sessions.unknownDevice');
  const others = sessions.data?.sessions.filter((s) => !s.current) ?? [];

  return (
    <section className="lantern-section" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">{t('sessions.heading')}</h2>
      <p>{t('sessions.lead')}</p>
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}
      {revokeOthers.error ? <ErrorAlert error={revokeOthers.error} /> : null}
      {revokeOne.error ? <ErrorAlert error={revokeOne.error} /> : null}
      {sessions.isPending ? (
        <Loading label={t('sessions.loading')} />
      ) : sessions.isError ? (
        <LoadError error={sessions.error} />
      ) : (
        <>
          <div className="lantern-table-wrap">
            <table className="usa-table usa-table--borderless usa-table--stacked">
              <caption className="usa-sr-only">{t('sessions.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sessions.device')}</th>
                  <th scope="col">{t('sessions.ip')}</th>
                  <th scope="col">{t('sessions.signedIn')}</th>
                  <th scope="col">{t('sessions.lastActive')}</th>
                  <th scope="col">
                    <span className="usa-sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sessions.data.sessions.map((session) => (
                  <tr key={session.id}>
                    <th scope="row" data-label={t('sessions.device')}>
                      {deviceName(session)} {session.current ? <Tag tone="info">{t('sessions.current')}</Tag> : null}
                    </th>
                    <td data-label={t('sessions.ip')}>{session.ip ?? t('common.unknown')}</td>
                    <td data-label={t('sessions.signedIn')}>
                      <DateTime value={session.createdAt} />
                    </td>
                    <td data-label={t('sessions.lastActive')}>
                      <DateTime value={session.lastSeenAt} />
                    </td>
                    <td className="lantern-table-actions" data-label={t('common.actions')}>
                      {session.current ? null : (
                        <button
                          type="button"
                          className="usa-button usa-button--unstyled"
                          disabled={revokeOne.isPending}
                          onClick={() => revokeOne.mutate(session)}
                        >
                          {t('sessions.signOut')}
                          <span className="usa-sr-only">
                            {' '}
                            {t('sessions.signOutWhich', { device: deviceName(session), when: formatDateTime(session.lastSeenAt) })}
                          </span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {others.length > 0 ? (
            <div className="lantern-actions">
              <button type="button" className="usa-button usa-button--secondary" onClick={() => setConfirming(true)}>
                {t('sessions.signOutOthers')}
              </button>
            </div>
          ) : (
            <p className="lantern-muted">{t('sessions.onlyThis')}</p>
          )}
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('sessions.confirmTitle')}
        confirmLabel={t('sessions.signOutOthers')}
        danger
        pending={revokeOthers.isPending}
        onConfirm={() => revokeOthers.mutate()}
        onCancel={() => setConfirming(false)}
      >
        {t('sessions.confirmBody', { count: others.length })}
      </ConfirmDialog>
    </section>
  );
}
