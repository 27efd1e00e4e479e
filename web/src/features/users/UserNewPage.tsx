import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { EMAIL_MAX, NAME_MAX, PHONE_MAX } from '../../../../common/limits.ts';
import { email as emailSchema } from '../../../../common/schemas/shared.ts';
import type { Role } from '../../../../common/roles.ts';
import { users } from '../../api/endpoints.ts';
import { agenciesQuery, keys } from '../../api/queries.ts';
import type { CreateUserInput, CreatedUserDto } from '../../api/types.ts';
import { useMe } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Checkbox, SelectField, TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { SecretValue } from '../../components/SecretValue.tsx';
import { hasErrors, splitServerError, useErrorFocus, type FieldErrors } from '../../components/forms.ts';
import { RolesFieldset } from './RolesFieldset.tsx';

type Field = 'email' | 'displayName' | 'agencyId' | 'roles' | 'phone' | 'platformAdmin';

/** The temporary password, shown once, and what to do with it. */
function Created({ user, onDone }: { user: CreatedUserDto; onDone: () => void }) {
  const { t } = useTranslation();
  const [handed, setHanded] = useState(false);
  return (
    <>
      <PageTitle title={t('users.createdTitle', { name: user.displayName })} />
      <Alert type="warning" heading={t('users.tempPasswordHeading')} headingLevel="h2" announce={false}>
        {t('users.tempPasswordOnce')}
      </Alert>
      <p>{t('users.tempPasswordFor', { name: user.displayName, email: user.email })}</p>
      <SecretValue value={user.temporaryPassword} />
      <p>{t('users.tempPasswordNext')}</p>
      <Checkbox id="handed-over" label={t('users.tempPasswordSaved')} checked={handed} onChange={(e) => setHanded(e.target.checked)} />
      <div className="lantern-actions">
        <button type="button" className="usa-button" disabled={!handed} onClick={onDone}>
          {t('users.viewAccount')}
        </button>
      </div>
    </>
  );
}

export function UserNewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const agencyList = useQuery({ ...agenciesQuery, retry: false });
  const agencies = agencyList.data?.agencies ?? [];
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [agencyId, setAgencyId] = useState(me.agency.id);
  const [roles, setRoles] = useState<Role[]>([]);
  const [phone, setPhone] = useState('');
  const [platformAdmin, setPlatformAdmin] = useState(false);
  const [clientErrors, setClientErrors] = useState<FieldErrors<Field>>({});
  const [created, setCreated] = useState<CreatedUserDto>();
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const create = useMutation({
    mutationFn: (input: CreateUserInput) => users.create(input),
    onSuccess: (user) => {
      void queryClient.invalidateQueries({ queryKey: keys.usersAll });
      setCreated(user);
    },
    onError: () => focusFirstError(),
  });

  const labels: Record<Field, string> = {
    email: t('users.email'),
    displayName: t('users.name'),
    agencyId: t('users.agency'),
    roles: t('users.roles'),
    phone: t('users.phone'),
    platformAdmin: t('users.platformAdmin'),
  };
  const server = splitServerError(create.error, labels);
  const errors: FieldErrors<Field> = { ...server.fields, ...clientErrors };

  if (created) {
    return (
      <Created
        user={created}
        onDone={() => void navigate({ to: '/admin/users/$userId', params: { userId: created.id } })}
      />
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.reset();
    const next: FieldErrors<Field> = {};
    if (!email.trim()) next.email = t('form.required', { label: labels.email });
    else if (!emailSchema.safeParse(email).success) next.email = t('users.emailInvalid');
    if (!displayName.trim()) next.displayName = t('form.required', { label: labels.displayName });
    if (roles.length === 0) next.roles = t('users.rolesRequired');
    setClientErrors(next);
    if (hasErrors(next)) {
      focusFirstError();
      return;
    }
    create.mutate({
      email: email.trim(),
      displayName: displayName.trim(),
      agencyId,
      roles,
      phone: phone.trim() || undefined,
      platformAdmin,
    });
  };

  return (
    <>
      <BackLink to="/admin/users">{t('users.title')}</BackLink>
      <PageTitle title={t('users.newTitle')} lead={t('users.newLead')} />
      <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit}>
        {server.form ? <ErrorAlert error={server.form} /> : null}
        <TextField
          id="user-email"
          type="email"
          label={labels.email}
          hint={t('users.emailHint')}
          autoComplete="off"
          spellCheck={false}
          maxLength={EMAIL_MAX}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <TextField
          id="user-name"
          label={labels.displayName}
          autoComplete="off"
          maxLength={NAME_MAX}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={errors.displayName}
        />
        {agencies.length > 1 ? (
          <SelectField id="user-agency" label={labels.agencyId} value={agencyId} onChange={(e) => setAgencyId(e.target.value)} error={errors.agencyId}>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </SelectField>
        ) : (
          <div className="usa-form-group">
            <p className="usa-label" id="user-agency-label">
              {labels.agencyId}
            </p>
            <p>{me.agency.name}</p>
          </div>
        )}
        <RolesFieldset idPrefix="user" value={roles} onChange={setRoles} error={errors.roles} />
        <TextField
          id="user-phone"
          type="tel"
          label={labels.phone}
          hint={t('users.phoneHint')}
          optional
          autoComplete="off"
          maxLength={PHONE_MAX}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          error={errors.phone}
        />
        {me.user.platformAdmin ? (
          <div className="usa-form-group">
            <Checkbox
              id="user-platform-admin"
              label={labels.platformAdmin}
              description={t('users.platformAdminHint')}
              checked={platformAdmin}
              onChange={(e) => setPlatformAdmin(e.target.checked)}
            />
          </div>
        ) : null}
        <FormActions pending={create.isPending} submitLabel={t('users.add')} onCancel={() => void navigate({ to: '/admin/users' })} />
      </form>
    </>
  );
}
