import { useTranslation } from 'react-i18next';
import type { OperationStatus } from '../../../../common/operations.ts';
import { Tag, type TagTone } from '../../components/Tag.tsx';
import { formatDateTime } from '../../components/format.ts';

const STATUS_TONE: Record<OperationStatus, TagTone> = { draft: 'quiet', approved: 'info', active: 'ok', closed: 'quiet' };

export function OperationStatusTag({ status }: { status: OperationStatus }) {
  const { t } = useTranslation();
  return <Tag tone={STATUS_TONE[status]}>{t(`operations.status.${status}`)}</Tag>;
}

/** "2 open conflicts" in red, or nothing. */
export function ConflictBadge({ count }: { count: number }) {
  const { t } = useTranslation();
  if (count <= 0) return null;
  return <Tag tone="danger">{t('operations.openConflicts', { count })}</Tag>;
}

/** "Oct 23, 2020, 6:00 PM – Oct 24, 2020, 2:00 AM", in the reader's time zone. */
export function OperationWindow({ startsAt, endsAt }: { startsAt: string; endsAt: string }) {
  return (
    <>
      <time dateTime={startsAt}>{formatDateTime(startsAt)}</time>
      {' – '}
      <time dateTime={endsAt}>{formatDateTime(endsAt)}</time>
    </>
  );
}
