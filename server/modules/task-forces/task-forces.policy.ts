import type { Policy } from '../../auth/policy.ts';
import { hasRole } from '../../auth/actor.ts';
import type { TaskForceRow } from '../../db/schema/index.ts';
import { taskForceAccess } from './task-forces.access.ts';

/**
 * Task forces are set up by the platform administrator; the lead agency's coordinators invite and
 * release partner agencies (DESIGN.md §1: a coordinator "invites agencies").
 */
const leadCoordinator = (actor: Parameters<NonNullable<Policy<TaskForceRow | null>['taskForce.read']>>[0], tf: TaskForceRow | null) =>
  tf !== null && hasRole(actor, 'coordinator') && tf.agency_id === actor.agencyId;

export const taskForcePolicy: Policy<TaskForceRow | null> = {
  'taskForce.create': (actor) => actor.platformAdmin,
  'taskForce.read': (actor, tf) => actor.platformAdmin || (tf !== null && actor.taskForceIds.includes(tf.id)),
  'taskForce.update': (actor, tf) => actor.platformAdmin || leadCoordinator(actor, tf),
  'taskForce.addAgency': (actor, tf) => actor.platformAdmin || leadCoordinator(actor, tf),
  'taskForce.removeAgency': (actor, tf) => actor.platformAdmin || leadCoordinator(actor, tf),
  /** Partners' contacts: the member agencies' staff only (task-forces.access.ts). */
  'taskForce.readContacts': (actor, tf) => tf !== null && taskForceAccess.grants['taskForce.readContacts'].allows(actor, tf),
};
