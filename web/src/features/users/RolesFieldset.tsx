import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../common/roles.ts';
import { Checkbox, Fieldset } from '../../components/Field.tsx';

interface RolesFieldsetProps {
  idPrefix: string;
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** Roles as checkboxes, each with what it allows (DESIGN.md §1). */
export function RolesFieldset({ idPrefix, value, onChange, error, disabled }: RolesFieldsetProps) {
  const { t } = useTranslation();
  const selected = new Set(value);
  return (
    <Fieldset legend={t('users.roles')} hint={t('users.rolesHint')} error={error} id={`${idPrefix}-roles`}>
      {ROLES.map((role) => (
        <Checkbox
          key={role}
          id={`${idPrefix}-role-${role}`}
          label={t(`roles.${role}`)}
          description={t(`roleDescriptions.${role}`)}
          checked={selected.has(role)}
          disabled={disabled}
          onChange={(e) => onChange(ROLES.filter((r) => (r === role ? e.target.checked : selected.has(r))))}
        />
      ))}
    </Fieldset>
  );
}
