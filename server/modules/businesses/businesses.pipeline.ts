import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Tx } from '../../audit/audit.ts';
import type { BusinessStage } from '../../../common/businesses.ts';

/** A stage change asked for inside a caller's transaction (a letter sent, a deadline passed). */
export interface StageChange {
  businessId: string;
  to: BusinessStage;
  outcome?: string | undefined;
  note?: string | undefined;
  /** The version the caller read; absent: whatever the current one is, the stage precondition still holds. */
  expectedVersion?: number | undefined;
  /** When it happened, if not now (a delivery recorded later). */
  at?: string | undefined;
}

/**
 * Moves a business to its next stage inside the caller's audited transaction (issue #11, item 5): refuses
 * an out-of-order change naming the allowed next stages (409), re-checks stage and version in the
 * update's WHERE, dates the change, writes its business_event and audit row. The actor must hold
 * `business.advance`, or the caller has already authorised a narrower act (sending a letter).
 * (Filled in by the pipeline work.)
 */
export async function advanceStage(_tx: Tx, _ctx: AppContext, _actor: Actor, _change: StageChange): Promise<{ stage: BusinessStage; version: number }> {
  throw new Error('advanceStage is not built yet');
}
