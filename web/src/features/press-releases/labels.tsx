import { useTranslation } from 'react-i18next';
import type { PressReleaseDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Tag } from '../../components/Tag.tsx';
import type { DraftStage } from './approval.ts';

export function ReleaseStatusTag({ status }: { status: PressReleaseDto['status'] }) {
  const { t } = useTranslation();
  return <Tag tone={status === 'published' ? 'ok' : 'quiet'}>{t(`pressReleases.status.${status}`)}</Tag>;
}

const STAGE_TONE = { findings: 'danger', awaiting: 'warn', ready: 'info' } as const;

export function DraftStageTag({ stage }: { stage: DraftStage }) {
  const { t } = useTranslation();
  return <Tag tone={STAGE_TONE[stage]}>{t(`pressReleases.stage.${stage}`)}</Tag>;
}

/**
 * DESIGN.md §4: an operation under investigation hold publishes counts and agency names only. Said
 * plainly wherever a release is written, so no one is surprised when the guards refuse a charge.
 */
export function HoldNotice({ hold, headingLevel = 'h2' }: { hold: boolean; headingLevel?: 'h2' | 'h3' }) {
  const { t } = useTranslation();
  if (!hold) return null;
  return (
    <Alert type="info" heading={t('pressRelease.holdHeading')} headingLevel={headingLevel} announce={false}>
      <p className="usa-alert__text">{t('pressRelease.holdExplain')}</p>
    </Alert>
  );
}
