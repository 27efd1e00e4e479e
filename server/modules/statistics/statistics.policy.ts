import type { Policy } from '../../auth/policy.ts';
import { hasRole } from '../../auth/actor.ts';

/** The release ledger: one per Lantern, the public statistics of every task force it serves. */
export interface StatisticsLedger {
  kind: 'ledger';
}

export const LEDGER: StatisticsLedger = { kind: 'ledger' };

export const statisticsPolicy: Policy<StatisticsLedger> = {
  /**
   * DESIGN.md §1: public statistics are published by public-information officers, and by no one else
   * (a platform administrator included): a release is public at once and can never be withdrawn.
   * The same rule covers previewing, and starting and following a preview or publication job (issue #8).
   */
  'statistics.publish': (actor) => hasRole(actor, 'pio'),
};
