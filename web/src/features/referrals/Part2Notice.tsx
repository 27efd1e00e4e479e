import { useTranslation } from 'react-i18next';
import { PART2_CITATION, PART2_EXPLANATION, PART2_NOTICE } from '../../../../common/part2.ts';
import { PART2_SERVICES, type Service } from '../../../../common/operations.ts';
import { Alert } from '../../components/Alert.tsx';

/** Whether a referral asking for these services is a 42 CFR Part 2 (substance-use) referral. */
export const isPart2 = (services: readonly Service[]) => services.some((s) => PART2_SERVICES.includes(s));

interface Part2NoticeProps {
  /** The words the server sent with a received referral; the shared text otherwise (the same words). */
  notice?: { statement: string; citation: string; explanation: string } | null;
  headingLevel?: 'h2' | 'h3';
}

/**
 * The 42 CFR Part 2 notice a substance-use referral carries (42 CFR § 2.32): the required statement,
 * word for word, and what it means in plain language. Shown when a substance-use service is chosen
 * and wherever the referral is read.
 */
export function Part2Notice({ notice, headingLevel = 'h2' }: Part2NoticeProps) {
  const { t } = useTranslation();
  const n = notice ?? { statement: PART2_NOTICE, citation: PART2_CITATION, explanation: PART2_EXPLANATION };
  return (
    <Alert type="warning" heading={t('part2.heading')} headingLevel={headingLevel} announce={false} className="lantern-part2">
      <p className="usa-alert__text">
        <strong>{n.statement}</strong> <span className="lantern-muted">({n.citation})</span>
      </p>
      <p className="usa-alert__text">{n.explanation}</p>
    </Alert>
  );
}
