import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import type { OperationLocationRow, OperationRow, OperationSubjectRow } from '../../db/schema/index.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { county, inCounty, onTheMap, stateName } from '../../lib/geography.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import { DEFAULT_RADIUS_M, type OperationType, type ParticipantRole, type SubjectKind } from '../../../common/operations.ts';
import type { PlanOperationInput, UpdateOperationInput } from '../../../common/schemas/operations.ts';
import { indexLocations } from './deconfliction.ts';
import { reindexSubjects } from '../identifiers/identifiers.ts';
import { watchOperationSubjects } from '../businesses/businesses.watch.ts';
import { operationPolicy } from './operations.policy.ts';
import * as q from './operations.queries.ts';
import { deconflict } from './conflicts.service.ts';
import { getFresh } from './operation-dto.ts';
import { advanceOperation, loadOperation, operationRecord, recordEvent, who } from './operation-state.ts';

/**
 * Planning: what a plan must satisfy (one validation for creating and editing), and writing it — its
 * places, subjects, participants and assignments — each save deconflicted at once.
 */

interface PlanParts {
  locations: OperationLocationRow[];
  subjects: OperationSubjectRow[];
}

/** Checks places against the map: a real county, and the point within it (issue #3: no location off the map). */
function checkLocations(input: NonNullable<PlanOperationInput['locations']>) {
  input.forEach((l, i) => {
    const c = county(l.countyFips);
    if (!c) throw invalid(`locations.${i}.countyFips`, 'is not a U.S. county FIPS code');
    if (!onTheMap(l.lat, l.lng)) throw invalid(`locations.${i}.lat`, 'this point is outside the map of the United States');
    if (!inCounty(l.lat, l.lng, l.countyFips)) {
      throw invalid(`locations.${i}.lat`, `this point is not in ${c.name} County, ${stateName(c.state) ?? c.state}; check the coordinates or the county`);
    }
  });
}

function buildParts(ctx: AppContext, op: Pick<OperationRow, 'id' | 'agency_id' | 'type'>, input: Pick<PlanOperationInput, 'locations' | 'subjects'>): PlanParts {
  const locations = input.locations.map((l, i) => ({
    id: newId(),
    operation_id: op.id,
    agency_id: op.agency_id,
    label: l.label,
    county_fips: l.countyFips,
    lat: l.lat,
    lng: l.lng,
    radius_m: l.radiusM ?? DEFAULT_RADIUS_M[op.type as OperationType],
    position: i,
  }));
  const seen = new Set<string>();
  const subjects: OperationSubjectRow[] = [];
  input.subjects.forEach((s, i) => {
    const normalized = normalizeIdentifier(s.kind, s.value);
    if (!normalized) throw invalid(`subjects.${i}.value`, `is not a usable ${s.kind}`);
    const blind = blindIndex(ctx.keyring, s.kind, normalized);
    if (seen.has(blind)) return;
    seen.add(blind);
    const id = newId();
    subjects.push({ id, operation_id: op.id, agency_id: op.agency_id, kind: s.kind, value: seal(ctx.keyring, 'operation_subject', 'value', id, s.value), blind, position: i });
  });
  return { locations, subjects };
}

/** Participants must be task-force members, in a role their kind of agency can fill. */
async function checkParticipants(ctx: AppContext, taskForceId: string, leadId: string, participants: PlanOperationInput['participants']) {
  const members = await q.taskForceMembers(ctx.db, taskForceId);
  const kinds = new Map(members.map((m) => [m.id, m.kind]));
  const out = new Map<string, ParticipantRole>([[leadId, 'lead']]);
  participants.forEach((p, i) => {
    const kind = kinds.get(p.agencyId);
    if (!kind) throw invalid(`participants.${i}.agencyId`, 'is not a member agency of this task force');
    if (p.role === 'victim_services' && kind !== 'victim_services') throw invalid(`participants.${i}.role`, 'victim services must be a victim-services agency');
    if (p.role === 'child_welfare' && kind !== 'child_welfare') throw invalid(`participants.${i}.role`, 'child welfare must be a child-welfare agency');
    if (p.role === 'participant' && (kind === 'victim_services' || kind === 'child_welfare')) {
      throw invalid(`participants.${i}.role`, `a ${kind.replace('_', ' ')} agency takes part as ${kind}`);
    }
    if (p.agencyId !== leadId) out.set(p.agencyId, p.role);
  });
  return out;
}

/** Assigned users: officers, coordinators and analysts of participating law-enforcement-side agencies. */
async function checkAssignments(ctx: AppContext, participants: Map<string, ParticipantRole>, userIds: string[]) {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  const users = await q.activeUsersWithRoles(ctx.db, ids);
  return ids.map((id, i) => {
    const rows = users.filter((u) => u.id === id);
    if (rows.length === 0) throw invalid(`assignedUserIds.${i}`, 'no active account has this id');
    const agencyId = rows[0]!.agency_id;
    const role = participants.get(agencyId);
    if (!role || role === 'victim_services' || role === 'child_welfare') {
      throw invalid(`assignedUserIds.${i}`, 'must belong to a participating law-enforcement or prosecuting agency');
    }
    if (!rows.some((r) => r.role === 'officer' || r.role === 'coordinator' || r.role === 'analyst')) {
      throw invalid(`assignedUserIds.${i}`, 'must be an officer, coordinator or analyst');
    }
    return { userId: id, agencyId };
  });
}

