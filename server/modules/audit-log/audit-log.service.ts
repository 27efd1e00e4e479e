import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { csvRow } from '../../lib/csv.ts';
import type { AuditEventDto, AuditQuery } from '../../../common/schemas/audit.ts';
import { FAILURE_ACTIONS } from '../../../common/actions.ts';
import { auditLogPolicy } from './audit-log.policy.ts';
import * as q from './audit-log.queries.ts';

type Row = Awaited<ReturnType<typeof q.search>>[number];

/** Whether the reader administers this agency's people and records (a platform administrator, all). */
const manages = (actor: Actor, agencyId: string | null) => actor.platformAdmin || (agencyId !== null && agencyId === actor.agencyId);

/**
 * The record's name, only where the reader may see it: their own agency's operations and people (every
 * one for a platform administrator), agencies and task forces by name. Anything else stays an id.
 */
function recordName(actor: Actor, r: Row): string | null {
  switch (r.record_type) {
    case 'operation':
      return r.record_operation_name && manages(actor, r.record_operation_agency_id) ? r.record_operation_name : null;
    case 'user':
      return r.record_user_name && manages(actor, r.record_user_agency_id) ? `User ${r.record_user_name}` : null;
    case 'agency':
      return r.record_agency_name;
    case 'task_force':
      return r.record_task_force_name;
    default:
      return null;
  }
}

function toDto(actor: Actor, r: Row): AuditEventDto {
  return {
    id: r.id,
    at: r.at,
    userId: r.actor_user_id,
    userEmail: r.user_email,
    userName: r.user_name && manages(actor, r.user_agency_id) ? r.user_name : null,
    agencyId: r.actor_agency_id,
    action: r.action,
    recordType: r.record_type,
    recordId: r.record_id,
    recordName: recordName(actor, r),
    // A lockout was written as the counter's success; to a reader it is a failed sign-in.
    outcome: FAILURE_ACTIONS.includes(r.action) ? 'failure' : r.outcome,
    changedFields: JSON.parse(r.changed_fields) as string[],
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
  };
}

const filterDetail = (f: Omit<AuditQuery, 'limit'>) =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));

/** Searches the log; the search itself is recorded in the log (CJIS: audit access is audited). */
export async function searchAudit(ctx: AppContext, actor: Actor, query: AuditQuery, meta: RequestMeta) {
  authorize(actor, auditLogPolicy, 'audit.read', null);
  const { limit, ...filter } = query;
  return ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    const rows = await q.search(tx.db, actor, filter, limit + 1);
    const page = rows.slice(0, limit);
    tx.audit({ action: 'audit.read', recordType: 'audit_log', detail: { ...filterDetail(filter), returned: page.length } });
    const last = page.at(-1);
    return { events: page.map((r) => toDto(actor, r)), nextBefore: rows.length > limit && last ? `${last.at}|${last.id}` : null };
  });
}

const EXPORT_MAX = 100_000;

export async function exportAuditCsv(ctx: AppContext, actor: Actor, query: AuditQuery, meta: RequestMeta) {
  authorize(actor, auditLogPolicy, 'audit.export', null);
  const { limit: _limit, ...filter } = query;
  return ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    const rows = await q.search(tx.db, actor, filter, EXPORT_MAX);
    tx.audit({ action: 'audit.export', recordType: 'audit_log', detail: { ...filterDetail(filter), returned: rows.length } });
    // The person's name is in the export (a reviewer reads "who" without looking ids up) but not in
    // the JSON search, whose screen already shows the email.
    let out = csvRow(['time_utc', 'user_id', 'user_email', 'user_name', 'agency_id', 'action', 'record_type', 'record_id', 'outcome', 'changed_fields', 'ip', 'user_agent', 'request_id']);
    for (const row of rows) {
      const r = toDto(actor, row);
      out += csvRow([r.at, r.userId, r.userEmail, row.user_name, r.agencyId, r.action, r.recordType, r.recordId, r.outcome, r.changedFields.join(' '), r.ip, r.userAgent, r.requestId]);
    }
    return out;
  });
}
