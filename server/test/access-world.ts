import type { Expression, SqlBool } from 'kysely';
import { expect } from 'vitest';
import { AGE_BANDS, CONTACT_ROLES, OPERATION_STATUSES, REFERRAL_STATUSES, type ContactRole, type OperationStatus, type ReferralStatus } from '../../common/operations.ts';
import { ROLES, type AgencyKind, type Role } from '../../common/roles.ts';
import type { Grant } from '../auth/access.ts';
import type { Actor } from '../auth/actor.ts';
import type { Queryable } from '../db/database.ts';
import { contactAccess, listsSealedContacts } from '../modules/contacts/contacts.access.ts';
import type { ContactRecord } from '../modules/contacts/contacts.policy.ts';
import { custodyAccess } from '../modules/custody/custody.access.ts';
import type { CustodyRecord } from '../modules/custody/custody.policy.ts';
import { pressReleaseAccess, pressReleasesVisibleTo } from '../modules/disclosure/press-releases.access.ts';
import type { PressReleaseRecord } from '../modules/disclosure/press-releases.policy.ts';
import { operationAccess } from '../modules/operations/operations.access.ts';
import type { OperationRecord } from '../modules/operations/operations.policy.ts';
import { referralAccess } from '../modules/referrals/referrals.access.ts';
import { taskForceAccess, type TaskForceRecord } from '../modules/task-forces/task-forces.access.ts';
import type { ReferralRecord } from '../modules/referrals/referrals.policy.ts';
import { tipAccess, type TipRecord } from '../modules/tips/tips.access.ts';
import { TIP_STATUSES, type TipStatus } from '../../common/tips.ts';

/**
 * A world holding every kind of record the grants tell apart, in TypeScript and in a database, and the
 * check that each grant's predicate allows exactly the rows its SQL filter lists, for one actor
 * (`access.property.test.ts` on both databases; `access.test.ts` on an in-memory SQLite).
 */

// ---------------------------------------------------------------------------------------------- the world, in TypeScript

interface Agency {
  id: string;
  kind: AgencyKind;
}
export interface User {
  id: string;
  agencyId: string;
  roles: Role[];
  platformAdmin: boolean;
}
interface Op {
  id: string;
  agencyId: string;
  taskForceId: string;
  status: OperationStatus;
  commanderUserId: string | null;
}
interface Contact {
  id: string;
  operationId: string;
  agencyId: string;
  role: ContactRole;
  ageBand: string;
}
interface Handoff {
  id: string;
  contactId: string;
  operationId: string;
  agencyId: string;
  toAgencyId: string;
  received: boolean;
}
interface Referral {
  id: string;
  contactId: string;
  operationId: string;
  agencyId: string;
  toAgencyId: string;
  status: ReferralStatus;
}
interface Release {
  id: string;
  operationId: string;
  agencyId: string;
  status: 'draft' | 'published';
  textHash: string;
  approvals: { kind: 'pio' | 'coordinator'; userId: string; current: boolean }[];
}

interface Tip {
  id: string;
  agencyId: string;
  status: TipStatus;
  assignedUserId: string | null;
  /** Agencies the tip was shared with. */
  sharedWith: string[];
}

const AGENCIES: Record<string, Agency> = {
  lead: { id: 'ag-lead', kind: 'law_enforcement' },
  partner: { id: 'ag-partner', kind: 'law_enforcement' },
  advocates: { id: 'ag-advocates', kind: 'victim_services' },
  childWelfare: { id: 'ag-child-welfare', kind: 'child_welfare' },
  otherChildWelfare: { id: 'ag-other-child-welfare', kind: 'child_welfare' },
  otherAdvocates: { id: 'ag-other-advocates', kind: 'victim_services' },
  outsider: { id: 'ag-outsider', kind: 'law_enforcement' },
};
const A = Object.fromEntries(Object.entries(AGENCIES).map(([k, v]) => [k, v.id])) as Record<keyof typeof AGENCIES, string>;
const TASK_FORCES: Record<string, string[]> = {
  'tf-shared': [A.lead!, A.partner!, A.advocates!, A.childWelfare!],
  'tf-other': [A.outsider!, A.otherChildWelfare!, A.otherAdvocates!],
};
const taskForcesOf = (agencyId: string) => Object.entries(TASK_FORCES).filter(([, members]) => members.includes(agencyId)).map(([tf]) => tf);

