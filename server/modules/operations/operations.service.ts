import type { AppContext } from '../../context.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { csvRow } from '../../lib/csv.ts';
import { county } from '../../lib/geography.ts';
import { unseal } from '../../lib/sealed.ts';
import type { OperationStatus, OperationType } from '../../../common/operations.ts';
import type { DisclosureSources } from '../disclosure/disclosure-sources.ts';
import * as cq from './conflicts.queries.ts';
import * as q from './operations.queries.ts';
import { toOperationDto } from './operation-dto.ts';
import { loadOperation, who } from './operation-state.ts';

/**
 * The operations module's front door: reading operations, and every verb the routes and other modules
 * call. The verbs live by seam — planning (planning.service.ts), the lifecycle (lifecycle.service.ts),
 * conflicts (conflicts.service.ts) — and the doors every change goes through in operation-state.ts.
 */
export { holdOperationStatus, loadOperation, recordEvent } from './operation-state.ts';
export { planOperation, updateOperation } from './planning.service.ts';
export { activateOperation, approveOperation, closeOperation } from './lifecycle.service.ts';
export { resolveConflict, waiveConflicts } from './conflicts.service.ts';

/**
 * What a press release may say of an operation: its row, its agencies in their roles and its places.
 * Unscoped: the disclosure module has authorized the operation before it asks.
 */
export async function unsafeOperationForRelease(ctx: AppContext, operationId: string) {
  const [operation, participants, locations] = await Promise.all([
    q.unsafeFindById(ctx.db, operationId),
    q.participantsOf(ctx.db, operationId),
    q.locationsOf(ctx.db, operationId),
  ]);
  return { operation: operation!, participants, locations };
}

function summaryOf(r: q.OperationListRow) {
  return {
    id: r.id,
    name: r.name,
    type: r.type as OperationType,
    status: r.status as OperationStatus,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    leadAgency: { id: r.agency_id, name: r.lead_agency_name },
    investigationHold: r.investigation_hold === 1,
    openConflicts: Number(r.open_conflicts ?? 0),
    contacts: Number(r.contacts ?? 0),
  };
}

/** The operations the actor may see, filtered in SQL (`operationsVisibleTo` first, then the filters). */
export async function listOperations(ctx: AppContext, actor: Actor, filter: q.ListFilter) {
  const rows = await q.list(ctx.db, actor, filter, ctx.clock.now().toISOString());
  const canPlan = hasRole(actor, 'coordinator') && actor.taskForceIds.length > 0;
  return { operations: rows.map(summaryOf), abilities: { 'operation.create': canPlan } };
}

/**
 * The filtered list as CSV for a spreadsheet (issue #9, item 5): the same rows the list shows, up to
 * `EXPORT_MAX`, no plan beyond what the list shows but the counties of its places. Every cell is escaped
 * against formula injection (`csvCell`); the export is audited with its filters and size.
 */
export async function exportOperationsCsv(ctx: AppContext, actor: Actor, filter: q.ListFilter, meta: RequestMeta) {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const rows = await q.list(tx.db, actor, filter, ctx.clock.now().toISOString(), q.EXPORT_MAX);
    const counties = new Map<string, string[]>();
    for (const c of await q.countiesOf(tx.db, rows.map((r) => r.id))) {
      const name = county(c.county_fips)?.name;
      counties.set(c.operation_id, [...(counties.get(c.operation_id) ?? []), name ? `${name} (${c.county_fips})` : c.county_fips]);
    }
    const filters = Object.entries(filter)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    tx.audit({ action: 'operation.export', recordType: 'operation', detail: { filters, returned: rows.length } });
    let out = csvRow(['name', 'type', 'status', 'starts_at_utc', 'ends_at_utc', 'lead_agency', 'counties', 'open_conflicts', 'contacts', 'investigation_hold', 'id']);
    for (const r of rows) {
      const s = summaryOf(r);
      out += csvRow([s.name, s.type, s.status, s.startsAt, s.endsAt, s.leadAgency.name, (counties.get(r.id) ?? []).sort().join('; '), s.openConflicts, s.contacts, s.investigationHold ? 'yes' : 'no', s.id]);
    }
    return out;
  });
}

/** Reading an operation is audited: its plan is protected investigative information. */
export async function getOperation(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const { row, record } = await loadOperation(ctx, actor, id);
  const dto = await toOperationDto(ctx, actor, row, record);
  await ctx.audit.record(who(actor, meta), { action: 'operation.read', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, detail: { briefing: !dto.briefingRestricted } });
  return dto;
}

/**
 * Unscoped, for the disclosure guards only: the plan's subjects and places, and everything staff wrote
 * on the operation (briefing, waiver reasons, conflict resolutions).
 */
export async function unsafeDisclosureSources(ctx: AppContext, operationId: string): Promise<DisclosureSources> {
  const op = await q.unsafeFindById(ctx.db, operationId);
  const out: DisclosureSources = { identifying: [], staffText: [] };
  if (!op) return out;
  for (const s of await q.subjectsOf(ctx.db, operationId)) {
    const value = unseal(ctx.keyring, 'operation_subject', 'value', s.id, s.value);
    out.identifying.push({ kind: s.kind as DisclosureSources['identifying'][number]['kind'], value });
  }
  for (const l of await q.locationsOf(ctx.db, operationId)) {
    out.identifying.push({ kind: 'address', value: l.label });
    out.staffText.push(l.label);
  }
  const briefing = unseal(ctx.keyring, 'operation', 'briefing', op.id, op.briefing);
  if (briefing) out.staffText.push(briefing);
  out.staffText.push(...(await cq.waiverReasonsOf(ctx.db, operationId)));
  out.staffText.push(...(await cq.resolutionsOf(ctx.db, operationId)));
  return out;
}
