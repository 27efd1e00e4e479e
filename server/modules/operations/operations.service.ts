import type { AppContext } from '../../context.ts';
import { auditActor, hasRole, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize, can } from '../../auth/policy.ts';
import type { RequestMeta, Tx } from '../../audit/audit.ts';
import { holdRow, type Queryable } from '../../db/database.ts';
import type { ConflictRow, OperationLocationRow, OperationRow, OperationSubjectRow } from '../../db/schema/index.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { AppError, conflict, invalid, notFound } from '../../lib/errors.ts';
import { county, inCounty, onTheMap, stateName } from '../../lib/geography.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import { DEFAULT_RADIUS_M, type OperationStatus, type OperationType, type ParticipantRole, type SubjectKind } from '../../../common/operations.ts';
import type { AgencyKind } from '../../../common/roles.ts';
import type { ConflictDto, OperationDto, PlanOperationInput, UpdateOperationInput } from '../../../common/schemas/operations.ts';
import { notify } from '../inbox/inbox.service.ts';
import { findConflicts, indexLocations, orderedPair } from './deconfliction.ts';
import { operationPolicy, type OperationRecord } from './operations.policy.ts';
import * as q from './operations.queries.ts';
import type { DisclosureSources } from '../disclosure/disclosure-sources.ts';
import { countOperation } from '../statistics/statistics.counting.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

export function operationRecord(row: OperationRow, assigned: boolean): OperationRecord {
  return {
    id: row.id,
    agencyId: row.agency_id,
    taskForceId: row.task_force_id,
    status: row.status as OperationStatus,
    assigned,
    commanderUserId: row.commander_user_id,
  };
}

/**
 * Loads an operation the actor may see, or 404 — the single door other modules (contacts, referrals,
 * custody, disclosure) use to reach an operation.
 */
export async function loadOperation(ctx: AppContext, actor: Actor, id: string, db: Queryable = ctx.db) {
  const row = await q.findVisible(db, actor, id);
  if (!row) throw notFound('operation');
  const record = operationRecord(row, await q.isAssigned(db, id, actor.userId));
  return { row, record };
}

/** Appends to an operation's timeline (the after-action report's spine). Detail never names a person. */
export async function recordEvent(db: Queryable, ctx: AppContext, op: Pick<OperationRow, 'id' | 'agency_id'>, kind: string, actorUserId: string | null, detail: Record<string, string | number | boolean | null> = {}) {
  await db
    .insertInto('operation_event')
    .values({ id: newId(), operation_id: op.id, agency_id: op.agency_id, at: ctx.clock.now().toISOString(), kind, actor_user_id: actorUserId, detail: JSON.stringify(detail) })
    .execute();
}

// ---------------------------------------------------------------------------------------------- state changes

/**
 * The 409 for a state change that lost a race: what changed since the operation was loaded — the state
 * it moved to, or a newer version of its plan.
 */
async function staleOperation(db: Queryable, row: Pick<OperationRow, 'id' | 'status' | 'version'>): Promise<AppError> {
  const now = await db.selectFrom('operation').select(['status', 'version']).where('id', '=', row.id).executeTakeFirst();
  if (!now) return notFound('operation');
  if (now.status !== row.status) return conflict(`status: the operation is now ${now.status} (it was ${row.status} when you asked); reload`, 'status');
  return conflict(`version: someone changed this operation a moment ago (version ${row.version} is now ${now.version}); reload and try again`, 'version');
}

/**
 * Every change to the operation row goes through here (DESIGN.md §3: state changes re-check their
 * precondition where they write): the update applies only if the operation is still in the status and
 * at the version the caller's checks saw, bumps the version, and holds the row until the commit.
 */