export function buildWorld() {
  const users: User[] = [];
  for (const agency of Object.values(AGENCIES)) {
    for (const role of ROLES) users.push({ id: `u-${agency.id}-${role}`, agencyId: agency.id, roles: [role], platformAdmin: false });
    users.push({ id: `u-${agency.id}-pio-coordinator`, agencyId: agency.id, roles: ['pio', 'coordinator'], platformAdmin: false });
  }
  users.push({ id: 'u-platform', agencyId: A.lead!, roles: ['admin'], platformAdmin: true });

  const ops: Op[] = [];
  const owners: [string, string][] = [
    [A.lead!, 'tf-shared'],
    [A.partner!, 'tf-shared'],
    [A.outsider!, 'tf-other'],
    [A.lead!, 'tf-other'],
  ];
  let n = 0;
  for (const [agencyId, taskForceId] of owners) {
    for (const status of OPERATION_STATUSES) {
      const commanders = [null, `u-${agencyId}-officer`, `u-${A.partner}-officer`];
      ops.push({ id: `op-${n}`, agencyId, taskForceId, status, commanderUserId: commanders[n % commanders.length]! });
      n++;
    }
  }

  // Assignments: a user of a police-like role to some operations, so that every actor has both kinds.
  const assignments = new Set<string>();
  users.forEach((u, i) =>
    ops.forEach((op, j) => {
      if ((i * 5 + j * 3) % 4 === 0 || op.commanderUserId === u.id) assignments.add(`${op.id}|${u.id}`);
    }),
  );

  const contacts: Contact[] = [];
  const bands = AGE_BANDS.filter((_b, i) => i % 2 === 0 || i === 3 || i === 4);
  for (const op of ops) {
    for (const role of CONTACT_ROLES) {
      for (const ageBand of bands) contacts.push({ id: `c-${contacts.length}`, operationId: op.id, agencyId: op.agencyId, role, ageBand });
    }
  }

  const handoffs: Handoff[] = [];
  const referrals: Referral[] = [];
  contacts.forEach((c, i) => {
    if (c.role === 'minor' && i % 3 !== 0) {
      const toAgencyId = i % 2 ? A.childWelfare! : A.otherChildWelfare!;
      handoffs.push({ id: `h-${handoffs.length}`, contactId: c.id, operationId: c.operationId, agencyId: c.agencyId, toAgencyId, received: i % 4 < 2 });
    }
    if (c.role === 'adult_victim') {
      const toAgencyId = i % 3 ? A.advocates! : A.otherAdvocates!;
      referrals.push({ id: `r-${referrals.length}`, contactId: c.id, operationId: c.operationId, agencyId: c.agencyId, toAgencyId, status: REFERRAL_STATUSES[i % REFERRAL_STATUSES.length]! });
    }
  });

  const releases: Release[] = [];
  const pio = (agency: string) => `u-${agency}-pio`;
  const coordinator = (agency: string) => `u-${agency}-coordinator`;
  const both = (agency: string) => `u-${agency}-pio-coordinator`;
  for (const op of ops) {
    const variants: Release['approvals'][] = [
      [],
      [{ kind: 'pio', userId: pio(A.partner!), current: true }],
      [{ kind: 'coordinator', userId: coordinator(op.agencyId), current: true }],
      [
        { kind: 'pio', userId: pio(A.lead!), current: true },
        { kind: 'coordinator', userId: coordinator(op.agencyId), current: true },
      ],
      [{ kind: 'pio', userId: both(op.agencyId), current: true }],
      [{ kind: 'coordinator', userId: both(op.agencyId), current: true }],
      [
        { kind: 'pio', userId: pio(A.partner!), current: false },
        { kind: 'coordinator', userId: both(op.agencyId), current: false },
      ],
    ];
    variants.forEach((approvals, v) => {
      const status = v === 3 && op.status === 'closed' ? 'published' : 'draft';
      releases.push({ id: `pr-${releases.length}`, operationId: op.id, agencyId: op.agencyId, status, textHash: `hash-${releases.length}`, approvals });
    });
  }
  // Tips: in the queue of a police agency of each task force, in every state, assigned to no one, to one
  // of the agency's officers or to someone of another agency (a stale assignment after a reroute), shared
  // with nobody, with a partner of the task force, or with an agency that is not in it.
  const tips: Tip[] = [];
  const assignees = (agencyId: string) => [null, `u-${agencyId}-officer`, `u-${agencyId}-analyst`, `u-${A.partner}-officer`];
  const shares = [[], [A.partner!], [A.advocates!, A.outsider!], [A.lead!]];
  for (const agencyId of [A.lead!, A.partner!, A.outsider!]) {
    for (const status of TIP_STATUSES) {
      assignees(agencyId).forEach((assignedUserId, i) => {
        const sharedWith = shares[(tips.length + i) % shares.length]!.filter((a) => a !== agencyId);
        tips.push({ id: `tip-${tips.length}`, agencyId, status, assignedUserId, sharedWith });
      });
    }
  }
  return { users, ops, assignments, contacts, handoffs, referrals, releases, tips };
}

