import type { Expression, SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { Queryable } from '../../db/database.ts';
import type { BusinessRow } from '../../db/schema/index.ts';
import type { BusinessStage } from '../../../common/businesses.ts';
import { businessAccess, type BusinessRecord } from './businesses.access.ts';

/** Businesses the actor may see: the SQL form of `business.read` (`businesses.access.ts`), over alias `b`. */
export function businessesVisibleTo(actor: Actor): Expression<SqlBool> {
  return businessAccess.grants['business.read'].where(actor);
}

/** The businesses the actor may see, alias `b`: every list and lookup starts here. */
export function visibleBusinesses(db: Queryable, actor: Actor) {
  return db.selectFrom('business as b').where(businessesVisibleTo(actor));
}

/** One business the actor may see, or undefined (the caller answers 404: not found and not visible look the same). */
export async function findVisibleBusiness(db: Queryable, actor: Actor, id: string): Promise<BusinessRow | undefined> {
  return visibleBusinesses(db, actor).selectAll('b').where('b.id', '=', id).executeTakeFirst();
}

/** What the rules read from a business row. */
export function businessRecord(row: Pick<BusinessRow, 'id' | 'agency_id' | 'task_force_id' | 'stage'>): BusinessRecord {
  return { id: row.id, agencyId: row.agency_id, taskForceId: row.task_force_id, stage: row.stage as BusinessStage };
}
