import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { BUSINESS_INDICATOR_LABELS, BUSINESS_STAGE_LABELS, type BusinessIndicator, type BusinessStage } from '../../../../common/businesses.ts';
import { Tag, type TagTone } from '../../components/Tag.tsx';
import { formatDate } from '../../components/format.ts';
import type { BusinessEvent, BusinessScore } from './api.ts';

const STAGE_TONES: Partial<Record<BusinessStage, TagTone>> = {
  identified: 'info',
  verified: 'warn',
  landlord_identified: 'warn',
  landlord_notified: 'warn',
  landlord_responded: 'warn',
  lease_action: 'danger',
  closed: 'quiet',
  civil_action: 'danger',
  criminal_referral: 'danger',
  cleared: 'ok',
};

export const stageLabel = (stage: string) => BUSINESS_STAGE_LABELS[stage as BusinessStage] ?? stage;
export const indicatorLabel = (indicator: string) => BUSINESS_INDICATOR_LABELS[indicator as BusinessIndicator] ?? indicator;

/** An outcome in words: committed, non-renewal, evicted… */
export function outcomeLabel(t: TFunction, outcome: string): string {
  return t(`businesses.outcomes.${outcome}`, { defaultValue: outcome.replaceAll('_', ' ') });
}

/** The stage as a tag, its words always shown (the color only repeats them). */
export function StageTag({ stage }: { stage: string }) {
  return <Tag tone={STAGE_TONES[stage as BusinessStage] ?? 'quiet'}>{stageLabel(stage)}</Tag>;
}

type Reason = BusinessScore['reasons'][number];

/** One reason behind the score, as a sentence: which sign, how much evidence, how recent, verified or not. */
export function reasonText(t: TFunction, r: Reason): string {
  return t('businesses.score.reason', {
    indicator: indicatorLabel(r.indicator),
    count: r.count,
    latest: formatDate(`${r.latest}T12:00:00`),
    recency: r.recent ? t('businesses.score.recent') : t('businesses.score.older'),
    verified: r.verified ? t('businesses.score.verified') : t('businesses.score.unverified'),
    points: r.points,
  });
}

export function ScoreReasons({ reasons }: { reasons: Reason[] }) {
  const { t } = useTranslation();
  if (reasons.length === 0) return <p className="lantern-muted">{t('businesses.score.none')}</p>;
  return (
    <ul className="usa-list">
      {[...reasons]
        .sort((a, b) => b.points - a.points)
        .map((r) => (
          <li key={r.indicator}>{reasonText(t, r)}</li>
        ))}
    </ul>
  );
}

const KNOWN_EVENTS = new Set<KnownEvent>(['created', 'updated', 'stage', 'cleared', 'indicator', 'verified', 'indicator_withdrawn', 'fact', 'operator', 'landlord', 'letter', 'alert']);

type KnownEvent = 'created' | 'updated' | 'stage' | 'cleared' | 'indicator' | 'verified' | 'indicator_withdrawn' | 'fact' | 'operator' | 'landlord' | 'letter' | 'alert';

/** An event of the business's history in words. */
export function eventText(t: TFunction, e: BusinessEvent): string {
  if (e.kind === 'cleared') return t('businesses.events.cleared');
  if (e.toStage && e.kind !== 'created') {
    const to = stageLabel(e.toStage);
    const base = e.fromStage ? t('businesses.events.moved', { from: stageLabel(e.fromStage), to }) : t('businesses.events.movedTo', { to });
    return e.outcome ? `${base} (${outcomeLabel(t, e.outcome)})` : base;
  }
  const indicator = typeof e.detail.indicator === 'string' ? indicatorLabel(e.detail.indicator) : undefined;
  if (KNOWN_EVENTS.has(e.kind as KnownEvent)) return t(`businesses.events.${e.kind as KnownEvent}`, { indicator: indicator ?? '' }).replace(/:\s*$/, '');
  const words = e.kind.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
