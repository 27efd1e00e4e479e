import { useTranslation } from 'react-i18next';
import type { ReferralStatus } from '../../../../common/operations.ts';
import { Tag, type TagTone } from '../../components/Tag.tsx';

const TONE: Record<ReferralStatus, TagTone> = { sent: 'warn', accepted: 'ok', declined: 'quiet', closed: 'quiet' };

export function ReferralStatusTag({ status }: { status: ReferralStatus }) {
  const { t } = useTranslation();
  return <Tag tone={TONE[status]}>{t(`referralStatus.${status}`)}</Tag>;
}