async function advanceOperation(tx: Tx, row: OperationRow, changes: Partial<OperationRow>) {
  const updated = await tx.db
    .updateTable('operation')
    .set({ ...changes, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw await staleOperation(tx.db, row);
}

/**
 * For changes beside the operation row (its conflicts, its waivers): locks the row until the commit and
 * refuses (409) if it is no longer in the status and at the version the caller's checks saw. A plan
 * changed in between may carry conflicts the caller never saw.
 */
async function holdOperation(tx: Tx, ctx: AppContext, row: OperationRow) {
  const now = await holdRow(ctx.dialect, tx.db.selectFrom('operation').select(['status', 'version']).where('id', '=', row.id), 'exclusive').executeTakeFirst();
  if (!now || now.status !== row.status || Number(now.version) !== row.version) throw await staleOperation(tx.db, row);
}

/**
 * For the field log (contacts module), inside its transaction: locks the operation row until the commit
 * and refuses (409) unless the operation is still in the status the caller's checks saw — running, for
 * recording and field edits; closed, for corrections. Closing updates the same row, so a contact either
 * commits before the close (and the close's checks and counts see it) or is refused.
 */
export async function holdOperationStatus(db: Queryable, ctx: AppContext, operationId: string, expected: OperationStatus) {
  // Shared: contacts of one operation are written side by side; only a state change waits for them.
  const now = await holdRow(ctx.dialect, db.selectFrom('operation').select('status').where('id', '=', operationId), 'shared').executeTakeFirst();
  if (!now) throw notFound('operation');
  if (now.status !== expected) throw conflict(`status: the operation is now ${now.status} (it was ${expected} when you asked); reload`, 'status');
}

// ---------------------------------------------------------------------------------------------- reading

async function conflictsFor(ctx: AppContext, op: OperationRow): Promise<ConflictDto[]> {
  const rows = await ctx.db
    .selectFrom('deconfliction_conflict')
    .selectAll()
    .where((eb) => eb.or([eb('operation_a', '=', op.id), eb('operation_b', '=', op.id)]))
    .where('status', '!=', 'cleared')
    .orderBy('detected_at', 'desc')
    .execute();
  const out: ConflictDto[] = [];
  for (const c of rows) out.push(await conflictDto(ctx, op, c));
  return out;
}

/**
 * One side's view of a conflict: what of its own plan is involved, and whom on the other side to
 * call — the other operation's agency and on-scene commander, never its plan (issue #3).
 */
async function conflictDto(ctx: AppContext, op: OperationRow, c: ConflictRow): Promise<ConflictDto> {
  const mineIsA = c.operation_a === op.id;
  const myItem = mineIsA ? c.item_a : c.item_b;
  const otherOpId = mineIsA ? c.operation_b : c.operation_a;
  // Unscoped on purpose: deconfliction is the one channel through which another task force's operation
  // is disclosed, and only its lead agency and commander contact leave this function.
  const other = await q.unsafeFindById(ctx.db, otherOpId);
  const otherAgency = other ? await ctx.db.selectFrom('agency').select('name').where('id', '=', other.agency_id).executeTakeFirst() : undefined;
  let mine: ConflictDto['mine'];
  if (c.kind === 'place') {
    const loc = await ctx.db.selectFrom('operation_location').select('label').where('id', '=', myItem).executeTakeFirst();
    mine = { type: 'location', label: loc?.label ?? '(location removed)' };
  } else {
    const sub = await ctx.db.selectFrom('operation_subject').select(['id', 'kind', 'value']).where('id', '=', myItem).executeTakeFirst();
    mine = { type: 'subject', label: sub ? `${sub.kind}: ${unseal(ctx.keyring, 'operation_subject', 'value', sub.id, sub.value)}` : '(subject removed)' };
  }
  return {
    id: c.id,
    kind: c.kind as 'place' | 'subject',
    status: c.status as ConflictDto['status'],
    detectedAt: c.detected_at,
    mine,
    other: {
      agencyName: otherAgency?.name ?? 'another agency',
      commanderName: other?.commander_name ?? '',
      commanderPhone: other ? unseal(ctx.keyring, 'operation', 'commander_phone', other.id, other.commander_phone) : '',
    },
    resolution: c.resolution,
    resolvedAt: c.resolved_at,
  };
}

export async function toOperationDto(ctx: AppContext, actor: Actor, row: OperationRow, record: OperationRecord): Promise<OperationDto> {
  const [participants, assignments, locations, subjects, taskForce, lead, contactCount] = await Promise.all([
    q.participantsOf(ctx.db, row.id),
    q.assignmentsOf(ctx.db, row.id),
    q.locationsOf(ctx.db, row.id),
    q.subjectsOf(ctx.db, row.id),
    ctx.db.selectFrom('task_force').select(['id', 'name']).where('id', '=', row.task_force_id).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('agency').select(['id', 'name']).where('id', '=', row.agency_id).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('contact').select((eb) => eb.fn.countAll<number>().as('n')).where('operation_id', '=', row.id).executeTakeFirstOrThrow(),
  ]);
  const seesPlan = can(actor, operationPolicy, 'operation.readContacts', record);
  const seesBriefing = can(actor, operationPolicy, 'operation.readBriefing', record);
  return {
    id: row.id,
    name: row.name,
    type: row.type as OperationType,
    status: row.status as OperationStatus,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    taskForce,
    leadAgency: lead,
    participants: participants.map((p) => ({ agencyId: p.agency_id, name: p.name, kind: p.kind as AgencyKind, role: p.role as ParticipantRole })),
    commander: { userId: row.commander_user_id, name: row.commander_name, phone: unseal(ctx.keyring, 'operation', 'commander_phone', row.id, row.commander_phone) },
    locations: locations.map((l) => ({ id: l.id, label: l.label, countyFips: l.county_fips, countyName: county(l.county_fips)?.name ?? null, lat: l.lat, lng: l.lng, radiusM: l.radius_m })),
    subjects: seesPlan ? subjects.map((s) => ({ id: s.id, kind: s.kind as SubjectKind, value: unseal(ctx.keyring, 'operation_subject', 'value', s.id, s.value) })) : null,
    briefing: seesBriefing ? unseal(ctx.keyring, 'operation', 'briefing', row.id, row.briefing) : null,
    briefingRestricted: !seesBriefing,
    investigationHold: row.investigation_hold === 1,
    assignments: assignments.map((a) => ({ userId: a.user_id, name: a.display_name, agencyName: a.agency_name })),
    conflicts: await conflictsFor(ctx, row),
    contacts: Number(contactCount.n),
    approvedAt: row.approved_at,
    activatedAt: row.activated_at,
    closedAt: row.closed_at,
    version: row.version,
    createdAt: row.created_at,
    abilities: abilitiesFor(actor, operationPolicy, record),
  };
}

export async function listOperations(ctx: AppContext, actor: Actor, filter: { status?: string | undefined; q?: string | undefined }) {
  const rows = await q.list(ctx.db, actor, filter);
  const canPlan = hasRole(actor, 'coordinator') && actor.taskForceIds.length > 0;
  return {
    operations: rows.map((r) => ({
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
    })),
    abilities: { 'operation.create': canPlan },
  };
}

/** Reading an operation is audited: its plan is protected investigative information. */
export async function getOperation(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const { row, record } = await loadOperation(ctx, actor, id);
  const dto = await toOperationDto(ctx, actor, row, record);
  await ctx.audit.record(who(actor, meta), { action: 'operation.read', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, detail: { briefing: !dto.briefingRestricted } });
  return dto;
}

// ---------------------------------------------------------------------------------------------- planning

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
  const members = await ctx.db
    .selectFrom('task_force_member as m')
    .innerJoin('agency as a', 'a.id', 'm.agency_id')
    .select(['a.id', 'a.kind'])
    .where('m.task_force_id', '=', taskForceId)
    .execute();
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
  const users = await ctx.db
    .selectFrom('app_user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.agency_id', 'm.role'])
    .where('u.id', 'in', ids)
    .where('u.disabled_at', 'is', null)
    .execute();
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
    await db.deleteFrom('operation_location_cell').where('operation_id', '=', op.id).execute();
    // Conflicts point at locations and subjects by id; the old ones are replaced, so their conflicts are recomputed.
    await db.deleteFrom('operation_location').where('operation_id', '=', op.id).execute();
    await db.deleteFrom('operation_subject').where('operation_id', '=', op.id).execute();
    if (parts.locations.length) await db.insertInto('operation_location').values(parts.locations).execute();
    if (parts.subjects.length) await db.insertInto('operation_subject').values(parts.subjects).execute();
    await indexLocations(db, op.id, parts.locations);
  }
  if (participants) {
    await db.deleteFrom('operation_agency').where('operation_id', '=', op.id).execute();
    await db.insertInto('operation_agency').values([...participants].map(([agency_id, role]) => ({ operation_id: op.id, agency_id, role }))).execute();
  }
  if (assignments) {
    const now = ctx.clock.now().toISOString();
    await db.deleteFrom('operation_assignment').where('operation_id', '=', op.id).execute();
    if (assignments.length) await db.insertInto('operation_assignment').values(assignments.map((a) => ({ operation_id: op.id, user_id: a.userId, agency_id: a.agencyId, assigned_at: now }))).execute();
  }
}

