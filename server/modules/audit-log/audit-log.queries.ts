import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { anyOf, columnIs, everything } from '../../auth/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { AuditQuery } from '../../../common/schemas/audit.ts';

/** An agency administrator sees what their agency's people did and what was done to their agency's records. */
export function auditVisibleTo(actor: Actor) {
  return actor.platformAdmin ? everything() : anyOf([columnIs('e.actor_agency_id', actor.agencyId), columnIs('e.record_agency_id', actor.agencyId)]);
}

/**
 * People whose name or email contains `text` (case-insensitive), among those the actor administers: a
 * platform administrator's everyone, an agency administrator's own agency. An agency administrator
 * still sees rows where another agency's people touched their records, but never finds those people
 * by name.
 */
function peopleNamed(db: Queryable, actor: Actor, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let people = db
    .selectFrom('app_user as pu')
    .select('pu.id')
    .where((eb) => eb.or([eb(sql`lower(pu.display_name)`, 'like', sql`${pattern} escape '\\'`), eb(sql`lower(pu.email)`, 'like', sql`${pattern} escape '\\'`)]));
  if (!actor.platformAdmin) people = people.where('pu.agency_id', '=', actor.agencyId);
  return people;
}

export function search(db: Queryable, actor: Actor, filter: Omit<AuditQuery, 'limit'>, limit: number) {
  let query = db
    .selectFrom('audit_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    // The record's name, by type (the caller shows it only where the reader may see it).
    .leftJoin('operation as ro', (j) => j.onRef('ro.id', '=', 'e.record_id').on('e.record_type', '=', 'operation'))
    .leftJoin('app_user as ru', (j) => j.onRef('ru.id', '=', 'e.record_id').on('e.record_type', '=', 'user'))
    .leftJoin('agency as ra', (j) => j.onRef('ra.id', '=', 'e.record_id').on('e.record_type', '=', 'agency'))
    .leftJoin('task_force as rt', (j) => j.onRef('rt.id', '=', 'e.record_id').on('e.record_type', '=', 'task_force'))
    .select([
      'e.id',
      'e.at',
      'e.actor_user_id',
      'u.email as user_email',
      'u.display_name as user_name',
      'u.agency_id as user_agency_id',
      'ro.name as record_operation_name',
      'ro.agency_id as record_operation_agency_id',
      'ru.display_name as record_user_name',
      'ru.agency_id as record_user_agency_id',
      'ra.name as record_agency_name',
      'rt.name as record_task_force_name',
      'e.actor_agency_id',
      'e.action',
      'e.record_type',
      'e.record_id',
      'e.outcome',
      'e.changed_fields',
      'e.ip',
      'e.user_agent',
      'e.request_id',
    ])
    .where(auditVisibleTo(actor));
  if (filter.userId) query = query.where('e.actor_user_id', '=', filter.userId);
  if (filter.person) query = query.where('e.actor_user_id', 'in', peopleNamed(db, actor, filter.person));
  if (filter.recordType) query = query.where('e.record_type', '=', filter.recordType);
  if (filter.recordId) query = query.where('e.record_id', '=', filter.recordId);
  if (filter.action) query = query.where('e.action', '=', filter.action);
  if (filter.from) query = query.where('e.at', '>=', new Date(filter.from).toISOString());
  if (filter.to) query = query.where('e.at', '<=', new Date(filter.to).toISOString());
  if (filter.before) {
    const [at, id] = filter.before.split('|');
    if (at && id) query = query.where((eb) => eb.or([eb('e.at', '<', at), eb.and([eb('e.at', '=', at), eb('e.id', '<', id)])]));
  }
  return query.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(limit).execute();
}
