import type { Compilable, CompiledQuery, Expression, InferResult, Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { DB } from '../db/schema/index.ts';
import { sql } from 'kysely';
import { joinedText, type Dialect, type Queryable } from '../db/database.ts';
import { sha256Hex } from '../lib/crypto.ts';
import { newToken } from '../lib/ids.ts';
import { GroupCommit, settle } from '../lib/group-commit.ts';
import { queryTemplate } from '../db/template.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SESSION_PENDING_MS } from '../../common/limits.ts';
import type { AgencyKind, Role } from '../../common/roles.ts';
import type { RequestMeta } from '../audit/audit.ts';
import type { Actor } from './actor.ts';

export const SESSION_COOKIE = 'lantern_session';

/** `mfa`: password accepted, code pending. `enrol`: must set up MFA first. `active`: signed in. */
export type SessionStage = 'mfa' | 'enrol' | 'active';

/** Last-seen is written at most once a minute, so a busy session does not cost a write per request. */
const TOUCH_EVERY_MS = 60_000;

export interface ResolvedSession {
  id: string;
  stage: SessionStage;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  actor: Actor;
  /** The task forces of the actor's agency with their names, by name (`GET /api/me`). */
  taskForces: { id: string; name: string }[];
}

export type SessionLookup = { state: 'none' } | { state: 'expired' } | { state: 'ok'; session: ResolvedSession };

export const sessionIdOf = (token: string) => sha256Hex(token);

export async function startSession(db: Queryable, ctx: AppContext, userId: string, stage: SessionStage, meta: RequestMeta) {
  const token = newToken();
  const now = ctx.clock.now();
  await db
    .insertInto('session')
    .values({
      id: sessionIdOf(token),
      user_id: userId,
      stage,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      absolute_expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return token;
}

/** `[[id, name], …]` by name, as JSON text (null for none). */
function taskForcesJson(dialect: Dialect) {
  return dialect === 'postgres'
    ? sql<string | null>`json_agg(json_build_array(f.id, f.name) order by f.name, f.id)::text`
    : sql<string | null>`json_group_array(json_array(f.id, f.name) order by f.name, f.id)`;
}

/** A value of the request being served: its own (a statement a request), or a column of a group's rows. */
type Operand = string | Expression<string>;

function sessionLookup(ctx: AppContext, id: Operand) {
  return ctx.db
    .selectFrom('session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('agency as a', 'a.id', 'u.agency_id')
    .select((eb) => [
      's.id',
      's.stage',
      's.user_id',
      's.created_at',
      's.last_seen_at',
      's.absolute_expires_at',
      'u.email',
      'u.display_name',
      'u.agency_id',
      'u.is_platform_admin',
      'u.disabled_at',
      'u.must_change_password',
      'a.name as agency_name',
      'a.kind as agency_kind',
      eb.selectFrom('membership as m').select((sub) => joinedText(ctx.dialect, sub.ref('m.role')).as('r')).whereRef('m.user_id', '=', 'u.id').as('roles'),
      // With their names, so `GET /api/me` needs no second query.
      eb
        .selectFrom('task_force_member as t')
        .innerJoin('task_force as f', 'f.id', 't.task_force_id')
        .select(taskForcesJson(ctx.dialect).as('t'))
        .whereRef('t.agency_id', '=', 'u.agency_id')
        .as('task_forces'),
    ])
    .where('s.id', '=', id);
}

type SessionLookupRow = InferResult<ReturnType<typeof sessionLookup>>[number];
/** The session lookup, for a companion to add its record's columns to. */
export type SessionQuery = ReturnType<typeof sessionLookup>;

/**
 * A record a route is about, read in the session's own statement: a request about an operation needs its
 * session and its operation, and on PostgreSQL each statement is a round trip (bench/README.md, "One
 * statement for the session and the operation"). A companion only reads. Whether the actor may see what
 * it read is the record's policy, asked by the module that owns the record when it uses it.
 */
export interface SessionCompanion {
  /** Names the compiled statement: one per companion and database. */
  readonly name: string;
  /**
   * Whether the id, as sent and not yet validated, is one the record could have. Any other is left to the
   * route's own validation, without a companion: a byte the database refuses would fail the session's read.
   */
  readonly accepts: (id: string) => boolean;
  /** The session lookup with the record's columns added (left-joined: no record, no columns). */
  readonly join: (query: SessionQuery, id: string | Expression<string>) => SessionQuery;
  /** Takes the record's columns from the row, for this actor's request. */
  readonly keep: (actor: Actor, id: string, row: Record<string, unknown>) => void;
}

/** A route's companion and the record id it asks for (from the route's parameters). */
export interface SessionCompanionRequest {
  readonly with: SessionCompanion;
  readonly id: string;
}

/**
 * Every signed-in request looks its session up, and building and compiling this query with Kysely cost
 * more than running it (bench/README.md). It is compiled once per database (and companion) and run with
 * each request's ids, put where the compile put its stand-ins.
 */
interface CompiledLookup {
  query: CompiledQuery<SessionLookupRow>;
  sessionAt: number;
  companionAt: number | null;
}
const compiledLookups = new WeakMap<Kysely<DB>, Map<string, CompiledLookup>>();
const SESSION_STAND_IN = '\u0000session-id';
const COMPANION_STAND_IN = '\u0000companion-id';

function compileLookup(ctx: AppContext, companion: SessionCompanion | undefined): CompiledLookup {
  const base = sessionLookup(ctx, SESSION_STAND_IN);
  const query = (companion ? companion.join(base, COMPANION_STAND_IN) : base).compile() as CompiledQuery<SessionLookupRow>;
  const at = (standIn: string) => {
    const found = query.parameters.flatMap((p, i) => (p === standIn ? [i] : []));
    if (found.length !== 1) throw new Error(`the session lookup${companion ? ` with ${companion.name}` : ''} must take ${standIn.slice(1)} as exactly one parameter`);
    return found[0]!;
  };
  return { query, sessionAt: at(SESSION_STAND_IN), companionAt: companion ? at(COMPANION_STAND_IN) : null };
}

async function findSessionRow(ctx: AppContext, id: string, companion?: SessionCompanionRequest): Promise<SessionLookupRow | undefined> {
  // SQLite answers in the process, with no round trip to save.
  if (ctx.dialect === 'postgres') return lookupGroup(ctx, companion?.with).submit({ id, companionId: companion?.id ?? null });
  return findOneSessionRow(ctx, id, companion);
}

async function findOneSessionRow(ctx: AppContext, id: string, companion?: SessionCompanionRequest): Promise<SessionLookupRow | undefined> {
  let byCompanion = compiledLookups.get(ctx.db);
  if (!byCompanion) compiledLookups.set(ctx.db, (byCompanion = new Map()));
  const key = companion?.with.name ?? '';
  let compiled = byCompanion.get(key);
  if (!compiled) byCompanion.set(key, (compiled = compileLookup(ctx, companion?.with)));
  const parameters = [...compiled.query.parameters];
  parameters[compiled.sessionAt] = id;
  if (compiled.companionAt !== null) parameters[compiled.companionAt] = companion!.id;
  const { rows } = await ctx.db.executeQuery<SessionLookupRow>({ ...compiled.query, parameters });
  return rows[0];
}

// ------------------------------------------------------------------------------------- grouped lookups

/**
 * Sessions looked up together on PostgreSQL: the requests that arrive while a lookup is under way are
 * looked up in the next one, a statement for all of them (`GroupCommit`'s batching, for a read). Every
 * request's session was a round trip of its own, and with 32 officers recording contacts at once those
 * reads were most of the process's statements: 0.41 of the bare insert's throughput with them, 0.62
 * with none at all (bench/README.md). Under light load a group holds one request, read as before.
 */
interface LookupJob {
  id: string;
  companionId: string | null;
}

/** At most this many sessions in one statement (the JSON parameter grows with them). */
const LOOKUPS_TOGETHER = 64;

const lookupGroups = new WeakMap<Kysely<DB>, Map<string, GroupCommit<LookupJob, SessionLookupRow | undefined>>>();

function lookupGroup(ctx: AppContext, companion: SessionCompanion | undefined) {
  let byCompanion = lookupGroups.get(ctx.db);
  if (!byCompanion) lookupGroups.set(ctx.db, (byCompanion = new Map()));
  const key = companion?.name ?? '';
  let group = byCompanion.get(key);
  if (!group) {
    group = new GroupCommit<LookupJob, SessionLookupRow | undefined>({
      maxBatch: LOOKUPS_TOGETHER,
      // Two groups at once, as the tips' writes: one is read while the next gathers.
      concurrency: 2,
      write: async (jobs) => {
        if (jobs.length === 1) {
          const job = jobs[0]!;
          return [await settle(findOneSessionRow(ctx, job.id, companion && job.companionId !== null ? { with: companion, id: job.companionId } : undefined))];
        }
        const rows = await findSessionRows(ctx, companion, jobs);
        return jobs.map((_, ord) => ({ ok: true, value: rows.get(ord) }));
      },
    });
    byCompanion.set(key, group);
  }
  return group;
}

/** How many lookups each group held so far, by size (tests and benchmarks): index n counts groups of n. */
export function sessionLookupGroupSizes(ctx: AppContext, companion?: SessionCompanion): number[] {
  return [...(lookupGroups.get(ctx.db)?.get(companion?.name ?? '')?.sizeCounts ?? [])];
}

/**
 * The grouped statement: the sessions asked for (and each one's record) as one JSON parameter, and each
 * looked up by a lateral subquery, the single lookup's own statement with the row's values in place of
 * parameters. Its LIMIT keeps it a subquery, read by the session's key for each row, whatever the plan's
 * guess of how many rows the JSON holds. Compiled once per database and companion (`queryTemplate`).
 */
const groupLookups = new WeakMap<Kysely<DB>, Map<string, ReturnType<typeof groupLookupQuery>>>();

function groupLookupQuery(ctx: AppContext, companion: SessionCompanion | undefined) {
  return queryTemplate((db: Queryable, jobsJson: string) => {
    const asked = sql<{ ord: number; sid: string; cid: string | null }>`json_to_recordset(${jobsJson}::json)`.as<'r'>(sql`r(ord int, sid text, cid text)`);
    const one = sessionLookup(ctx, sql.ref<string>('r.sid'));
    const lookup = (companion ? companion.join(one, sql.ref<string>('r.cid')) : one).limit(sql.lit(1));
    return db
      .selectFrom(asked)
      .innerJoinLateral(lookup.as('x'), (join) => join.onTrue())
      .select('r.ord')
      .selectAll('x') as unknown as Compilable<SessionLookupRow & { ord: number }>;
  });
}

async function findSessionRows(ctx: AppContext, companion: SessionCompanion | undefined, jobs: readonly LookupJob[]): Promise<Map<number, SessionLookupRow>> {
  let byCompanion = groupLookups.get(ctx.db);
  if (!byCompanion) groupLookups.set(ctx.db, (byCompanion = new Map()));
  const key = companion?.name ?? '';
  let query = byCompanion.get(key);
  if (!query) byCompanion.set(key, (query = groupLookupQuery(ctx, companion)));
  const rows = await query(ctx.db, JSON.stringify(jobs.map((j, ord) => ({ ord, sid: j.id, cid: j.companionId }))));
  return new Map(rows.map((r) => [Number(r.ord), r]));
}

/** Finds the session behind a cookie, enforcing the pending, idle and absolute limits on the server. */
export async function lookupSession(ctx: AppContext, token: string | undefined, companion?: SessionCompanionRequest): Promise<SessionLookup> {
  if (!token || token.length > 100) return { state: 'none' };
  const id = sessionIdOf(token);
  const row = await findSessionRow(ctx, id, companion);
  if (!row) return { state: 'none' };

  const now = ctx.clock.now().getTime();
  const idleExpires = Date.parse(row.last_seen_at) + SESSION_IDLE_MS;
  const pendingExpires = Date.parse(row.created_at) + SESSION_PENDING_MS;
  const absolute = Date.parse(row.absolute_expires_at);
  const expired =
    row.disabled_at !== null || now >= absolute || (row.stage === 'active' ? now >= idleExpires : now >= pendingExpires);
  if (expired) {
    await ctx.db.deleteFrom('session').where('id', '=', id).execute();
    return { state: 'expired' };
  }
  let lastSeen = row.last_seen_at;
  if (now - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    lastSeen = new Date(now).toISOString();
    await ctx.db.updateTable('session').set({ last_seen_at: lastSeen }).where('id', '=', id).execute();
  }
  const taskForces = (JSON.parse(row.task_forces ?? '[]') as [string, string][]).map(([id, name]) => ({ id, name }));
  const actor: Actor = {
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    agencyKind: row.agency_kind as AgencyKind,
    roles: new Set((row.roles ?? '').split(',').filter(Boolean) as Role[]),
    platformAdmin: row.is_platform_admin === 1,
    taskForceIds: taskForces.map((t) => t.id),
    sessionId: row.id,
    mustChangePassword: row.must_change_password === 1,
  };
  // Only a signed-in actor's request goes on to use the record; a half-signed-in one is refused first.
  if (companion && row.stage === 'active') companion.with.keep(actor, companion.id, row as unknown as Record<string, unknown>);
  return {
    state: 'ok',
    session: {
      id: row.id,
      stage: row.stage as SessionStage,
      userId: row.user_id,
      createdAt: row.created_at,
      lastSeenAt: lastSeen,
      idleExpiresAt: new Date(Date.parse(lastSeen) + SESSION_IDLE_MS).toISOString(),
      absoluteExpiresAt: row.absolute_expires_at,
      actor,
      taskForces,
    },
  };
}
