import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../db/database.ts';
import type { BusinessStage } from '../../../common/businesses.ts';
import { insertTestBusiness as insertBusiness, insertTestLandlord as insertLandlord } from './businesses.test-support.ts';

/** The keyed hash the watch compares an operator's name by (the registry writes the same into `name_blind`). */
export { operatorBlind } from './businesses.identifiers.ts';

export interface TestBusiness {
  agencyId: string;
  taskForceId: string;
  createdBy: string;
  name?: string;
  address?: string;
  city?: string;
  zip?: string;
  countyFips?: string;
  stage?: BusinessStage;
  phones?: string[];
  handles?: string[];
  operators?: string[];
  landlordId?: string | null;
  notifiedAt?: string | null;
  respondedAt?: string | null;
  leaseActionAt?: string | null;
  closedAt?: string | null;
  /** Stage events to write (to_stage, at); none by default. */
  events?: { to: BusinessStage; at: string }[];
}

/**
 * A business for the watch and dashboard suites (businesses.test-support.ts writes the rows): its phones
 * and handles as facts and in the identifier index with its address and name, its operators with their
 * name hashes, and only the stage events given.
 */
export async function insertTestBusiness(db: Queryable, ctx: AppContext, b: TestBusiness): Promise<string> {
  const { operators, events, ...rest } = b;
  const { id } = await insertBusiness(ctx, {
    ...rest,
    db,
    operators: (operators ?? []).map((name) => ({ name })),
    events: (events ?? []).map((e) => ({ kind: 'stage', to: e.to, at: e.at })),
  });
  return id;
}

/** A landlord row for the summary's counts. */
export async function insertTestLandlord(db: Queryable, ctx: AppContext, l: { agencyId: string; taskForceId: string; createdBy: string }): Promise<string> {
  return (await insertLandlord(ctx, { ...l, db })).id;
}
