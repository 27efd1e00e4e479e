import { useTranslation } from 'react-i18next';
import type { BusinessStage } from '../../../../common/businesses.ts';
import { stageLabel } from './labels.tsx';
import { stepsOf } from './pipeline.ts';

/**
 * The pipeline as a USWDS step indicator: every stage, the ones passed marked complete, the business's
 * own marked current (in words for screen readers, not only by color).
 */
export function StageSteps({ stage }: { stage: BusinessStage }) {
  const { t } = useTranslation();
  const steps = stepsOf(stage);
  const current = steps.findIndex((s) => s.status === 'current');
  return (
    <div className="usa-step-indicator usa-step-indicator--counters-sm lantern-stage-steps" aria-label={t('businesses.pipeline.stepsLabel')} role="region">
      <ol className="usa-step-indicator__segments">
        {steps.map((s) => (
          <li
            key={s.stage}
            className={['usa-step-indicator__segment', s.status === 'complete' ? 'usa-step-indicator__segment--complete' : '', s.status === 'current' ? 'usa-step-indicator__segment--current' : ''].filter(Boolean).join(' ')}
            {...(s.status === 'current' ? { 'aria-current': 'step' as const } : {})}
          >
            <span className="usa-step-indicator__segment-label">
              {stageLabel(s.stage)} <span className="usa-sr-only">{t(`businesses.pipeline.status.${s.status}`)}</span>
            </span>
          </li>
        ))}
      </ol>
      {current >= 0 ? (
        <div className="usa-step-indicator__header">
          <h3 className="usa-step-indicator__heading">
            <span className="usa-step-indicator__heading-counter">
              <span className="usa-sr-only">{t('businesses.pipeline.step')}</span>
              <span className="usa-step-indicator__current-step">{current + 1}</span> <span className="usa-step-indicator__total-steps">{t('businesses.pipeline.ofTotal', { total: steps.length })}</span>
            </span>
            <span className="usa-step-indicator__heading-text">{stageLabel(stage)}</span>
          </h3>
        </div>
      ) : null}
    </div>
  );
}
