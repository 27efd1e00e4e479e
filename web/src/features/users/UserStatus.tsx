import { useTranslation } from 'react-i18next';
import { LOCKOUT_ATTEMPTS } from '../../../../common/limits.ts';
import type { UserDto } from '../../api/types.ts';
import { Tag } from '../../components/Tag.tsx';

/** Locked, disabled, MFA not set up, platform administrator: the states an admin acts on. */
export function UserStatus({ user }: { user: UserDto }) {
  const { t } = useTranslation();
  const tags = [];
  if (user.locked) tags.push(<Tag key="locked" tone="danger">{t('users.status.locked', { attempts: LOCKOUT_ATTEMPTS })}</Tag>);
  if (user.disabled) tags.push(<Tag key="disabled" tone="quiet">{t('users.status.disabled')}</Tag>);
  if (!user.mfaEnrolled) tags.push(<Tag key="mfa" tone="warn">{t('users.status.noMfa')}</Tag>);
  if (user.platformAdmin) tags.push(<Tag key="platform" tone="info">{t('users.status.platformAdmin')}</Tag>);
  if (tags.length === 0) tags.push(<Tag key="ok" tone="ok">{t('users.status.active')}</Tag>);
  return <span className="lantern-tags">{tags}</span>;
}
