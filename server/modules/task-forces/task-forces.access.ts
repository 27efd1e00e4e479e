import { grant, type Grants } from '../../auth/access.ts';
import { columnIn } from '../../auth/scope.ts';

/** What a rule needs to know about a task force. */
export interface TaskForceRecord {
  id: string;
}

/** The task force's column in a query of its member agencies (`task_force_member as m`). */
export const TASK_FORCE_COLUMNS = { id: 'm.task_force_id' } as const;

/** The actor's agency is a member of the task force. */
const member = grant<TaskForceRecord>(
  (actor, tf) => actor.taskForceIds.includes(tf.id),
  (actor) => columnIn(TASK_FORCE_COLUMNS.id, actor.taskForceIds),
);

export const taskForceAccess = {
  grants: {
    /**
     * The member agencies' coordinators and their work phones: the task force's agreement is that its
     * partners call each other to plan and deconflict, so every member agency's staff see them; no one
     * outside it does — not another task force's staff, and not the platform administrator unless their
     * own agency is a member (an administrator runs the platform, not the partnership).
     */
    'taskForce.readContacts': member,
  } satisfies Grants<TaskForceRecord>,
};