async function writePlan(
  tx: Tx,
  ctx: AppContext,
  op: OperationRow,
  parts: PlanParts | null,
  participants: Map<string, ParticipantRole> | null,
  assignments: { userId: string; agencyId: string }[] | null,
) {
  const db = tx.db;
  if (parts) {
    // Conflicts point at locations and subjects by id; the old ones are replaced, so their conflicts are recomputed.
    await q.replacePlaces(db, op.id, parts.locations, parts.subjects);
    await indexLocations(db, op.id, parts.locations);
    // The shared identifier index (tips' links) follows the subjects in the same transaction.
    await reindexSubjects(db, ctx, op, parts.subjects);
    await watchOperationSubjects(tx, ctx, op, parts.subjects);
  }
  if (participants) await q.replaceParticipants(db, op.id, [...participants].map(([agency_id, role]) => ({ operation_id: op.id, agency_id, role })));
  if (assignments) {
    await q.replaceAssignments(db, op.id, assignments.map((a) => ({ user_id: a.userId, agency_id: a.agencyId })), ctx.clock.now().toISOString());
  }
}

function checkWindow(startsAt: string, endsAt: string) {
  if (Date.parse(endsAt) <= Date.parse(startsAt)) throw invalid('endsAt', 'must be after the start');
  if (Date.parse(endsAt) - Date.parse(startsAt) > 31 * 24 * 60 * 60_000) throw invalid('endsAt', 'an operation window is at most 31 days');
}

/** A whole plan as it would stand once saved: what creating checks, and editing checks again. */
interface PlanToCheck {
  taskForceId: string;
  leadAgencyId: string;
  startsAt: string;
  endsAt: string;
  locations: PlanOperationInput['locations'];
  participants: PlanOperationInput['participants'];
  /** Everyone who will be assigned, the planner first. */
  assignedUserIds: string[];
  /**
   * Assignments an edit leaves as they were, with participants unchanged: checked when they were made,
   * not again (an assignee disabled since must not block renaming the plan).
   */
  keptAssignments?: { userId: string; agencyId: string }[];
  /** Likewise the participants an edit leaves as they were (an agency that left the task force since). */
  keptParticipants?: Map<string, ParticipantRole>;
  commanderUserId: string | null;
}

/**
 * The one validation of a plan, for creating and for editing alike (issue #7, finding 6: an edit could
 * name an unassigned on-scene commander, who may then start the operation). Returns the participants
 * and assignments to write.
 */
async function checkPlan(ctx: AppContext, plan: PlanToCheck) {
  checkWindow(plan.startsAt, plan.endsAt);
  checkLocations(plan.locations);
  const participants = plan.keptParticipants ?? (await checkParticipants(ctx, plan.taskForceId, plan.leadAgencyId, plan.participants));
  const assignments = plan.keptAssignments ?? (await checkAssignments(ctx, participants, plan.assignedUserIds));
  if (plan.commanderUserId && !assignments.some((a) => a.userId === plan.commanderUserId)) {
    throw invalid('commander.userId', 'the on-scene commander must be assigned to the operation');
  }
  return { participants, assignments };
}

/** Plans a new operation (draft) and deconflicts it at once. */
export async function planOperation(ctx: AppContext, actor: Actor, input: PlanOperationInput, meta: RequestMeta) {
  const id = newId();
  const draft = operationRecord({ id, agency_id: actor.agencyId, task_force_id: input.taskForceId, status: 'draft', commander_user_id: null } as OperationRow, true);
  if (!actor.taskForceIds.includes(input.taskForceId)) throw notFound('task force');
  authorize(actor, operationPolicy, 'operation.create', draft);
  const { participants, assignments } = await checkPlan(ctx, {
    taskForceId: input.taskForceId,
    leadAgencyId: actor.agencyId,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    locations: input.locations,
    participants: input.participants,
    assignedUserIds: [actor.userId, ...input.assignedUserIds],
    commanderUserId: input.commander.userId ?? null,
  });
  const now = ctx.clock.now().toISOString();
  const row: OperationRow = {
    id,
    agency_id: actor.agencyId,
    task_force_id: input.taskForceId,
    name: input.name,
    type: input.type,
    status: 'draft',
    starts_at: new Date(input.startsAt).toISOString(),
    ends_at: new Date(input.endsAt).toISOString(),
    commander_user_id: input.commander.userId ?? null,
    commander_name: input.commander.name,
    commander_phone: seal(ctx.keyring, 'operation', 'commander_phone', id, input.commander.phone),
    briefing: seal(ctx.keyring, 'operation', 'briefing', id, input.briefing || null),
    investigation_hold: input.investigationHold ? 1 : 0,
    created_by: actor.userId,
    approved_by: null,
    approved_at: null,
    activated_at: null,
    closed_by: null,
    closed_at: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  const parts = buildParts(ctx, row, input);
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insert(tx.db, row);
    await writePlan(tx, ctx, row, parts, participants, assignments);
    await recordEvent(tx.db, ctx, row, 'planned', actor.userId, { type: row.type });
    tx.audit({ action: 'operation.create', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: Object.keys(input) });
    await deconflict(tx, ctx, row, actor.userId);
  });
  return getFresh(ctx, actor, id);
}