/**
 * Checks a saved plan against every other operation in Lantern and files what changed: new conflicts
 * (open, noticed to both leads), conflicts that no longer hold (cleared). Resolved and waived conflicts
 * that still hold keep their state.
 */
export async function deconflict(tx: Tx, ctx: AppContext, op: OperationRow): Promise<number> {
  const db = tx.db;
  const locations = await q.locationsOf(db, op.id);
  const subjects = await q.subjectsOf(db, op.id);
  const found = await findConflicts(db, op, locations, subjects);
  const existing = await db
    .selectFrom('deconfliction_conflict')
    .selectAll()
    .where((eb) => eb.or([eb('operation_a', '=', op.id), eb('operation_b', '=', op.id)]))
    .execute();
  const key = (kind: string, a: string, b: string) => `${kind}|${a}|${b}`;
  const existingByKey = new Map(existing.map((c) => [key(c.kind, c.item_a, c.item_b), c]));
  const stillHolding = new Set<string>();
  const now = ctx.clock.now().toISOString();
  let added = 0;
  const noticed = new Set<string>();
  for (const f of found) {
    const { a, b } = orderedPair(f, op.id);
    const k = key(f.kind, a.item, b.item);
    stillHolding.add(k);
    const prior = existingByKey.get(k);
    if (prior && prior.status !== 'cleared') continue;
    if (prior) {
      await db.updateTable('deconfliction_conflict').set({ status: 'open', detected_at: now, resolved_by: null, resolved_at: null, resolution: null }).where('id', '=', prior.id).execute();
    } else {
      await db
        .insertInto('deconfliction_conflict')
        .values({ id: newId(), kind: f.kind, operation_a: a.operation, item_a: a.item, operation_b: b.operation, item_b: b.item, status: 'open', detected_at: now, resolved_by: null, resolved_at: null, resolution: null })
        .execute();
    }
    added++;
    const other = await q.unsafeFindById(db, f.otherOperationId);
    if (!other) continue;
    // One notice per pair of operations and kind, to each lead agency's coordinators.
    const pairKey = `${f.kind}|${[op.id, other.id].sort().join('|')}|${now}`;
    if (noticed.has(pairKey)) continue;
    noticed.add(pairKey);
    const kindText = f.kind === 'place' ? 'overlaps in place and time with' : 'shares a subject with';
    for (const mine of [op, other]) {
      await notify(db, ctx, {
        agencyId: mine.agency_id,
        audience: { role: 'coordinator' },
        kind: 'deconfliction.conflict',
        title: `Deconfliction: “${mine.name}” may conflict with another operation`,
        body: `Your operation “${mine.name}” ${kindText} an operation of another agency. Open it to see whom to call; resolve the conflict or record an emergency waiver before it goes active.`,
        recordType: 'operation',
        recordId: mine.id,
        operationId: mine.id,
      });
    }
    tx.audit({ action: 'operation.conflictDetected', recordType: 'operation', recordId: op.id, recordAgencyId: op.agency_id, detail: { kind: f.kind, otherOperationId: other.id } });
  }
  for (const c of existing) {
    if (c.status !== 'cleared' && !stillHolding.has(key(c.kind, c.item_a, c.item_b))) {
      await db.updateTable('deconfliction_conflict').set({ status: 'cleared', resolved_at: now }).where('id', '=', c.id).execute();
    }
  }
  return added;
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
  const participants = await checkParticipants(ctx, plan.taskForceId, plan.leadAgencyId, plan.participants);
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
    await tx.db.insertInto('operation').values(row).execute();
    await writePlan(tx, ctx, row, parts, participants, assignments);
    await recordEvent(tx.db, ctx, row, 'planned', actor.userId, { type: row.type });
    tx.audit({ action: 'operation.create', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: Object.keys(input) });
    await deconflict(tx, ctx, row);
  });
  return getFresh(ctx, actor, id);
}