export type World = ReturnType<typeof buildWorld>;

export async function insertWorld(db: Queryable, w: World) {
  const now = '2026-01-01T00:00:00.000Z';
  await db
    .insertInto('agency')
    .values(Object.values(AGENCIES).map((a) => ({ id: a.id, name: a.id, short_name: null, kind: a.kind, ori: null, counties: '[]', created_at: now, updated_at: now })))
    .execute();
  for (const [tf, members] of Object.entries(TASK_FORCES)) {
    await db.insertInto('task_force').values({ id: tf, agency_id: members[0]!, name: tf, description: null, created_at: now, updated_at: now }).execute();
    await db
      .insertInto('task_force_member')
      .values(members.map((agency_id) => ({ task_force_id: tf, agency_id, joined_at: now })))
      .execute();
  }
  await db
    .insertInto('app_user')
    .values(
      w.users.map((u) => ({
        id: u.id,
        agency_id: u.agencyId,
        email: `${u.id}@example.test`,
        display_name: u.id,
        phone: null,
        password_hash: 'not-a-hash',
        must_change_password: 0,
        password_changed_at: now,
        totp_secret: null,
        totp_pending_secret: null,
        totp_enrolled_at: null,
        totp_last_step: null,
        is_platform_admin: u.platformAdmin ? 1 : 0,
        disabled_at: null,
        enabled_at: null,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto('operation')
    .values(
      w.ops.map((o) => ({
        id: o.id,
        agency_id: o.agencyId,
        task_force_id: o.taskForceId,
        name: o.id,
        type: 'buyer_sting',
        status: o.status,
        starts_at: now,
        ends_at: now,
        commander_user_id: o.commanderUserId,
        commander_name: 'Commander',
        commander_phone: 'sealed',
        briefing: null,
        investigation_hold: 0,
        created_by: 'u-platform',
        approved_by: null,
        approved_at: null,
        activated_at: null,
        closed_by: null,
        closed_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const userAgency = new Map(w.users.map((u) => [u.id, u.agencyId]));
  const assignments = [...w.assignments].map((key) => {
    const [operation_id, user_id] = key.split('|') as [string, string];
    return { operation_id, user_id, agency_id: userAgency.get(user_id)!, assigned_at: now };
  });
  for (let i = 0; i < assignments.length; i += 200) await db.insertInto('operation_assignment').values(assignments.slice(i, i + 200)).execute();
  const contactRows = w.contacts.map((c, i) => ({
    id: c.id,
    operation_id: c.operationId,
    agency_id: c.agencyId,
    person_number: i + 1,
    client_ref: null,
    role: c.role,
    suspect_type: null,
    sex: 'unknown',
    age_band: c.ageBand,
    estimated_age: null,
    disposition: null,
    charges: null,
    name: null,
    aliases: null,
    dob: null,
    phones: null,
    screening_tool: null,
    screening_result: null,
    recorded_by: 'u-platform',
    recorded_by_agency_id: c.agencyId,
    recorded_at: now,
    updated_at: now,
    version: 1,
  }));
  for (let i = 0; i < contactRows.length; i += 100) await db.insertInto('contact').values(contactRows.slice(i, i + 100)).execute();
  await db
    .insertInto('custody_handoff')
    .values(
      w.handoffs.map((h) => ({
        id: h.id,
        contact_id: h.contactId,
        operation_id: h.operationId,
        agency_id: h.agencyId,
        to_agency_id: h.toAgencyId,
        taken_at: now,
        officer_user_id: 'u-platform',
        reason: 'other',
        reason_detail: null,
        juvenile_officer_notified_at: null,
        childrens_division_notified_at: null,
        statement_due_at: now,
        statement_filed_at: null,
        receipt_caseworker_name: null,
        receipt_at: h.received ? now : null,
        placement_type: h.received ? 'foster_home' : null,
        received_by: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto('referral')
    .values(
      w.referrals.map((r) => ({
        id: r.id,
        contact_id: r.contactId,
        operation_id: r.operationId,
        agency_id: r.agencyId,
        to_agency_id: r.toAgencyId,
        first_name: 'sealed',
        language: 'en',
        services: '[]',
        safe_contact: 'sealed',
        part2: 0,
        status: r.status,
        sent_by: 'u-platform',
        sent_at: now,
        responded_by: null,
        responded_at: null,
        advocate_notes: null,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto('press_release')
    .values(
      w.releases.map((r) => ({
        id: r.id,
        operation_id: r.operationId,
        agency_id: r.agencyId,
        slug: r.status === 'published' ? r.id : null,
        status: r.status,
        title_en: 't',
        body_en: 'b',
        title_es: 't',
        body_es: 'b',
        quote_en: null,
        quote_es: null,
        quote_by: null,
        text_hash: r.textHash,
        created_by: 'u-platform',
        created_at: now,
        updated_at: now,
        published_at: null,
        published_by: null,
        version: 1,
      })),
    )
    .execute();
  const approvals = w.releases.flatMap((r) =>
    r.approvals.map((a) => ({ release_id: r.id, kind: a.kind, user_id: a.userId, text_hash: a.current ? r.textHash : 'an-older-text', approved_at: now })),
  );
  await db.insertInto('press_release_approval').values(approvals).execute();
  await db
    .insertInto('tip')
    .values(
      w.tips.map((t) => ({
        id: t.id,
        agency_id: t.agencyId,
        task_force_id: null,
        source: 'web',
        status: t.status,
        version: 1,
        urgent: 0,
        minor_involved: 0,
        immediate_danger: 0,
        language: 'en',
        zip: null,
        county_fips: null,
        score: 0,
        score_reasons: '[]',
        routing: '{}',
        narrative: 'sealed',
        details: 'sealed',
        contact: null,
        receipt_hash: null,
        external_ref: null,
        assigned_user_id: t.assignedUserId,
        close_reason: null,
        closed_at: null,
        received_at: now,
        created_by: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const tipShares = w.tips.flatMap((t) => t.sharedWith.map((agency_id) => ({ tip_id: t.id, agency_id, shared_by: 'u-platform', shared_at: now, reason: 'r' })));
  if (tipShares.length) await db.insertInto('tip_share').values(tipShares).execute();
}

// ---------------------------------------------------------------------------------------------- records, as a service would load them

function records(w: World, actor: Actor) {
  const assigned = (opId: string) => w.assignments.has(`${opId}|${actor.userId}`);
  const opById = new Map(w.ops.map((o) => [o.id, o]));
  const opRecord = (o: Op): OperationRecord => ({ id: o.id, agencyId: o.agencyId, taskForceId: o.taskForceId, status: o.status, assigned: assigned(o.id), commanderUserId: o.commanderUserId });
  const receivedBy = new Map<string, string[]>();
  for (const h of w.handoffs) receivedBy.set(h.contactId, [...(receivedBy.get(h.contactId) ?? []), h.toAgencyId]);
  return {
    operations: w.ops.map((o) => [o.id, opRecord(o)] as const),
    contacts: w.contacts.map(
      (c) =>
        [c.id, { id: c.id, agencyId: c.agencyId, role: c.role, ageBand: c.ageBand, operation: opRecord(opById.get(c.operationId)!), receivingAgencyIds: receivedBy.get(c.id) ?? [] } satisfies ContactRecord] as const,
    ),
    custody: w.handoffs.map((h) => [h.id, { id: h.id, agencyId: h.agencyId, toAgencyId: h.toAgencyId, assigned: assigned(h.operationId), received: h.received } satisfies CustodyRecord] as const),
    referrals: w.referrals.map((r) => [r.id, { id: r.id, agencyId: r.agencyId, toAgencyId: r.toAgencyId, status: r.status, assigned: assigned(r.operationId) } satisfies ReferralRecord] as const),
    tips: w.tips.map(
      (t) =>
        [t.id, { id: t.id, agencyId: t.agencyId, status: t.status, assignedUserId: t.assignedUserId, sharedWithActor: t.sharedWith.includes(actor.agencyId) } satisfies TipRecord] as const,
    ),
    releases: w.releases.map((r) => {
      const current = (kind: 'pio' | 'coordinator') => r.approvals.find((a) => a.kind === kind && a.current)?.userId ?? null;
      const record: PressReleaseRecord = { agencyId: r.agencyId, taskForceId: opById.get(r.operationId)!.taskForceId, status: r.status, approvedBy: { pio: current('pio'), coordinator: current('coordinator') } };
      return [r.id, record, opRecord(opById.get(r.operationId)!)] as const;
    }),
  };
}

// ---------------------------------------------------------------------------------------------- the check

export function actorOf(u: User, overrides: Partial<Pick<Actor, 'roles' | 'platformAdmin'>> = {}): Actor {
  return {
    userId: u.id,
    email: `${u.id}@example.test`,
    displayName: u.id,
    agencyId: u.agencyId,
    agencyName: u.agencyId,
    agencyKind: 'law_enforcement',
    roles: new Set(u.roles),
    platformAdmin: u.platformAdmin,
    taskForceIds: taskForcesOf(u.agencyId),
    sessionId: 'property',
    mustChangePassword: false,
    ...overrides,
  };
}

type Ids = (where: Expression<SqlBool>) => Promise<string[]>;

/** Every grant of every module, with the query that lists its table's rows and the records to ask. */
function checks(db: Queryable, w: World, actor: Actor) {
  const r = records(w, actor);
  const ids =
    (list: (where: Expression<SqlBool>) => Promise<{ id: string }[]>): Ids =>
    async (where) =>
      (await list(where)).map((row) => row.id).sort();
  const operationIds = ids((where) => db.selectFrom('operation').select('operation.id as id').where(where).execute());
  const contactIds = ids((where) => db.selectFrom('contact as c').innerJoin('operation as o', 'o.id', 'c.operation_id').select('c.id as id').where(where).execute());
  const custodyIds = ids((where) => db.selectFrom('custody_handoff as h').select('h.id as id').where(where).execute());
  const referralIds = ids((where) => db.selectFrom('referral as r').select('r.id as id').where(where).execute());
  const releaseIds = ids((where) => db.selectFrom('press_release as r').innerJoin('operation', 'operation.id', 'r.operation_id').select('r.id as id').where(where).execute());

  const out: { name: string; sql: () => Promise<string[]>; expected: string[] }[] = [];
  const each = <R>(module: string, grants: Partial<Record<string, Grant<R>>>, rows: readonly (readonly [string, R, ...unknown[]])[], list: Ids) => {
    for (const [action, g] of Object.entries(grants) as [string, Grant<R>][]) {
      out.push({ name: `${module} ${action}`, sql: () => list(g.where(actor)), expected: rows.filter(([, rec]) => g.allows(actor, rec)).map(([id]) => id).sort() });
    }
  };
  each('operations', operationAccess.grants, r.operations, operationIds);
  each('operations', { listsSealedContacts }, r.operations, operationIds);
  each('contacts', contactAccess.grants, r.contacts, contactIds);
  each('custody', custodyAccess.grants, r.custody, custodyIds);
  each('custody', { ownerAssigned: custodyAccess.ownerAssigned, receivingCaseworker: custodyAccess.receivingCaseworker }, r.custody, custodyIds);
  each('referrals', referralAccess.grants, r.referrals, referralIds);
  each('referrals', { receivingAdvocate: referralAccess.receivingAdvocate }, r.referrals, referralIds);
  each('press releases', pressReleaseAccess.grants, r.releases, releaseIds);
  const tipIds = ids((where) => db.selectFrom('tip as t').select('t.id as id').where(where).execute());
  each('tips', tipAccess.grants, r.tips, tipIds);
  each('tips', { queueStaff: tipAccess.queueStaff }, r.tips, tipIds);
  const taskForceIds = ids((where) => db.selectFrom('task_force_member as m').select('m.task_force_id as id').distinct().where(where).execute());
  const taskForces = Object.keys(TASK_FORCES).map((id) => [id, { id } satisfies TaskForceRecord] as const);
  each('task forces', taskForceAccess.grants, taskForces, taskForceIds);
  out.push({
    name: 'press releases: the list (operation.read and pressRelease.read)',
    sql: () => releaseIds(pressReleasesVisibleTo(actor)),
    expected: r.releases
      .filter(([, rec, op]) => operationAccess.grants['operation.read'].allows(actor, op) && pressReleaseAccess.grants['pressRelease.read'].allows(actor, rec))
      .map(([id]) => id)
      .sort(),
  });
  return out;
}

export async function agree(db: Queryable, w: World, actor: Actor) {
  for (const c of checks(db, w, actor)) {
    const got = await c.sql();
    expect(got, `${c.name} for ${actor.userId} ${[...actor.roles].join('+')}${actor.platformAdmin ? ' (platform)' : ''}`).toEqual(c.expected);
  }
}

