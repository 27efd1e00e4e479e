import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { TaskForceRow } from '../../db/schema/index.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { AgencyKind } from '../../../common/roles.ts';
import type { CreateTaskForceInput, TaskForceContactsDto, TaskForceDto } from '../../../common/schemas/directory.ts';
import { unseal } from '../../lib/sealed.ts';
import { unsafeAgencyById } from '../agencies/agencies.service.ts';
import { taskForcePolicy } from './task-forces.policy.ts';
import * as q from './task-forces.queries.ts';

type MemberRow = Awaited<ReturnType<typeof q.membersOf>>[number];

function toDto(row: TaskForceRow, members: MemberRow[], actor: Actor): TaskForceDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    leadAgencyId: row.agency_id,
    members: members
      .filter((m) => m.task_force_id === row.id)
      .map((m) => ({ agencyId: m.agency_id, name: m.name, kind: m.kind as AgencyKind, joinedAt: m.joined_at })),
    createdAt: row.created_at,
    abilities: abilitiesFor(actor, taskForcePolicy, row),
  };
}

export async function listTaskForces(ctx: AppContext, actor: Actor) {
  const rows = await q.list(ctx.db, actor);
  const members = await q.membersOf(ctx.db, rows.map((r) => r.id));
  return { taskForces: rows.map((r) => toDto(r, members, actor)), abilities: abilitiesFor(actor, taskForcePolicy, null) };
}

async function loadVisible(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('task force');
  return row;
}

export async function getTaskForce(ctx: AppContext, actor: Actor, id: string) {
  const row = await loadVisible(ctx, actor, id);
  return toDto(row, await q.membersOf(ctx.db, [id]), actor);
}

async function requireAgency(ctx: AppContext, agencyId: string, field: string) {
  const agency = await unsafeAgencyById(ctx.db, agencyId);
  if (!agency) throw invalid(field, 'no agency has this id');
  return agency;
}

/** Forms a task force around a lead agency; the lead is always a member. */
export async function createTaskForce(ctx: AppContext, actor: Actor, input: CreateTaskForceInput, meta: RequestMeta) {
  authorize(actor, taskForcePolicy, 'taskForce.create', null);
  if (await q.findByName(ctx.db, input.name)) throw conflict('name: a task force with this name already exists', 'name');
  await requireAgency(ctx, input.leadAgencyId, 'leadAgencyId');
  const memberIds = [...new Set([input.leadAgencyId, ...input.memberAgencyIds])];
  for (const [i, agencyId] of memberIds.entries()) await requireAgency(ctx, agencyId, i === 0 ? 'leadAgencyId' : 'memberAgencyIds');
  const now = ctx.clock.now().toISOString();
  const row: TaskForceRow = {
    id: newId(),
    agency_id: input.leadAgencyId,
    name: input.name,
    description: input.description || null,
    created_at: now,
    updated_at: now,
  };
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db.insertInto('task_force').values(row).execute();
    await tx.db
      .insertInto('task_force_member')
      .values(memberIds.map((agencyId) => ({ task_force_id: row.id, agency_id: agencyId, joined_at: now })))
      .execute();
    tx.audit({ action: 'taskForce.create', recordType: 'task_force', recordId: row.id, recordAgencyId: row.agency_id, changedFields: ['name', 'description', 'leadAgencyId', 'members'], detail: { members: memberIds.length } });
  });
  return getTaskForce(ctx, { ...actor, taskForceIds: [...actor.taskForceIds, row.id] }, row.id);
}

export async function updateTaskForce(ctx: AppContext, actor: Actor, id: string, input: { name?: string; description?: string }, meta: RequestMeta) {
  const row = await loadVisible(ctx, actor, id);
  authorize(actor, taskForcePolicy, 'taskForce.update', row);
  if (input.name) {
    const same = await q.findByName(ctx.db, input.name);
    if (same && same.id !== id) throw conflict('name: a task force with this name already exists', 'name');
  }
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db
      .updateTable('task_force')
      .set({ ...(input.name ? { name: input.name } : {}), ...(input.description !== undefined ? { description: input.description || null } : {}), updated_at: now })
      .where('id', '=', id)
      .execute();
    tx.audit({ action: 'taskForce.update', recordType: 'task_force', recordId: id, recordAgencyId: row.agency_id, changedFields: Object.keys(input) });
  });
  return getTaskForce(ctx, actor, id);
}

/** Invites a partner agency: its staff then see the task force's work, by role. */
export async function addAgency(ctx: AppContext, actor: Actor, id: string, agencyId: string, meta: RequestMeta) {
  const row = await loadVisible(ctx, actor, id);
  authorize(actor, taskForcePolicy, 'taskForce.addAgency', row);
  await requireAgency(ctx, agencyId, 'agencyId');
  if (await q.isMember(ctx.db, id, agencyId)) throw conflict('agencyId: this agency is already a member', 'agencyId');
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db.insertInto('task_force_member').values({ task_force_id: id, agency_id: agencyId, joined_at: ctx.clock.now().toISOString() }).execute();
    tx.audit({ action: 'taskForce.addAgency', recordType: 'task_force', recordId: id, recordAgencyId: row.agency_id, changedFields: ['members'], detail: { agencyId } });
  });
  return getTaskForce(ctx, actor, id);
}

/** Releases a partner agency; the lead agency cannot leave its own task force. */
export async function removeAgency(ctx: AppContext, actor: Actor, id: string, agencyId: string, meta: RequestMeta) {
  const row = await loadVisible(ctx, actor, id);
  authorize(actor, taskForcePolicy, 'taskForce.removeAgency', row);
  if (agencyId === row.agency_id) throw conflict('agencyId: the lead agency cannot leave its own task force', 'agencyId');
  if (!(await q.isMember(ctx.db, id, agencyId))) throw notFound('member agency');
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await tx.db.deleteFrom('task_force_member').where('task_force_id', '=', id).where('agency_id', '=', agencyId).execute();
    tx.audit({ action: 'taskForce.removeAgency', recordType: 'task_force', recordId: id, recordAgencyId: row.agency_id, changedFields: ['members'], detail: { agencyId } });
  });
  return getTaskForce(ctx, actor, id);
}

/**
 * The member agencies' coordinators with their work phones, for partners planning together. Members of
 * the task force only: a task force the actor cannot see is a 404; one they see without being a member
 * (the platform administrator) is a 403.
 */
export async function listTaskForceContacts(ctx: AppContext, actor: Actor, id: string): Promise<TaskForceContactsDto> {
  const row = await loadVisible(ctx, actor, id);
  authorize(actor, taskForcePolicy, 'taskForce.readContacts', row);
  const rows = await q.coordinatorsOf(ctx.db, actor, id);
  const agencies = new Map<string, TaskForceContactsDto['agencies'][number]>();
  for (const r of rows) {
    let agency = agencies.get(r.agency_id);
    if (!agency) agencies.set(r.agency_id, (agency = { agencyId: r.agency_id, name: r.agency_name, kind: r.agency_kind as AgencyKind, contacts: [] }));
    if (r.user_id && r.display_name && r.email) {
      agency.contacts.push({ userId: r.user_id, name: r.display_name, email: r.email, phone: unseal(ctx.keyring, 'app_user', 'phone', r.user_id, r.phone ?? null) });
    }
  }
  return { taskForceId: id, agencies: [...agencies.values()] };
}