async function getFresh(ctx: AppContext, actor: Actor, id: string) {
  const { row, record } = await loadOperation(ctx, actor, id);
  return toOperationDto(ctx, actor, row, record);
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
    await deconflict(tx, ctx, { ...row, ...changes, version: row.version + 1 });
  });
  return getFresh(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------- states

async function transition(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta: RequestMeta,
  action: 'operation.approve' | 'operation.activate' | 'operation.close',
  check: (tx: Tx, row: OperationRow) => Promise<void>,
  to: OperationStatus,
) {
  const { row, record } = await loadOperation(ctx, actor, id);
  authorize(actor, operationPolicy, action, record);
  const now = ctx.clock.now().toISOString();
  const stamp =
    to === 'approved' ? { approved_by: actor.userId, approved_at: now } : to === 'active' ? { activated_at: now } : { closed_by: actor.userId, closed_at: now };
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    // Claim the row first: a concurrent edit, transition or contact then either committed before (and
    // the checks below see it) or waits for this commit and finds the new state.
    await advanceOperation(tx, row, { status: to, ...stamp, updated_at: now });
    await check(tx, row);
    await recordEvent(tx.db, ctx, row, to, actor.userId);
    tx.audit({ action, recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: ['status'], detail: { from: row.status, to } });
  });
  return getFresh(ctx, actor, id);
}

