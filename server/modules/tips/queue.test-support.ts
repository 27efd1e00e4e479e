import type { AppContext } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import type { TipTable } from '../../db/schema/index.ts';
import type { TriageReason } from '../../../common/schemas/tips.ts';
import type { TipStatus } from '../../../common/tips.ts';

/**
 * Tips for the queue's tests, inserted as filing would store them (sealed narrative, details and
 * contact) without going through intake, which another module owns.
 */
export interface TestTip {
  agencyId: string;
  taskForceId?: string | null;
  status?: TipStatus;
  version?: number;
  narrative?: string;
  details?: Record<string, unknown>;
  contact?: Record<string, unknown> | null;
  urgent?: boolean;
  minorInvolved?: boolean;
  immediateDanger?: boolean;
  score?: number;
  reasons?: TriageReason[];
  zip?: string | null;
  countyFips?: string | null;
  receivedAt?: string;
  assignedUserId?: string | null;
  source?: 'web' | 'phone' | 'hotline';
  language?: 'en' | 'es';
}

export async function insertTestTip(ctx: AppContext, t: TestTip): Promise<{ id: string; version: number }> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const urgent = t.urgent ?? Boolean(t.minorInvolved || t.immediateDanger);
  const row: TipTable = {
    id,
    agency_id: t.agencyId,
    task_force_id: t.taskForceId ?? null,
    source: t.source ?? 'web',
    status: t.status ?? 'new',
    version: t.version ?? 1,
    urgent: urgent ? 1 : 0,
    minor_involved: t.minorInvolved ? 1 : 0,
    immediate_danger: t.immediateDanger ? 1 : 0,
    language: t.language ?? 'en',
    zip: t.zip ?? null,
    county_fips: t.countyFips ?? null,
    score: t.score ?? 0,
    score_reasons: JSON.stringify(t.reasons ?? []),
    routing: JSON.stringify({ rule: 'county', countyFips: t.countyFips ?? undefined }),
    narrative: seal(ctx.keyring, 'tip', 'narrative', id, t.narrative ?? 'Women seem to live at the massage place on Main Street.'),
    details: seal(ctx.keyring, 'tip', 'details', id, JSON.stringify(t.details ?? { city: 'Oak Grove', phones: ['816-555-0199'] })),
    contact: t.contact ? seal(ctx.keyring, 'tip', 'contact', id, JSON.stringify(t.contact)) : null,
    receipt_hash: null,
    external_ref: null,
    assigned_user_id: t.assignedUserId ?? null,
    close_reason: null,
    closed_at: null,
    received_at: t.receivedAt ?? now,
    created_by: null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('tip').values(row).execute();
  await ctx.db
    .insertInto('tip_event')
    .values({ id: newId(), tip_id: id, agency_id: t.agencyId, at: row.received_at, kind: 'received', actor_user_id: null, detail: JSON.stringify({ source: row.source }) })
    .execute();
  return { id, version: row.version };
}

/** A message from the tipster, as their status page files it. */
export async function insertTipsterMessage(ctx: AppContext, tip: { id: string; agencyId: string }, body: string) {
  const id = newId();
  await ctx.db
    .insertInto('tip_message')
    .values({ id, tip_id: tip.id, agency_id: tip.agencyId, at: ctx.clock.now().toISOString(), from_tipster: 1, user_id: null, body: seal(ctx.keyring, 'tip_message', 'body', id, body), read_at: null })
    .execute();
  return id;
}

export async function shareTestTip(ctx: AppContext, tipId: string, agencyId: string, sharedBy: string) {
  await ctx.db.insertInto('tip_share').values({ tip_id: tipId, agency_id: agencyId, shared_by: sharedBy, shared_at: ctx.clock.now().toISOString(), reason: 'Shared for the test' }).execute();
}
