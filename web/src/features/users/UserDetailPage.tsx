import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LOCKOUT_ATTEMPTS, NAME_MAX, PHONE_MAX } from '../../../../common/limits.ts';
import type { Role } from '../../../../common/roles.ts';
import { users } from '../../api/endpoints.ts';
import { keys, userQuery } from '../../api/queries.ts';
import type { UpdateUserInput, UserDto } from '../../api/types.ts';
import { useCan, useMe } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { SecretValue } from '../../components/SecretValue.tsx';
import { hasErrors, splitServerError, useErrorFocus, type FieldErrors } from '../../components/forms.ts';
import { RolesFieldset } from './RolesFieldset.tsx';
import { UserStatus } from './UserStatus.tsx';

const route = getRouteApi('/app/admin/users/$userId');

type Field = 'displayName' | 'phone' | 'roles';

/** Name, phone and roles. Only changed fields are sent. */
function EditUserForm({ user, onSaved }: { user: UserDto; onSaved: (user: UserDto) => void }) {
  const { t } = useTranslation();
  const canUpdate = user.abilities?.['user.update'] === true;
  const canChangeRoles = user.abilities?.['user.changeRoles'] === true;
  const me = useMe();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [clientErrors, setClientErrors] = useState<FieldErrors<Field>>({});
  const [saved, setSaved] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const save = useMutation({
    mutationFn: (input: UpdateUserInput) => users.update(user.id, input),
    onSuccess: (updated) => {
      setSaved(true);
      onSaved(updated);
    },
    onError: () => focusFirstError(),
  });

  const labels: Record<Field, string> = { displayName: t('users.name'), phone: t('users.phone'), roles: t('users.roles') };
  const server = splitServerError(save.error, labels);
  const errors: FieldErrors<Field> = { ...server.fields, ...clientErrors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    setSaved(false);
    const next: FieldErrors<Field> = {};
    if (!displayName.trim()) next.displayName = t('form.required', { label: labels.displayName });
    if (roles.length === 0) next.roles = t('users.rolesRequired');
    setClientErrors(next);
    if (hasErrors(next)) {
      focusFirstError();
      return;
    }
    const input: UpdateUserInput = {};
    if (displayName.trim() !== user.displayName) input.displayName = displayName.trim();
    if ((phone.trim() || null) !== (user.phone ?? null)) input.phone = phone.trim() || null;
    const sameRoles = roles.length === user.roles.length && roles.every((r) => user.roles.includes(r));
    if (canChangeRoles && !sameRoles) input.roles = roles;
    if (Object.keys(input).length === 0) {
      setSaved(true);
      return;
    }
    save.mutate(input);
  };

  if (!canUpdate) return null;

  return (
    <section className="lantern-section" aria-labelledby="edit-user-heading">
      <h2 id="edit-user-heading">{t('users.editHeading')}</h2>
      <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit}>
        {saved ? (
          <Alert type="success" slim>
            {t('users.saved')}
          </Alert>
        ) : null}
        {server.form ? <ErrorAlert error={server.form} /> : null}
        <TextField
          id="edit-name"
          label={labels.displayName}
          maxLength={NAME_MAX}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={errors.displayName}
        />
        <TextField
          id="edit-phone"
          type="tel"
          label={labels.phone}
          hint={t('users.phoneHint')}
          optional
          maxLength={PHONE_MAX}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          error={errors.phone}
        />
        {/* The abilities decide: no one may change their own roles, so their own page offers no editor. */}
        {canChangeRoles ? (
          <RolesFieldset idPrefix="edit" value={roles} onChange={setRoles} error={errors.roles} />
        ) : (
          <p className="usa-hint">{t(user.id === me.user.id ? 'users.rolesOwn' : 'users.rolesReadOnly')}</p>
        )}
        <button type="submit" className="usa-button" disabled={save.isPending}>
          {save.isPending ? t('common.saving') : t('common.saveChanges')}
        </button>
      </form>
    </section>
  );
}

