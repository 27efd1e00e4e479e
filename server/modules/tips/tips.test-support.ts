import type { AppContext } from '../../context.ts';
import { sql } from 'kysely';
import { solveChallenge } from 'altcha-lib/v1';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestEnv } from '../../test/harness.ts';
import { createTipChallenge, encodeProof } from './altcha.ts';
import type { Queryable } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import type { TipSource, TipStatus } from '../../../common/tips.ts';
import { forgetRoutingDirectory, type RoutingNote } from './tips.routing.ts';
import type { SealedTipDetails } from './tips.intake.ts';

/** A tip the public form could send (ZIP 64075 is Oak Grove, Jackson County, Missouri). */
export function publicTip(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    narrative: 'Young women are driven to the massage place on Main Street every night and never leave alone.',
    zip: '64075',
    minorInvolved: false,
    immediateDanger: false,
    language: 'en',
    ...over,
  };
}

/** A proof of work for a fresh challenge, solved with altcha-lib's own solver (a small `maxnumber` keeps it quick). */
export async function solvedProof(ctx: AppContext, maxnumber = 2_000): Promise<string> {
  const challenge = await createTipChallenge(ctx, { maxnumber });
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, maxnumber).promise;
  if (!solution) throw new Error('the challenge could not be solved');
  return encodeProof(challenge, solution.number);
}

/** POST /api/public/tips; every answer of a public tip route must leave no cookie behind. */
export async function postTip(env: TestEnv, payload: unknown, opts: { remoteAddress?: string; headers?: Record<string, string>; raw?: string | Buffer } = {}): Promise<LightMyRequestResponse> {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/public/tips',
    headers: { 'content-type': 'application/json', ...opts.headers },
    ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
    payload: opts.raw ?? JSON.stringify(payload),
  });
  expect(res.headers['set-cookie'], `set-cookie on ${res.statusCode}`).toBeUndefined();
  return res;
}

/** A public tip with a fresh solved proof. */
export async function sendTip(env: TestEnv, over: Record<string, unknown> = {}, opts: { remoteAddress?: string } = {}) {
  return postTip(env, { ...publicTip(over), altcha: await solvedProof(env.ctx) }, opts);
}

/** Every text column of every table whose value contains `needle`, as `table.column`. */
export async function columnsContaining(ctx: AppContext, needle: string): Promise<string[]> {
  const columns =
    ctx.dialect === 'postgres'
      ? (
          await sql<{ table_name: string; column_name: string }>`
            select table_name, column_name from information_schema.columns
            where table_schema = 'public' and data_type in ('text', 'character varying')`.execute(ctx.db)
        ).rows
      : (
          await sql<{ table_name: string; column_name: string }>`
            select m.name as table_name, p.name as column_name from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%'`.execute(ctx.db)
        ).rows;
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const hit = await sql<{ n: number }>`select count(*) as n from ${sql.table(table_name)} where cast(${sql.ref(column_name)} as text) like ${`%${needle}%`}`.execute(ctx.db);
    if (Number(hit.rows[0]?.n ?? 0) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}


/** What a test tip says beyond its narrative (the shape the intake seals into `tip.details`). */
export type TestTipDetails = Partial<SealedTipDetails>;

export interface TestTip {
  agencyId: string;
  taskForceId?: string | null;
  status?: TipStatus;
  version?: number;
  source?: TipSource;
  language?: 'en' | 'es';
  narrative?: string;
  details?: TestTipDetails;
  /** The tipster's contact details (sealed); absent: shown as "Tipster". */
  contact?: Record<string, string>;
  zip?: string | null;
  countyFips?: string | null;
  urgent?: boolean;
  minorInvolved?: boolean;
  immediateDanger?: boolean;
  score?: number;
  assignedUserId?: string | null;
  routing?: RoutingNote;
  receiptHash?: string | null;
  externalRef?: string | null;
  createdBy?: string | null;
  receivedAt?: string;
}

/**
 * A tip written straight into the database, sealed as the intake seals it (narrative, details and
 * contact), with its 'received' event: for tests of what happens to tips after they arrive, without
 * the public form, its proof of work, routing or triage.
 */
export async function insertTip(ctx: AppContext, tip: TestTip, db: Queryable = ctx.db): Promise<{ id: string }> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const details: Required<TestTipDetails> = {
    address: null,
    city: null,
    county: null,
    when: null,
    people: null,
    vehicles: null,
    phones: [],
    emails: [],
    online: [],
    businesses: [],
    ...tip.details,
  };
  const minor = tip.minorInvolved ?? false;
  const danger = tip.immediateDanger ?? false;
  await db
    .insertInto('tip')
    .values({
      id,
      agency_id: tip.agencyId,
      task_force_id: tip.taskForceId ?? null,
      source: tip.source ?? 'web',
      status: tip.status ?? 'new',
      version: tip.version ?? 1,
      urgent: (tip.urgent ?? (minor || danger)) ? 1 : 0,
      minor_involved: minor ? 1 : 0,
      immediate_danger: danger ? 1 : 0,
      language: tip.language ?? 'en',
      zip: tip.zip ?? null,
      county_fips: tip.countyFips ?? null,
      score: tip.score ?? 0,
      score_reasons: '[]',
      routing: JSON.stringify(tip.routing ?? { rule: tip.countyFips ? 'county' : 'no_county', ...(tip.zip ? { zip: tip.zip } : {}), ...(tip.countyFips ? { countyFips: tip.countyFips } : {}) }),
      narrative: seal(ctx.keyring, 'tip', 'narrative', id, tip.narrative ?? 'Workers seem to live at the spa on Main Street; the windows are covered.'),
      details: seal(ctx.keyring, 'tip', 'details', id, JSON.stringify(details)),
      contact: tip.contact ? seal(ctx.keyring, 'tip', 'contact', id, JSON.stringify(tip.contact)) : null,
      receipt_hash: tip.receiptHash ?? null,
      external_ref: tip.externalRef ?? null,
      assigned_user_id: tip.assignedUserId ?? null,
      close_reason: tip.status === 'closed' ? 'other' : null,
      closed_at: tip.status === 'closed' ? now : null,
      received_at: tip.receivedAt ?? now,
      created_by: tip.createdBy ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('tip_event')
    .values({ id: newId(), tip_id: id, agency_id: tip.agencyId, at: now, kind: 'received', actor_user_id: tip.createdBy ?? null, detail: JSON.stringify({ source: tip.source ?? 'web' }) })
    .execute();
  return { id };
}

/** Shares a tip with another agency directly (a row in tip_share), as `POST /api/tips/:id/share` would. */
export async function insertTipShare(ctx: AppContext, share: { tipId: string; agencyId: string; sharedBy: string; reason?: string }, db: Queryable = ctx.db) {
  await db
    .insertInto('tip_share')
    .values({ tip_id: share.tipId, agency_id: share.agencyId, shared_by: share.sharedBy, shared_at: ctx.clock.now().toISOString(), reason: share.reason ?? 'Test share' })
    .execute();
}

/** Sets the counties an agency serves (its FIPS codes), as the agency page does, and routing sees it at once. */
export async function setAgencyCounties(ctx: AppContext, agencyId: string, counties: string[], db: Queryable = ctx.db) {
  await db.updateTable('agency').set({ counties: JSON.stringify(counties), updated_at: ctx.clock.now().toISOString() }).where('id', '=', agencyId).execute();
  forgetRoutingDirectory(ctx);
}
