import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { keys } from '../../api/queries.ts';
import { useMe } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useSignOut } from '../auth/useSignOut.ts';
import { NotificationsSection } from './NotificationsSection.tsx';
import { PasswordForm } from './PasswordForm.tsx';
import { RecoveryCodesSection } from './RecoveryCodesSection.tsx';
import { SessionsSection } from './SessionsSection.tsx';
import { WorkPhoneForm } from './WorkPhoneForm.tsx';

/**
 * The user's own account. When an administrator has issued a temporary password, the app sends the
 * user here first and shows only what is needed to choose a new one.
 */
export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const mustChange = me.user.mustChangePassword;

  const onPasswordChanged = () => {
    void queryClient.invalidateQueries({ queryKey: keys.me });
    void queryClient.invalidateQueries({ queryKey: keys.sessions });
  };

  return (
    <>
      <PageTitle title={t('account.title')} />
      {mustChange ? (
        <Alert type="warning" heading={t('account.mustChangeHeading')} announce>
          {t('account.mustChange')}
        </Alert>
      ) : null}

      <section className="lantern-section" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t('account.profileHeading')}</h2>
        <dl className="lantern-facts">
          <dt>{t('account.name')}</dt>
          <dd>{me.user.displayName}</dd>
          <dt>{t('account.email')}</dt>
          <dd>{me.user.email}</dd>
          <dt>{t('account.agency')}</dt>
          <dd>
            {me.agency.name} <span className="lantern-muted">({t(`agencyKinds.${me.agency.kind}`)})</span>
          </dd>
          <dt>{t('account.roles')}</dt>
          <dd>
            {me.user.roles.length ? me.user.roles.map((r) => t(`roles.${r}`)).join(', ') : t('account.noRoles')}
            {me.user.platformAdmin ? ` · ${t('account.platformAdmin')}` : ''}
          </dd>
          <dt>{t('account.taskForces')}</dt>
          <dd>{me.taskForces.length ? me.taskForces.map((tf) => tf.name).join(', ') : t('account.noTaskForces')}</dd>
          <dt>{t('account.sessionEnds')}</dt>
          <dd>
            <DateTime value={me.session.absoluteExpiresAt} />
          </dd>
        </dl>
        <p className="usa-hint">{t('account.profileHint')}</p>
        {mustChange ? null : <WorkPhoneForm />}
      </section>

      <section className="lantern-section" aria-labelledby="password-heading">
        <h2 id="password-heading">{t('password.heading')}</h2>
        <p>{t('password.lead')}</p>
        <PasswordForm onChanged={onPasswordChanged} />
      </section>

      {mustChange ? null : (
        <>
          <NotificationsSection />
          <SessionsSection />
          <RecoveryCodesSection />
        </>
      )}

      <section className="lantern-section" aria-labelledby="signout-heading">
        <h2 id="signout-heading">{t('account.signOutHeading')}</h2>
        <p>{t('account.signOutLead')}</p>
        <button type="button" className="usa-button usa-button--outline" disabled={signOut.isPending} onClick={() => signOut.mutate()}>
          {signOut.isPending ? t('shell.signingOut') : t('shell.signOut')}
        </button>
      </section>
    </>
  );
}