type Pending = 'disable' | 'resetMfa' | 'resetPassword';
type ActionKind = 'unlock' | 'resetMfa' | 'resetPassword' | 'disable' | 'enable';
type ActionResult =
  | { kind: Exclude<ActionKind, 'resetPassword'>; user: UserDto }
  | { kind: 'resetPassword'; temporaryPassword: string };

/** One account: who it is, its state, and the actions this administrator may take on it. */
export function UserDetailPage() {
  const { t } = useTranslation();
  const { userId } = route.useParams();
  const can = useCan();
  const queryClient = useQueryClient();
  const user = useQuery(userQuery(userId));
  const [confirming, setConfirming] = useState<Pending>();
  const [notice, setNotice] = useState<string>();
  const [temporaryPassword, setTemporaryPassword] = useState<string>();

  const store = (updated: UserDto) => {
    queryClient.setQueryData(keys.user(userId), updated);
    void queryClient.invalidateQueries({ queryKey: keys.usersAll });
  };

  const action = useMutation({
    mutationFn: async (kind: ActionKind): Promise<ActionResult> => {
      switch (kind) {
        case 'unlock':
          return { kind, user: await users.unlock(userId) };
        case 'resetMfa':
          return { kind, user: await users.resetMfa(userId) };
        case 'disable':
          return { kind, user: await users.update(userId, { disabled: true }) };
        case 'enable':
          return { kind, user: await users.update(userId, { disabled: false }) };
        case 'resetPassword':
          return { kind, temporaryPassword: (await users.resetPassword(userId)).temporaryPassword };
      }
    },
    onMutate: () => {
      setNotice(undefined);
      setTemporaryPassword(undefined);
    },
    onSuccess: (result) => {
      if (result.kind === 'resetPassword') {
        setTemporaryPassword(result.temporaryPassword);
        void queryClient.invalidateQueries({ queryKey: keys.user(userId) });
      } else {
        store(result.user);
        setNotice(t(`users.done.${result.kind}`));
      }
    },
    onSettled: () => setConfirming(undefined),
  });

  if (user.isPending || user.isError) {
    return (
      <>
        <BackLink to="/admin/users">{t('users.title')}</BackLink>
        <PageTitle title={t('users.detailTitleLoading')} />
        {user.isPending ? <Loading /> : <LoadError error={user.error} />}
      </>
    );
  }

  const u = user.data;
  const ab = u.abilities ?? {};
  const canResetPassword = ab['user.resetPassword'] === true;

  return (
    <>
      <BackLink to="/admin/users">{t('users.title')}</BackLink>
      <PageTitle title={u.displayName} actions={<UserStatus user={u} />} />
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}
      {action.error ? <ErrorAlert error={action.error} /> : null}

      {u.locked ? (
        <Alert type="error" heading={t('users.lockedHeading', { attempts: LOCKOUT_ATTEMPTS })} headingLevel="h2" announce={false}>
          <p className="usa-alert__text">{t('users.lockedBody')}</p>
          {ab['user.unlock'] ? (
            <button type="button" className="usa-button" disabled={action.isPending} onClick={() => action.mutate('unlock')}>
              {action.isPending && action.variables === 'unlock' ? t('common.working') : t('users.unlock')}
            </button>
          ) : (
            <p className="usa-alert__text">{t('users.unlockNotAllowed')}</p>
          )}
        </Alert>
      ) : null}

      {temporaryPassword ? (
        <section className="lantern-section" aria-labelledby="temp-heading">
          <h2 id="temp-heading">{t('users.tempPasswordHeading')}</h2>
          <Alert type="warning" slim announce={false}>
            {t('users.tempPasswordOnce')}
          </Alert>
          <SecretValue value={temporaryPassword} />
          <p>{t('users.tempPasswordNext')}</p>
          <button type="button" className="usa-button usa-button--outline" onClick={() => setTemporaryPassword(undefined)}>
            {t('users.tempPasswordHide')}
          </button>
        </section>
      ) : null}

      <section className="lantern-section" aria-labelledby="user-facts-heading">
        <h2 id="user-facts-heading">{t('users.detailsHeading')}</h2>
        <dl className="lantern-facts">
          <dt>{t('users.email')}</dt>
          <dd>{u.email}</dd>
          <dt>{t('users.agency')}</dt>
          <dd>{u.agencyName}</dd>
          <dt>{t('users.roles')}</dt>
          <dd>{u.roles.map((r) => t(`roles.${r}`)).join(', ')}</dd>
          <dt>{t('users.phone')}</dt>
          <dd>{u.phone || <span className="lantern-muted">{t('common.none')}</span>}</dd>
          <dt>{t('users.mfa')}</dt>
          <dd>{u.mfaEnrolled ? t('users.mfaOn') : t('users.mfaOff')}</dd>
          <dt>{t('users.lastSignIn')}</dt>
          <dd>{u.lastLoginAt ? <DateTime value={u.lastLoginAt} /> : t('users.never')}</dd>
          <dt>{t('common.added')}</dt>
          <dd>
            <DateTime value={u.createdAt} />
          </dd>
        </dl>
        {can('audit.read') ? (
          <p>
            <Link to="/admin/audit" search={{ userId: u.id }} className="usa-link">
              {t('users.auditLink')}
            </Link>
          </p>
        ) : null}
      </section>

      <EditUserForm key={`${u.id}-${u.displayName}-${u.phone ?? ''}-${u.roles.join()}`} user={u} onSaved={store} />

      {ab['user.resetMfa'] || canResetPassword || ab['user.disable'] ? (
        <section className="lantern-section" aria-labelledby="user-security-heading">
          <h2 id="user-security-heading">{t('users.securityHeading')}</h2>
          {canResetPassword ? (
            <div className="lantern-action-row">
              <h3>{t('users.resetPassword')}</h3>
              <p>{t('users.resetPasswordLead')}</p>
              <button type="button" className="usa-button usa-button--outline" disabled={action.isPending} onClick={() => setConfirming('resetPassword')}>
                {t('users.resetPassword')}
              </button>
            </div>
          ) : null}
          {ab['user.resetMfa'] ? (
            <div className="lantern-action-row">
              <h3>{t('users.resetMfa')}</h3>
              <p>{t('users.resetMfaLead')}</p>
              <button type="button" className="usa-button usa-button--outline" disabled={action.isPending} onClick={() => setConfirming('resetMfa')}>
                {t('users.resetMfa')}
              </button>
            </div>
          ) : null}
          {ab['user.disable'] ? (
            <div className="lantern-action-row">
              <h3>{u.disabled ? t('users.enable') : t('users.disable')}</h3>
              <p>{u.disabled ? t('users.enableLead') : t('users.disableLead')}</p>
              {u.disabled ? (
                <button type="button" className="usa-button usa-button--outline" disabled={action.isPending} onClick={() => action.mutate('enable')}>
                  {action.isPending && action.variables === 'enable' ? t('common.working') : t('users.enable')}
                </button>
              ) : (
                <button type="button" className="usa-button usa-button--secondary" disabled={action.isPending} onClick={() => setConfirming('disable')}>
                  {t('users.disable')}
                </button>
              )}
            </div>
          ) : null}
        </section>
      ) : null}

      <ConfirmDialog
        open={confirming !== undefined}
        title={confirming ? t(`users.confirm.${confirming}.title`, { name: u.displayName }) : ''}
        confirmLabel={confirming ? t(`users.confirm.${confirming}.action`) : ''}
        danger
        pending={action.isPending}
        onConfirm={() => confirming && action.mutate(confirming)}
        onCancel={() => setConfirming(undefined)}
      >
        {confirming ? t(`users.confirm.${confirming}.body`, { name: u.displayName }) : ''}
      </ConfirmDialog>
    </>
  );
}
