import type { OperationStatus } from '../../../common/operations.ts';
import {
  allOf,
  anyOf,
  assignedToOperation,
  fieldIn,
  hasAnyRole,
  inActorsTaskForces,
  namesActor,
  ownAgency,
  personReader,
  releaseWriter,
  taskForceReader,
  type Grant,
  type Grants,
} from '../../auth/access.ts';

/** What a rule needs to know about an operation (already known to be visible to the actor). */
export interface OperationRecord {
  id: string;
  /** The lead agency, owner of the operation and of everything recorded in it. */
  agencyId: string;
  taskForceId: string;
  status: OperationStatus;
  /** Whether the actor is assigned to the operation (its briefing and field log are theirs). */
  assigned: boolean;
  commanderUserId: string | null;
}

/** Where a query keeps an operation's facts (the columns of `operation`, or of a table that copies them). */
export interface OperationColumns {
  id: string;
  /** The lead agency, owner of the operation and of everything recorded in it. */
  agency: string;
  taskForce: string;
  status: string;
  commander: string;
}

export const OPERATION_COLUMNS: OperationColumns = {
  id: 'operation.id',
  agency: 'operation.agency_id',
  taskForce: 'operation.task_force_id',
  status: 'operation.status',
  commander: 'operation.commander_user_id',
};

/**
 * An operation's grants, for any record that carries an operation (`of` finds it) in a query that names
 * its columns: the operations module uses them on `operation`; contacts, for instance, on the contact's
 * operation, so "who reads a contact" is built from "who reads the operation's persons", not copied.
 */
export function operationGrants<R>(of: (r: R) => OperationRecord, cols: OperationColumns) {
  const assigned = assignedToOperation<R>((r) => of(r).assigned, cols.id);
  const leadAgency = ownAgency<R>((r) => of(r).agencyId, cols.agency);
  const inTaskForce = inActorsTaskForces<R>((r) => of(r).taskForceId, cols.taskForce);
  const status = (...statuses: OperationStatus[]): Grant<R> => fieldIn<R>((r) => of(r).status, cols.status, statuses);
  const leadCoordinator = allOf<R>(hasAnyRole('coordinator'), leadAgency);
  /** Seeing an operation: those assigned to it, and its task force's coordinators, analysts and PIOs. */
  const read = anyOf<R>(assigned, taskForceReader(inTaskForce));

  const grants = {
    /** Planning an operation: a coordinator, for a task force their agency belongs to (the record is the plan-to-be). */
    'operation.create': allOf<R>(hasAnyRole('coordinator'), inTaskForce, leadAgency),
    'operation.read': read,
    /** The plan changes while it is a plan, by the lead agency's coordinators. */
    'operation.update': allOf<R>(leadCoordinator, status('draft', 'approved')),
    'operation.assign': allOf<R>(leadCoordinator, status('draft', 'approved', 'active')),
    /** Approval is a coordinator's act (issue #3: draft → approved by a coordinator). */
    'operation.approve': allOf<R>(leadCoordinator, status('draft')),
    /** The lead's coordinators, or the on-scene commander while assigned (issue #7, finding 6), start an approved operation. */
    'operation.activate': allOf<R>(anyOf<R>(leadCoordinator, allOf<R>(namesActor<R>((r) => of(r).commanderUserId, cols.commander), assigned)), status('approved')),
    'operation.close': allOf<R>(leadCoordinator, status('active')),
    /** A closed operation is read-only but for corrections with a reason, by the lead's coordinators. */
    'operation.correct': allOf<R>(leadCoordinator, status('closed')),
    /** The briefing is for those assigned to the operation, and no one else. */
    'operation.readBriefing': assigned,
    'operation.resolveConflict': allOf<R>(leadCoordinator, status('draft', 'approved', 'active')),
    'operation.waive': allOf<R>(leadCoordinator, status('approved')),
    /** Officers record contacts only in operations they are assigned to (issue #3), while it runs. */
    'operation.recordContact': allOf<R>(assigned, hasAnyRole('officer', 'coordinator'), status('active')),
    /** Person-level records: the assigned, and the lead agency's coordinators and analysts. */
    'operation.readContacts': personReader<R>(assigned, leadAgency),
    /** Counts, never persons: anyone who may see the operation. */
    'operation.readOutcome': read,
    /** The operation's press releases: drafted from it by its writers (the same grant as the release's). */
    'pressRelease.create': releaseWriter<R>(inTaskForce, leadAgency),
  } satisfies Grants<R>;
  return { assigned, leadAgency, inTaskForce, status, leadCoordinator, grants };
}

export const operationAccess = operationGrants<OperationRecord>((op) => op, OPERATION_COLUMNS);
