import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { auditActor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import type { AgencyRow } from '../../db/schema/index.ts';
import { conflict, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { AgencyDto, CreateAgencyInput, UpdateAgencyInput } from '../../../common/schemas/directory.ts';
import { ROLE_AGENCY_KINDS, type AgencyKind } from '../../../common/roles.ts';
import { countiesOfState } from '../../../common/schemas/jurisdiction.ts';
import { agencyPolicy } from './agencies.policy.ts';
import * as q from './agencies.queries.ts';

export function toAgencyDto(row: AgencyRow, actor?: Actor): AgencyDto {
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    kind: row.kind as AgencyKind,
    ori: row.ori,
    counties: JSON.parse(row.counties) as string[],
    createdAt: row.created_at,
    ...(actor ? { abilities: abilitiesFor(actor, agencyPolicy, row) } : {}),
  };
}

export async function listAgencies(ctx: AppContext, actor: Actor) {
  const rows = await q.list(ctx.db, actor);
  return { agencies: rows.map((r) => toAgencyDto(r, actor)), abilities: abilitiesFor(actor, agencyPolicy, null) };
}

export async function getAgency(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('agency');
  return toAgencyDto(row, actor);
}

/**
 * An agency by id, unscoped: for other modules that have already authorized what they do with it
 * (a user's or a task force's agency), so they need not read this module's tables themselves.
 */
export const unsafeAgencyById = (db: Queryable, id: string) => q.unsafeFindById(db, id);

async function checkUnique(ctx: AppContext, input: { name?: string; ori?: string | null }, selfId?: string) {
  if (input.name) {
    const same = await q.findByName(ctx.db, input.name);
    if (same && same.id !== selfId) throw conflict('name: an agency with this name already exists', 'name');
  }
  if (input.ori) {
    const same = await q.findByOri(ctx.db, input.ori);
    if (same && same.id !== selfId) throw conflict('ori: another agency already has this ORI', 'ori');
  }
}

/**
 * An agency's kind decides which roles its people may hold (an advocate only in victim services), so
 * only the platform administrator may change it, and only to a kind every role already held fits:
 * otherwise a police agency's administrator could turn it into "victim services" and hand out advocate
 * accounts.
 */
async function checkKindChange(ctx: AppContext, actor: Actor, row: AgencyRow, kind: AgencyKind) {
  if (!actor.platformAdmin) throw forbidden("kind: only the platform administrator can change an agency's kind");
  const misfits = (await q.rolesHeldIn(ctx.db, row.id)).filter((role) => !ROLE_AGENCY_KINDS[role].includes(kind));
  if (misfits.length) {
    throw conflict(`kind: people of this agency hold roles a ${kind.replace('_', ' ')} agency cannot have (${misfits.join(', ')})`, 'kind');
  }
}

/** Counties served are the jurisdiction's (LANTERN_STATE): tips are routed by them. */
function checkCounties(ctx: AppContext, counties: string[]) {
  const parsed = countiesOfState(ctx.jurisdiction).safeParse(counties);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(['counties', ...issue.path].join('.'), `${String(counties[Number(issue.path[0])] ?? '')} ${issue.message}`.trim());
  }
}

/** Adds an agency to the directory (platform administrators only). */
export async function createAgency(ctx: AppContext, actor: Actor, input: CreateAgencyInput, meta: RequestMeta) {
  authorize(actor, agencyPolicy, 'agency.create', null);
  checkCounties(ctx, input.counties);
  await checkUnique(ctx, input);
  const now = ctx.clock.now().toISOString();
  const row: AgencyRow = {
    id: newId(),
    name: input.name,
    short_name: input.shortName || null,
    kind: input.kind,
    ori: input.ori ?? null,
    counties: JSON.stringify([...new Set(input.counties)]),
    created_at: now,
    updated_at: now,
  };
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await q.insert(tx.db, row);
    tx.audit({ action: 'agency.create', recordType: 'agency', recordId: row.id, recordAgencyId: row.id, changedFields: Object.keys(input) });
  });
  return toAgencyDto(row, actor);
}

export async function updateAgency(ctx: AppContext, actor: Actor, id: string, input: UpdateAgencyInput, meta: RequestMeta) {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('agency');
  authorize(actor, agencyPolicy, 'agency.update', row);
  if (input.kind !== undefined && input.kind !== row.kind) await checkKindChange(ctx, actor, row, input.kind);
  if (input.counties !== undefined) checkCounties(ctx, input.counties);
  await checkUnique(ctx, input, id);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.shortName !== undefined ? { short_name: input.shortName || null } : {}),
    ...(input.kind !== undefined ? { kind: input.kind } : {}),
    ...(input.ori !== undefined ? { ori: input.ori } : {}),
    ...(input.counties !== undefined ? { counties: JSON.stringify([...new Set(input.counties)]) } : {}),
    updated_at: ctx.clock.now().toISOString(),
  };
  await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    await q.update(tx.db, id, changes);
    tx.audit({ action: 'agency.update', recordType: 'agency', recordId: id, recordAgencyId: id, changedFields: Object.keys(input) });
  });
  return toAgencyDto({ ...row, ...changes }, actor);
}
