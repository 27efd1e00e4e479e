import { useTranslation } from 'react-i18next';
import type { CustodyDto } from '../../api/types.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { countdownState, hoursMinutes, serverSkewMs, useNow } from './countdown.ts';

interface StatementCountdownProps {
  handoff: Pick<CustodyDto, 'statementDueAt' | 'statementFiledAt' | 'msUntilDue'>;
  /** When the hand-off was fetched (React Query's `dataUpdatedAt`), to follow the server's clock. */
  fetchedAt: number;
  compact?: boolean;
}

/**
 * A visible countdown to the officer's written statement to the juvenile officer, due 12 hours after a
 * child is taken into protective custody (RSMo 210.125.2): calm while there is time, amber under two
 * hours, red once overdue, and settled once the statement is filed.
 */
export function StatementCountdown({ handoff, fetchedAt, compact }: StatementCountdownProps) {
  const { t } = useTranslation();
  const now = useNow();
  const skew = serverSkewMs(handoff.statementDueAt, handoff.msUntilDue, fetchedAt);
  const state = countdownState(Date.parse(handoff.statementDueAt), now + skew, handoff.statementFiledAt !== null);
  const { hours, minutes } = hoursMinutes(state.remainingMs);
  const span =
    hours > 0 ? (minutes > 0 ? t('countdown.hoursMinutes', { hours, minutes }) : t('countdown.hours', { count: hours })) : t('countdown.minutes', { count: minutes });
  const text =
    state.tone === 'filed'
      ? t('countdown.filed')
      : state.tone === 'overdue'
        ? t('countdown.overdue', { span })
        : t('countdown.dueIn', { span });

  return (
    <div className={`lantern-countdown lantern-countdown--${state.tone}${compact ? ' lantern-countdown--compact' : ''}`} role="timer" aria-atomic="true" data-tone={state.tone}>
      <p className="lantern-countdown__main">{text}</p>
      <p className="lantern-countdown__sub">
        {state.tone === 'filed' ? (
          <>
            {t('countdown.filedAt')} <DateTime value={handoff.statementFiledAt} />
          </>
        ) : (
          <>
            {t('countdown.dueAt')} <DateTime value={handoff.statementDueAt} />
          </>
        )}
      </p>
    </div>
  );
}
