import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../db/database.ts';
import type { PressFigure, PressOperation } from '../disclosure/knowledge.ts';
import type { PressDisclosure } from '../disclosure/release-plan.ts';
import { assessPressFiguresIn } from './statistics.service.ts';

/**
 * The press-release guard's question to the statistics ledger (issue #8, item 3): would these figures,
 * with every statistics release and press release already out, disclose a hidden count?
 * Returns what they would disclose (empty: nothing). The press-release service calls it in the
 * transaction that checks or publishes the draft.
 */
export async function assessPressFigures(
  ctx: AppContext,
  db: Queryable,
  candidate: { operation: PressOperation; figures: readonly Omit<PressFigure, 'release'>[] },
): Promise<PressDisclosure[]> {
  return assessPressFiguresIn(ctx, db, candidate);
}
