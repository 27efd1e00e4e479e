import type { Queryable } from '../../db/database.ts';
import type { BusinessScore } from '../../../common/schemas/businesses.ts';

/**
 * The indicator score of each business (issue #11, item 2): which indicators, how recent, verified or
 * not. Set-based: one query for all the ids. (Filled in by the indicators work.)
 */
export async function scoresFor(_db: Queryable, businessIds: readonly string[], _now: Date): Promise<Map<string, BusinessScore>> {
  return new Map(businessIds.map((id) => [id, { score: 0, reasons: [] }]));
}
