import type { AppContext } from '../../context.ts';
import type { Tx } from '../../audit/audit.ts';
import type { IdentifierKind } from '../../../common/tips.ts';

/** A record that just entered Lantern, with its identifiers' keyed hashes (and operators' name hashes). */
export interface WatchedSource {
  type: 'business' | 'tip' | 'operation_subject' | 'contact';
  id: string;
  /** The record a viewer opens: the tip, the operation, the business. */
  parentId: string;
  agencyId: string;
  blinds: readonly { kind: IdentifierKind | 'operator'; blind: string }[];
}

/**
 * The re-opening watch (issue #11, item 6): when a new record shares an address, operator, phone or ad
 * handle with a closed business, an alert goes to the campaign's staff in the same transaction. Returns
 * the number of alerts raised. (Filled in by the watch work.)
 */
export async function watchForReopening(_tx: Tx, _ctx: AppContext, _source: WatchedSource): Promise<number> {
  return 0;
}
