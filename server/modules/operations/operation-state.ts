import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import type { OperationRow } from '../../db/schema/index.ts';
import { conflict, notFound, type AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { OperationStatus } from '../../../common/operations.ts';
import type { OperationRecord } from './operations.policy.ts';
import * as q from './operations.queries.ts';
import { operationAccess } from './operations.access.ts';
import type { SessionCompanion } from '../../auth/sessions.ts';
import { id as recordId } from '../../../common/schemas/shared.ts';

/**
 * The operation as a record the policy judges, how it is loaded, and the doors every change to it goes
 * through: its timeline, and the conditional writes that make each transition hold under concurrency.
 */

export const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

export function operationRecord(row: OperationRow, assigned: boolean): OperationRecord {
  return {
    id: row.id,
    agencyId: row.agency_id,
    taskForceId: row.task_force_id,
    status: row.status as OperationStatus,
    assigned,
    commanderUserId: row.commander_user_id,
  };
}

/**
 * Loads an operation the actor may see, or 404 — the single door other modules (contacts, referrals,
 * custody, disclosure) use to reach an operation. A route that declared `withSession:
 * operationWithSession` has its operation read already, in the session's statement; the first load
 * outside a transaction takes that, judged by the same grant (`operation.read`) in its predicate form.
 */
export async function loadOperation(ctx: AppContext, actor: Actor, id: string, db: Queryable = ctx.db) {
  const kept = db === ctx.db ? takeReadWithSession(actor, id) : undefined;
  const found = kept === undefined ? await q.findVisibleWithAssignment(db, actor, id) : kept;
  if (!found) throw notFound('operation');
  return { row: found.row, record: operationRecord(found.row, found.assigned) };
}

/** Every column of `operation`: a type error here when the table gains one this list lacks. */
const OPERATION_FIELDS = [
  'id',
  'agency_id',
  'task_force_id',
  'name',
  'type',
  'status',
  'starts_at',
  'ends_at',
  'commander_user_id',
  'commander_name',
  'commander_phone',
  'briefing',
  'investigation_hold',
  'created_by',
  'approved_by',
  'approved_at',
  'activated_at',
  'closed_by',
  'closed_at',
  'version',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof OperationRow)[];
type Unlisted = Exclude<keyof OperationRow, (typeof OPERATION_FIELDS)[number]>;
const everyColumnListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyColumnListed;

const OPERATION_ALIASES = OPERATION_FIELDS.map((f) => [f, `op_${f}`] as const);

type Found = NonNullable<Awaited<ReturnType<typeof q.findVisibleWithAssignment>>>;
/** What the session's statement read for each request's actor: the operation, or null for no such id. */
const readWithSession = new WeakMap<Actor, { id: string; found: Found | null }>();

/**
 * The operation in the params, read with the session (`withSession` in a route's config). Its visibility
 * is not part of the read: `loadOperation` asks the grant when the service uses it, so an operation the
 * actor may not see is a 404 exactly as when it is read alone.
 */
export const operationWithSession: SessionCompanion = {
  name: 'operation',
  accepts: (id) => recordId.safeParse(id).success,
  join: (query, id) =>
    query
      .leftJoin('operation as op', (join) => join.on('op.id', '=', id))
      .select((eb) => [
        ...OPERATION_ALIASES.map(([f, alias]) => `op.${f} as ${alias}` as const),
        eb
          .exists(eb.selectFrom('operation_assignment as oa').select('oa.user_id').whereRef('oa.operation_id', '=', 'op.id').whereRef('oa.user_id', '=', 's.user_id'))
          .as('op_actor_assigned'),
      ]),
  keep: (actor, id, columns) => {
    if (columns.op_id === null || columns.op_id === undefined) {
      readWithSession.set(actor, { id, found: null });
      return;
    }
    const row: Record<string, unknown> = {};
    for (const [field, alias] of OPERATION_ALIASES) row[field] = columns[alias];
    // SQLite answers 1 or 0, PostgreSQL true or false.
    readWithSession.set(actor, { id, found: { row: row as OperationRow, assigned: Number(columns.op_actor_assigned) === 1 } });
  },
};

/**
 * The operation read with this request's session, once: a second load re-reads (the request may have
 * changed it since). `null` when there is none the actor may see, `undefined` when none was read.
 */
function takeReadWithSession(actor: Actor, id: string): Found | null | undefined {
  const kept = readWithSession.get(actor);
  if (!kept || kept.id !== id) return undefined;
  readWithSession.delete(actor);
  if (!kept.found) return null;
  return operationAccess.grants['operation.read'].allows(actor, operationRecord(kept.found.row, kept.found.assigned)) ? kept.found : null;
}

/** Appends to an operation's timeline (the after-action report's spine). Detail never names a person. */
export async function recordEvent(db: Queryable, ctx: AppContext, op: Pick<OperationRow, 'id' | 'agency_id'>, kind: string, actorUserId: string | null, detail: Record<string, string | number | boolean | null> = {}) {
  await q.insertEvent(db, { id: newId(), operation_id: op.id, agency_id: op.agency_id, at: ctx.clock.now().toISOString(), kind, actor_user_id: actorUserId, detail: JSON.stringify(detail) });
}

/**
 * The 409 for a state change that lost a race: what changed since the operation was loaded — the state
 * it moved to, or a newer version of its plan.
 */
async function staleOperation(db: Queryable, row: Pick<OperationRow, 'id' | 'status' | 'version'>): Promise<AppError> {
  const now = await q.statusOf(db, row.id);
  if (!now) return notFound('operation');
  if (now.status !== row.status) return conflict(`status: the operation is now ${now.status} (it was ${row.status} when you asked); reload`, 'status');
  return conflict(`version: someone changed this operation a moment ago (version ${row.version} is now ${now.version}); reload and try again`, 'version');
}

/**
 * Every change to the operation row goes through here (DESIGN.md §3: state changes re-check their
 * precondition where they write): the update applies only if the operation is still in the status and
 * at the version the caller's checks saw, bumps the version, and holds the row until the commit.
 */
export async function advanceOperation(tx: Tx, row: OperationRow, changes: Partial<OperationRow>) {
  if (!(await q.updateAt(tx.db, row, { ...changes, version: row.version + 1 }))) throw await staleOperation(tx.db, row);
}

/**
 * For changes beside the operation row (its conflicts, its waivers): locks the row until the commit and
 * refuses (409) if it is no longer in the status and at the version the caller's checks saw. A plan
 * changed in between may carry conflicts the caller never saw.
 */
export async function holdOperation(tx: Tx, ctx: AppContext, row: OperationRow) {
  const now = await q.holdStatus(tx.db, ctx.dialect, row.id, 'exclusive');
  if (!now || now.status !== row.status || Number(now.version) !== row.version) throw await staleOperation(tx.db, row);
}

/**
 * For the field log (contacts module), inside its transaction: locks the operation row until the commit
 * and refuses (409) unless the operation is still in the status the caller's checks saw — running, for
 * recording and field edits; closed, for corrections. Closing updates the same row, so a contact either
 * commits before the close (and the close's checks and counts see it) or is refused.
 */
export async function holdOperationStatus(db: Queryable, ctx: AppContext, operationId: string, expected: OperationStatus) {
  // Shared: contacts of one operation are written side by side; only a state change waits for them.
  const now = await q.holdStatus(db, ctx.dialect, operationId, 'shared');
  if (!now) throw notFound('operation');
  if (now.status !== expected) throw conflict(`status: the operation is now ${now.status} (it was ${expected} when you asked); reload`, 'status');
}