export function approveOperation(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return transition(ctx, actor, id, meta, 'operation.approve', async (tx, row) => {
    await deconflict(tx, ctx, row);
  }, 'approved');
}

async function openConflicts(db: Queryable, operationId: string) {
  return db
    .selectFrom('deconfliction_conflict')
    .select('id')
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('operation_a', '=', operationId), eb('operation_b', '=', operationId)]))
    .execute();
}

/** An operation cannot go active with an unresolved conflict, unless a coordinator recorded an emergency waiver. */
export function activateOperation(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return transition(ctx, actor, id, meta, 'operation.activate', async (tx, row) => {
    await deconflict(tx, ctx, row);
    const open = await openConflicts(tx.db, row.id);
    if (open.length) {
      throw new AppError('unresolved_conflicts', 409, `This operation has ${open.length} unresolved deconfliction conflict(s). Resolve them with the other agency, or record an emergency waiver.`);
    }
  }, 'active');
}

/**
 * Closes a running operation once its record is whole: every minor's custody or release decided and
 * every child in protective custody handed off (issue #3, bad input).
 */
export function closeOperation(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  return transition(ctx, actor, id, meta, 'operation.close', async (tx, row) => {
    const minors = await tx.db
      .selectFrom('contact')
      .leftJoin('custody_handoff', 'custody_handoff.contact_id', 'contact.id')
      .select(['contact.person_number', 'contact.disposition', 'custody_handoff.id as handoff_id'])
      .where('contact.operation_id', '=', row.id)
      .where('contact.role', '=', 'minor')
      .orderBy('contact.person_number')
      .execute();
    const undecided = minors.filter((m) => m.disposition !== 'protective_custody' && m.disposition !== 'released');
    if (undecided.length) {
      throw new AppError('minor_undecided', 409, `Record a custody or release decision for every minor before closing: Person ${undecided.map((m) => m.person_number).join(', Person ')}.`, 'contacts');
    }
    const noHandoff = minors.filter((m) => m.disposition === 'protective_custody' && !m.handoff_id);
    if (noHandoff.length) {
      throw new AppError('handoff_missing', 409, `Record the custody hand-off of Person ${noHandoff.map((m) => m.person_number).join(', Person ')} before closing.`, 'contacts');
    }
    // The public statistics' summary counts, in this transaction (issue #4, item 4).
    await countOperation(tx.db, ctx, row.id);
  }, 'closed');
}

// ---------------------------------------------------------------------------------------------- conflicts

/** Marks a conflict settled between the two leads (e.g. "spoke with KCPD; their warrant is at a different unit"). */
export async function resolveConflict(ctx: AppContext, actor: Actor, id: string, conflictId: string, note: string, meta: RequestMeta) {
  const { row, record } = await loadOperation(ctx, actor, id);
  authorize(actor, operationPolicy, 'operation.resolveConflict', record);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await holdOperation(tx, ctx, row);
    const c = await tx.db
      .selectFrom('deconfliction_conflict')
      .selectAll()
      .where('id', '=', conflictId)
      .where((eb) => eb.or([eb('operation_a', '=', id), eb('operation_b', '=', id)]))
      .executeTakeFirst();
    if (!c) throw notFound('conflict');
    if (c.status !== 'open') throw conflict(`status: this conflict is already ${c.status}`, 'status');
    // The other side may settle the same conflict through its own operation: only one of them wins.
    const updated = await tx.db
      .updateTable('deconfliction_conflict')
      .set({ status: 'resolved', resolved_by: actor.userId, resolved_at: now, resolution: note })
      .where('id', '=', c.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const after = await tx.db.selectFrom('deconfliction_conflict').select('status').where('id', '=', c.id).executeTakeFirst();
      throw conflict(`status: this conflict was ${after?.status ?? 'removed'} a moment ago; reload`, 'status');
    }
    await recordEvent(tx.db, ctx, row, 'conflict_resolved', actor.userId, { kind: c.kind });
    const other = await q.unsafeFindById(tx.db, c.operation_a === id ? c.operation_b : c.operation_a);
    if (other) {
      await notify(tx.db, ctx, {
        agencyId: other.agency_id,
        audience: { role: 'coordinator' },
        kind: 'deconfliction.resolved',
        title: `Deconfliction: a conflict with “${other.name}” was marked resolved`,
        body: `${actor.agencyName} marked a ${c.kind} conflict with your operation “${other.name}” as resolved.`,
        recordType: 'operation',
        recordId: other.id,
        operationId: other.id,
      });
    }
    tx.audit({ action: 'operation.resolveConflict', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: ['conflicts'], detail: { conflictId: c.id } });
  });
  return getFresh(ctx, actor, id);
}

