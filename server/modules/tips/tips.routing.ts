import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../db/database.ts';

/** Where a tip says it happened: any of these, as the tipster gave them. */
export interface TipPlace {
  zip?: string | undefined;
  countyFips?: string | undefined;
  county?: string | undefined;
  city?: string | undefined;
  address?: string | undefined;
}

/** How routing chose the queue, shown to staff ("ZIP 64075 → Jackson County → its serving agency"). */
export interface RoutingNote {
  rule: 'county' | 'no_county' | 'outside_served_counties' | 'rerouted';
  zip?: string;
  countyFips?: string;
  /** The ZIP spans several counties and this one was chosen by the tipster, the address, or the largest share. */
  countyChosenBy?: 'tipster' | 'address' | 'zip' | 'county_name' | 'largest_share';
}

export interface RoutedTip {
  agencyId: string;
  taskForceId: string | null;
  countyFips: string | null;
  routing: RoutingNote;
}

/**
 * STUB (issue #10, routing helper replaces this file): ZIP → county → the agency serving it → its queue.
 * Throws `invalid('zip', …)` for a ZIP that does not exist.
 */
export async function routeTip(ctx: AppContext, db: Queryable, place: TipPlace): Promise<RoutedTip> {
  void ctx;
  const agency = await db.selectFrom('agency').select('id').where('kind', '=', 'law_enforcement').orderBy('created_at').executeTakeFirstOrThrow();
  return { agencyId: agency.id, taskForceId: null, countyFips: place.countyFips ?? null, routing: { rule: 'no_county' } };
}
