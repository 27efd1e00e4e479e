import type { Actor } from '../../auth/actor.ts';
import { columnIn, everything } from '../../auth/scope.ts';
import type { Queryable } from '../../db/database.ts';
import { taskForceAccess } from './task-forces.access.ts';

/** A task force is visible to the staff of its member agencies. */
export function taskForcesVisibleTo(actor: Actor) {
  return actor.platformAdmin ? everything() : columnIn('task_force.id', actor.taskForceIds);
}

export function list(db: Queryable, actor: Actor) {
  return db.selectFrom('task_force').selectAll().where(taskForcesVisibleTo(actor)).orderBy('name').execute();
}

export function findVisible(db: Queryable, actor: Actor, id: string) {
  return db.selectFrom('task_force').selectAll().where('id', '=', id).where(taskForcesVisibleTo(actor)).executeTakeFirst();
}

export function findByName(db: Queryable, name: string) {
  return db.selectFrom('task_force').select('id').where('name', '=', name).executeTakeFirst();
}

export function membersOf(db: Queryable, taskForceIds: string[]) {
  if (taskForceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('task_force_member as m')
    .innerJoin('agency as a', 'a.id', 'm.agency_id')
    .select(['m.task_force_id', 'm.agency_id', 'm.joined_at', 'a.name', 'a.kind'])
    .where('m.task_force_id', 'in', taskForceIds)
    .orderBy('a.name')
    .execute();
}

export function isMember(db: Queryable, taskForceId: string, agencyId: string) {
  return db
    .selectFrom('task_force_member')
    .select('agency_id')
    .where('task_force_id', '=', taskForceId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
}

/**
 * The coordinators of a task force's member agencies (enabled accounts), filtered in SQL by the
 * `taskForce.readContacts` grant: for an actor outside the task force the list is empty.
 */
export function coordinatorsOf(db: Queryable, actor: Actor, taskForceId: string) {
  return db
    .selectFrom('task_force_member as m')
    .innerJoin('agency as a', 'a.id', 'm.agency_id')
    .leftJoin('app_user as u', (join) =>
      join
        .onRef('u.agency_id', '=', 'm.agency_id')
        .on('u.disabled_at', 'is', null)
        .on((eb) => eb.exists(eb.selectFrom('membership as r').select('r.user_id').whereRef('r.user_id', '=', 'u.id').where('r.role', '=', 'coordinator'))),
    )
    .select(['m.agency_id', 'a.name as agency_name', 'a.kind as agency_kind', 'u.id as user_id', 'u.display_name', 'u.email', 'u.phone'])
    .where('m.task_force_id', '=', taskForceId)
    .where(taskForceAccess.grants['taskForce.readContacts'].where(actor))
    .orderBy('a.name')
    .orderBy('u.display_name')
    .execute();
}