/**
 * The emergency waiver: lets an approved operation go active despite open conflicts; both leads are told.
 * It covers exactly the conflicts open when it commits, of the plan version the coordinator saw.
 */
export async function waiveConflicts(ctx: AppContext, actor: Actor, id: string, reason: string, meta: RequestMeta) {
  const { row, record } = await loadOperation(ctx, actor, id);
  authorize(actor, operationPolicy, 'operation.waive', record);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await holdOperation(tx, ctx, row);
    const open = await tx.db
      .selectFrom('deconfliction_conflict')
      .selectAll()
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('operation_a', '=', id), eb('operation_b', '=', id)]))
      .execute();
    if (open.length === 0) throw conflict('There is no open conflict to waive.');
    const ids = open.map((c) => c.id);
    const updated = await tx.db
      .updateTable('deconfliction_conflict')
      .set({ status: 'waived', resolved_by: actor.userId, resolved_at: now, resolution: `Emergency waiver: ${reason}` })
      .where('id', 'in', ids)
      .where('status', '=', 'open')
      .executeTakeFirst();
    // The other side settled one of them meanwhile: the waiver would record a conflict it did not waive.
    if (Number(updated.numUpdatedRows) !== open.length) throw conflict('status: a conflict was settled a moment ago; reload and check what is still open', 'status');
    await tx.db
      .insertInto('operation_waiver')
      .values({ id: newId(), operation_id: id, agency_id: row.agency_id, reason, conflict_ids: JSON.stringify(ids), waived_by: actor.userId, waived_at: now })
      .execute();
    await recordEvent(tx.db, ctx, row, 'waiver', actor.userId, { conflicts: open.length });
    const others = new Set(open.map((c) => (c.operation_a === id ? c.operation_b : c.operation_a)));
    await notify(tx.db, ctx, {
      agencyId: row.agency_id,
      audience: { role: 'coordinator' },
      kind: 'deconfliction.waiver',
      title: `Emergency waiver recorded for “${row.name}”`,
      body: `${actor.displayName} waived ${open.length} deconfliction conflict(s) of “${row.name}”: ${reason}`,
      recordType: 'operation',
      recordId: id,
      operationId: id,
    });
    for (const otherId of others) {
      const other = await q.unsafeFindById(tx.db, otherId);
      if (!other) continue;
      await notify(tx.db, ctx, {
        agencyId: other.agency_id,
        audience: { role: 'coordinator' },
        kind: 'deconfliction.waiver',
        title: `Emergency waiver: an operation conflicting with “${other.name}” is going ahead`,
        body: `${actor.agencyName} recorded an emergency waiver over a conflict with your operation “${other.name}”. Call their on-scene commander (shown on your operation).`,
        recordType: 'operation',
        recordId: other.id,
        operationId: other.id,
      });
    }
    tx.audit({ action: 'operation.waive', recordType: 'operation', recordId: id, recordAgencyId: row.agency_id, changedFields: ['conflicts'], detail: { conflicts: open.length } });
  });
  return getFresh(ctx, actor, id);
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
  const waivers = await ctx.db.selectFrom('operation_waiver').select('reason').where('operation_id', '=', operationId).execute();
  out.staffText.push(...waivers.map((w) => w.reason));
  const resolutions = await ctx.db
    .selectFrom('deconfliction_conflict')
    .select('resolution')
    .where((eb) => eb.or([eb('operation_a', '=', operationId), eb('operation_b', '=', operationId)]))
    .where('resolution', 'is not', null)
    .execute();
  out.staffText.push(...resolutions.map((r) => r.resolution!));
  return out;
}
