import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { abilitiesFor, can } from '../../auth/policy.ts';
import type { OperationRow } from '../../db/schema/index.ts';
import { county } from '../../lib/geography.ts';
import { unseal } from '../../lib/sealed.ts';
import type { OperationStatus, OperationType, ParticipantRole, SubjectKind } from '../../../common/operations.ts';
import type { AgencyKind } from '../../../common/roles.ts';
import type { ConflictDto, OperationDto } from '../../../common/schemas/operations.ts';
import { operationPolicy, type OperationRecord } from './operations.policy.ts';
import * as cq from './conflicts.queries.ts';
import * as q from './operations.queries.ts';
import { loadOperation } from './operation-state.ts';

/**
 * One side's view of its conflicts: what of its own plan is involved, and whom on the other side to
 * call — the other operation's agency and on-scene commander, never its plan (issue #3). Three reads
 * whatever the number of conflicts.
 */
export async function conflictDtos(ctx: AppContext, op: Pick<OperationRow, 'id' | 'agency_id' | 'status' | 'ends_at'>): Promise<ConflictDto[]> {
  const rows = await cq.shownOf(ctx.db, op.id);
  if (rows.length === 0) return [];
  const myItem = (c: (typeof rows)[number]) => (c.operation_a === op.id ? c.item_a : c.item_b);
  // Unscoped on purpose: deconfliction is the one channel through which another task force's operation
  // is disclosed, and only its lead agency and commander contact leave this function.
  const [others, items] = await Promise.all([
    cq.unsafeOtherSides(ctx.db, [...new Set(rows.map((c) => cq.otherSide(c, op.id)))]),
    cq.itemsOf(ctx.db, [...new Set(rows.map(myItem))]),
  ]);
  const otherById = new Map(others.map((o) => [o.id, o]));
  const now = ctx.clock.now().toISOString();
  const labels = new Map(items.locations.map((l) => [l.id, l.label]));
  const subjects = new Map(items.subjects.map((s) => [s.id, s]));
  return rows.map((c) => {
    const item = myItem(c);
    const other = otherById.get(cq.otherSide(c, op.id));
    const sub = subjects.get(item);
    const mine: ConflictDto['mine'] =
      c.kind === 'place'
        ? { type: 'location', label: labels.get(item) ?? '(location removed)' }
        : { type: 'subject', label: sub ? `${sub.kind}: ${unseal(ctx.keyring, 'operation_subject', 'value', sub.id, sub.value)}` : '(subject removed)' };
    const sameAgency = other?.agency_id === op.agency_id;
    return {
      id: c.id,
      kind: c.kind as 'place' | 'subject',
      status: c.status as ConflictDto['status'],
      detectedAt: c.detected_at,
      mine,
      other: {
        agencyName: other?.agency_name ?? 'another agency',
        commanderName: other?.commander_name ?? '',
        commanderPhone: other ? unseal(ctx.keyring, 'operation', 'commander_phone', other.id, other.commander_phone) : '',
        sameAgency,
        // Named only within one agency: another agency's operation stays a name and a phone number.
        operationId: sameAgency && other ? other.id : null,
        operationName: sameAgency && other ? other.name : null,
      },
      blocking: c.status === 'open' && cq.isLive(op, now) && other !== undefined && cq.isLive(other, now),
      resolution: c.resolution,
      resolvedAt: c.resolved_at,
    };
  });
}

export async function toOperationDto(ctx: AppContext, actor: Actor, row: OperationRow, record: OperationRecord): Promise<OperationDto> {
  const [participants, assignments, locations, subjects, named, conflicts] = await Promise.all([
    q.participantsOf(ctx.db, row.id),
    q.assignmentsOf(ctx.db, row.id),
    q.locationsOf(ctx.db, row.id),
    q.subjectsOf(ctx.db, row.id),
    q.namesAndCount(ctx.db, row),
    conflictDtos(ctx, row),
  ]);
  // Within one agency the other operation is named, but only to those who may see it: an officer assigned
  // to this operation alone learns that their agency has another one there, not what it is called.
  const mayRead = await q.visibleAmong(ctx.db, actor, conflicts.flatMap((c) => (c.other.operationId ? [c.other.operationId] : [])));
  for (const c of conflicts) {
    if (c.other.operationId && !mayRead.has(c.other.operationId)) c.other = { ...c.other, operationId: null, operationName: null };
  }
  const seesPlan = can(actor, operationPolicy, 'operation.readContacts', record);
  const seesBriefing = can(actor, operationPolicy, 'operation.readBriefing', record);
  return {
    id: row.id,
    name: row.name,
    type: row.type as OperationType,
    status: row.status as OperationStatus,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    taskForce: named.taskForce,
    leadAgency: named.lead,
    participants: participants.map((p) => ({ agencyId: p.agency_id, name: p.name, kind: p.kind as AgencyKind, role: p.role as ParticipantRole })),
    commander: { userId: row.commander_user_id, name: row.commander_name, phone: unseal(ctx.keyring, 'operation', 'commander_phone', row.id, row.commander_phone) },
    locations: locations.map((l) => ({ id: l.id, label: l.label, countyFips: l.county_fips, countyName: county(l.county_fips)?.name ?? null, lat: l.lat, lng: l.lng, radiusM: l.radius_m })),
    subjects: seesPlan ? subjects.map((s) => ({ id: s.id, kind: s.kind as SubjectKind, value: unseal(ctx.keyring, 'operation_subject', 'value', s.id, s.value) })) : null,
    briefing: seesBriefing ? unseal(ctx.keyring, 'operation', 'briefing', row.id, row.briefing) : null,
    briefingRestricted: !seesBriefing,
    investigationHold: row.investigation_hold === 1,
    assignments: assignments.map((a) => ({ userId: a.user_id, name: a.display_name, agencyName: a.agency_name })),
    conflicts,
    contacts: named.contacts,
    approvedAt: row.approved_at,
    activatedAt: row.activated_at,
    closedAt: row.closed_at,
    version: row.version,
    createdAt: row.created_at,
    abilities: abilitiesFor(actor, operationPolicy, record),
  };
}

/** The operation as it stands after a change, as the actor may see it. */
export async function getFresh(ctx: AppContext, actor: Actor, id: string) {
  const { row, record } = await loadOperation(ctx, actor, id);
  return toOperationDto(ctx, actor, row, record);
}
