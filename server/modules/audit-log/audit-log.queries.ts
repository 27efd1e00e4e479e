import type { Actor } from '../../auth/actor.ts';
import { anyOf, columnIs, everything } from '../../auth/scope.ts';
import type { Queryable } from '../../db/database.ts';
import type { AuditQuery } from '../../../common/schemas/audit.ts';

/** An agency administrator sees what their agency's people did and what was done to their agency's records. */
export function auditVisibleTo(actor: Actor) {
  return actor.platformAdmin ? everything() : anyOf([columnIs('e.actor_agency_id', actor.agencyId), columnIs('e.record_agency_id', actor.agencyId)]);
}

export function search(db: Queryable, actor: Actor, filter: Omit<AuditQuery, 'limit'>, limit: number) {
  let query = db
    .selectFrom('audit_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.at',
      'e.actor_user_id',
      'u.email as user_email',
      'u.display_name as user_name',
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
