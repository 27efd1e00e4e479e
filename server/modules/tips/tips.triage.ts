import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../db/database.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import type { TriageReason } from '../../../common/schemas/tips.ts';

export interface Triage {
  urgent: boolean;
  score: number;
  reasons: TriageReason[];
}

/**
 * STUB (queue helper replaces this file): urgent when a minor is involved or someone is in danger now;
 * otherwise ranked by indicators that explain themselves.
 */
export async function triageTip(db: Queryable, ctx: AppContext, input: { tipId: string; fields: TipFields; blinds: string[] }): Promise<Triage> {
  void db;
  void ctx;
  const urgent = input.fields.minorInvolved || input.fields.immediateDanger;
  return { urgent, score: urgent ? 100 : 0, reasons: [] };
}

/** STUB: alerts the on-duty coordinators of an urgent tip at once (inbox and email), after the commit. */
export async function alertUrgentTip(ctx: AppContext, tip: { id: string; agencyId: string; taskForceId: string | null }): Promise<void> {
  void ctx;
  void tip;
}