/**
 * Changes a draft or approved plan. A change to an approved plan sends it back to draft: what was
 * approved is no longer what would run.
 */
export async function updateOperation(ctx: AppContext, actor: Actor, id: string, input: UpdateOperationInput, meta: RequestMeta) {
  const { row, record } = await loadOperation(ctx, actor, id);
  authorize(actor, operationPolicy, 'operation.update', record);
  if (input.version !== undefined && input.version !== row.version) {
    throw conflict('version: someone else changed this operation since you opened it; reload and try again', 'version');
  }
  const startsAt = input.startsAt ? new Date(input.startsAt).toISOString() : row.starts_at;
  const endsAt = input.endsAt ? new Date(input.endsAt).toISOString() : row.ends_at;
  const [currentParticipants, currentAssignments, currentLocations] = await Promise.all([q.participantsOf(ctx.db, id), q.assignmentsOf(ctx.db, id), q.locationsOf(ctx.db, id)]);
  const locationInput = (l: OperationLocationRow) => ({ label: l.label, countyFips: l.county_fips, lat: l.lat, lng: l.lng, radiusM: l.radius_m });
  // The plan as it would stand, checked whole: a change to one part (participants, assignments,
  // commander) must still agree with the parts left as they were.
  const checked = await checkPlan(ctx, {
    taskForceId: row.task_force_id,
    leadAgencyId: row.agency_id,
    startsAt,
    endsAt,
    locations: input.locations ?? currentLocations.map(locationInput),
    participants: input.participants ?? currentParticipants.filter((p) => p.agency_id !== row.agency_id).map((p) => ({ agencyId: p.agency_id, role: p.role as Exclude<ParticipantRole, 'lead'> })),
    assignedUserIds: input.assignedUserIds ? [row.created_by, ...input.assignedUserIds] : currentAssignments.map((a) => a.user_id),
    ...(input.assignedUserIds || input.participants ? {} : { keptAssignments: currentAssignments.map((a) => ({ userId: a.user_id, agencyId: a.agency_id })) }),
    ...(input.participants ? {} : { keptParticipants: new Map(currentParticipants.map((p) => [p.agency_id, p.role as ParticipantRole])) }),
    commanderUserId: input.commander ? (input.commander.userId ?? null) : row.commander_user_id,
  });
  const participants = input.participants ? checked.participants : null;
  const assignments = input.assignedUserIds ? checked.assignments : null;
  const type = input.type ?? (row.type as OperationType);
  const changes: Partial<OperationRow> = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.type !== undefined ? { type: input.type } : {}),
    starts_at: startsAt,
    ends_at: endsAt,
    ...(input.commander ? { commander_user_id: input.commander.userId ?? null, commander_name: input.commander.name, commander_phone: seal(ctx.keyring, 'operation', 'commander_phone', id, input.commander.phone) } : {}),
    ...(input.briefing !== undefined ? { briefing: seal(ctx.keyring, 'operation', 'briefing', id, input.briefing || null) } : {}),
    ...(input.investigationHold !== undefined ? { investigation_hold: input.investigationHold ? 1 : 0 } : {}),
    ...(row.status === 'approved' ? { status: 'draft', approved_by: null, approved_at: null } : {}),
    updated_at: ctx.clock.now().toISOString(),
  };
  const parts =
    input.locations || input.subjects || input.type
      ? buildParts(ctx, { ...row, type }, {
          locations: input.locations ?? currentLocations.map((l) => ({ ...locationInput(l), radiusM: input.type ? undefined : l.radius_m })),
          subjects: input.subjects ?? (await q.subjectsOf(ctx.db, id)).map((s) => ({ kind: s.kind as SubjectKind, value: unseal(ctx.keyring, 'operation_subject', 'value', s.id, s.value) })),
        })
      : null;
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await advanceOperation(tx, row, changes);
    await writePlan(tx, ctx, row, parts, participants, assignments);
    if (row.status === 'approved') await recordEvent(tx.db, ctx, row, 'returned_to_draft', actor.userId);
    tx.audit({ action: 'operation.update', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: Object.keys(input).filter((k) => k !== 'version') });
    await deconflict(tx, ctx, { ...row, ...changes, version: row.version + 1 }, actor.userId);
  });
  return getFresh(ctx, actor, id);
}
