import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { allOf, anyOf, fieldIn, grant, hasAnyRole, inActorsTaskForces, not, ownAgency, releaseWriter, type Grant, type Grants } from '../../auth/access.ts';
import { operationAccess } from '../operations/operations.access.ts';

export interface PressReleaseRecord {
  /** The operation's lead agency. */
  agencyId: string;
  taskForceId: string;
  status: 'draft' | 'published';
  /** Who gave each approval (for the current text). */
  approvedBy: { pio: string | null; coordinator: string | null };
}

/** A release's columns (alias `r`) and its operation's task force (the `operation` table, joined). */
export const PRESS_RELEASE_COLUMNS = { id: 'r.id', agency: 'r.agency_id', status: 'r.status', textHash: 'r.text_hash', taskForce: 'operation.task_force_id' } as const;
const C = PRESS_RELEASE_COLUMNS;

type Kind = 'pio' | 'coordinator';

/** An approval of this kind is on record for the current text (by anyone, or by the actor). */
const approvalSql = (kind: Kind, userId: string | null) =>
  sql<SqlBool>`exists (select 1 from press_release_approval pa where pa.release_id = ${sql.ref(C.id)} and pa.kind = ${kind} and pa.text_hash = ${sql.ref(C.textHash)}${
    userId === null ? sql`` : sql` and pa.user_id = ${userId}`
  })`;
const approved = (kind: Kind): Grant<PressReleaseRecord> => grant((_actor, r) => r.approvedBy[kind] !== null, () => approvalSql(kind, null));
const approvedByActor = (kind: Kind): Grant<PressReleaseRecord> =>
  grant((actor, r) => r.approvedBy[kind] === actor.userId, (actor) => approvalSql(kind, actor.userId));

const status = (s: PressReleaseRecord['status']) => fieldIn<PressReleaseRecord>((r) => r.status, C.status, [s]);
/** The public-information officers of the operation's task force. */
const pio = allOf<PressReleaseRecord>(hasAnyRole('pio'), inActorsTaskForces((r) => r.taskForceId, C.taskForce));
/** The coordinators of the operation's lead agency. */
const leadCoordinator = allOf<PressReleaseRecord>(hasAnyRole('coordinator'), ownAgency((r) => r.agencyId, C.agency));
const writer = releaseWriter<PressReleaseRecord>(inActorsTaskForces((r) => r.taskForceId, C.taskForce), ownAgency((r) => r.agencyId, C.agency));

/**
 * The approvals: one from a PIO and one from a lead coordinator, by two different people — so the holder
 * of both roles who gave one may not give the other.
 */
const approveAs = (kind: Kind, who: Grant<PressReleaseRecord>, other: Kind) =>
  allOf<PressReleaseRecord>(status('draft'), who, not(approved(kind)), not(approvedByActor(other)));
const approveAsPio = approveAs('pio', pio, 'coordinator');
const approveAsCoordinator = approveAs('coordinator', leadCoordinator, 'pio');

/**
 * Press releases (issue #4, item 2): written by the task force's public-information officers or the
 * lead agency's coordinators; approved by one of each — two different people —; published by a PIO
 * once both approved; corrected, never silently edited, once published.
 */
export const pressReleaseAccess = {
  grants: {
    'pressRelease.create': writer,
    'pressRelease.read': writer,
    'pressRelease.update': allOf<PressReleaseRecord>(status('draft'), writer),
    'pressRelease.approve': anyOf(approveAsPio, approveAsCoordinator),
    'pressRelease.approveAsPio': approveAsPio,
    'pressRelease.approveAsCoordinator': approveAsCoordinator,
    'pressRelease.publish': allOf<PressReleaseRecord>(status('draft'), pio, approved('pio'), approved('coordinator')),
    'pressRelease.correct': allOf<PressReleaseRecord>(status('published'), pio),
  } satisfies Grants<PressReleaseRecord>,
};

/**
 * The approval an actor gives when they ask for `as` (or, asking for none, the coordinator's if it is
 * open to them, else the PIO's); null when that approval is not theirs to give.
 */
export function approvalKind(actor: Actor, record: PressReleaseRecord, as: Kind | undefined): Kind | null {
  const open = { pio: approveAsPio.allows(actor, record), coordinator: approveAsCoordinator.allows(actor, record) };
  const kind = as ?? (open.coordinator ? 'coordinator' : 'pio');
  return open[kind] ? kind : null;
}

/**
 * The releases an actor may list: those of an operation they may see (a release is loaded through its
 * operation, 404 otherwise) that they may read — both grants' SQL, over `press_release as r` joined to
 * `operation`.
 */
export const pressReleasesVisibleTo = (actor: Actor) =>
  sql<SqlBool>`(${operationAccess.grants['operation.read'].where(actor)} and ${pressReleaseAccess.grants['pressRelease.read'].where(actor)})`;
