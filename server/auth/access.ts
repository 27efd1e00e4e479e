import { sql, type Expression, type SqlBool } from 'kysely';
import { MINOR_AGE_BANDS } from '../../common/operations.ts';
import type { Action } from '../../common/actions.ts';
import type { Role } from '../../common/roles.ts';
import { hasRole, type Actor } from './actor.ts';
import type { Policy } from './policy.ts';
import { columnIn, columnIs } from './scope.ts';

/**
 * The access layer: every grant declared once, in two forms side by side (STYLE.md, "One grant, two
 * forms") — `allows`, a predicate on a loaded record (may this actor do this to this row?), and `where`,
 * the Kysely condition that lists the same rows (which rows may this actor see?). Policies, scoped list
 * queries and `abilities` are all built from these pairs, and `access.property.test.ts` checks on both
 * databases that each pair agrees with itself.
 *
 * A grant is generic in the record it reads: each module's access file instantiates the shared pieces
 * below with a lens into its record and the column of its query that holds the same fact.
 */
export interface Grant<R> {
  /** Does the grant cover this loaded record, for this actor? */
  readonly allows: (actor: Actor, record: R) => boolean;
  /** The rows the grant covers for this actor, as a condition over the query's columns. */
  readonly where: (actor: Actor) => Expression<SqlBool>;
}

/** The conditions that need no SQL: kept as these two objects so that combinators can fold them away. */
const ALWAYS: Expression<SqlBool> = sql<SqlBool>`1 = 1`;
const NEVER: Expression<SqlBool> = sql<SqlBool>`1 = 0`;

export const grant = <R>(allows: Grant<R>['allows'], where: Grant<R>['where']): Grant<R> => ({ allows, where });

/** All of the grants (an empty list grants everything, as `every` does). */
export function allOf<R>(...grants: Grant<R>[]): Grant<R> {
  return {
    allows: (actor, record) => grants.every((g) => g.allows(actor, record)),
    where: (actor) => {
      const parts = grants.map((g) => g.where(actor));
      if (parts.includes(NEVER)) return NEVER;
      const left = parts.filter((p) => p !== ALWAYS);
      if (left.length === 0) return ALWAYS;
      return left.length === 1 ? left[0]! : sql<SqlBool>`(${sql.join(left, sql` and `)})`;
    },
  };
}

/** Any of the grants (an empty list grants nothing: deny unless granted). */
export function anyOf<R>(...grants: Grant<R>[]): Grant<R> {
  return {
    allows: (actor, record) => grants.some((g) => g.allows(actor, record)),
    where: (actor) => {
      const parts = grants.map((g) => g.where(actor));
      if (parts.includes(ALWAYS)) return ALWAYS;
      const left = parts.filter((p) => p !== NEVER);
      if (left.length === 0) return NEVER;
      return left.length === 1 ? left[0]! : sql<SqlBool>`(${sql.join(left, sql` or `)})`;
    },
  };
}

/**
 * The rows a grant does not cover. Its SQL is `not (…)`, which is true of a row only when the condition
 * is false, not unknown: use it only over conditions on columns that are never null.
 */
export function not<R>(g: Grant<R>): Grant<R> {
  return {
    allows: (actor, record) => !g.allows(actor, record),
    where: (actor) => {
      const w = g.where(actor);
      if (w === ALWAYS) return NEVER;
      if (w === NEVER) return ALWAYS;
      return sql<SqlBool>`not ${w}`;
    },
  };
}

/** A condition on the actor alone (a role, the platform flag): every row, or none. */
export const actorIs = (test: (actor: Actor) => boolean): Grant<unknown> => ({
  allows: (actor) => test(actor),
  where: (actor) => (test(actor) ? ALWAYS : NEVER),
});

export const hasAnyRole = (...roles: Role[]) => actorIs((actor) => hasRole(actor, ...roles));
export const platformAdmin = actorIs((actor) => actor.platformAdmin);

/** A field of the record holds one of `values` (a status, say). The column must not be null. */
export const fieldIn = <R>(of: (r: R) => string, column: string, values: readonly string[]): Grant<R> => ({
  allows: (_actor, r) => values.includes(of(r)),
  where: () => columnIn(column, values),
});

/** The record names the actor (an on-scene commander, say). A null column names no one. */
export const namesActor = <R>(of: (r: R) => string | null, column: string): Grant<R> => ({
  allows: (actor, r) => of(r) === actor.userId,
  where: (actor) => columnIs(column, actor.userId),
});

// ---------------------------------------------------------------------------------------------- shared grants

/**
 * The one subquery for "is the actor assigned to this operation?" (DESIGN.md §3: officers see the
 * operations they are assigned to). Services select it to fill the `assigned` of a record, so the
 * predicate and the filter read the same fact.
 */
export const assignmentSql = (actor: Actor, operationColumn: string): Expression<SqlBool> =>
  sql<SqlBool>`exists (select 1 from operation_assignment oa where oa.operation_id = ${sql.ref(operationColumn)} and oa.user_id = ${actor.userId})`;

/** The same, as a 1/0 column for a select list. */
export const assignmentFlag = (actor: Actor, operationColumn: string) => sql<number>`case when ${assignmentSql(actor, operationColumn)} then 1 else 0 end`;

/** The actor is assigned to the record's operation. `assigned` is the record's copy of that fact. */
export const assignedToOperation = <R>(assigned: (r: R) => boolean, operationColumn: string): Grant<R> => ({
  allows: (_actor, r) => assigned(r),
  where: (actor) => assignmentSql(actor, operationColumn),
});

/** The record belongs to (or is addressed to) the actor's own agency. */
export const ownAgency = <R>(agencyOf: (r: R) => string, column: string): Grant<R> => ({
  allows: (actor, r) => agencyOf(r) === actor.agencyId,
  where: (actor) => columnIs(column, actor.agencyId),
});

/** The record is in one of the task forces the actor's agency belongs to: partner agencies' records. */
export const inActorsTaskForces = <R>(taskForceOf: (r: R) => string, column: string): Grant<R> => ({
  allows: (actor, r) => actor.taskForceIds.includes(taskForceOf(r)),
  where: (actor) => columnIn(column, actor.taskForceIds),
});

/** Roles that see a task force's operations by membership alone (DESIGN.md §3). Officers need an assignment. */
export const TASK_FORCE_READERS = ['coordinator', 'analyst', 'pio'] as const satisfies readonly Role[];

/** A task-force reader: a coordinator, analyst or PIO of a member agency of the record's task force. */
export const taskForceReader = <R>(inTaskForce: Grant<R>): Grant<R> => allOf<R>(hasAnyRole(...TASK_FORCE_READERS), inTaskForce);

/**
 * Person-level records of an operation (DESIGN.md §3, issue #3): its assigned users, and the owning
 * (lead) agency's coordinators and analysts.
 */
export const personReader = <R>(assigned: Grant<R>, owner: Grant<R>): Grant<R> =>
  anyOf<R>(assigned, allOf<R>(hasAnyRole('coordinator', 'analyst'), owner));

/**
 * A sealed record (DESIGN.md §3): a minor's — and anyone recorded in a minor's age band whatever their
 * role, as a 16-year-old "facilitator" is a juvenile too. Both columns are never null.
 */
export const isSealed = (c: { role: string; ageBand: string }) => c.role === 'minor' || (MINOR_AGE_BANDS as readonly string[]).includes(c.ageBand);

/** `isSealed` in SQL, over the columns holding the role and the age band. */
export const sealedSql = (roleColumn: string, ageBandColumn: string): Expression<SqlBool> =>
  sql<SqlBool>`(${sql.ref(roleColumn)} = 'minor' or ${columnIn(ageBandColumn, MINOR_AGE_BANDS)})`;

export const sealed = <R>(of: (r: R) => { role: string; ageBand: string }, roleColumn: string, ageBandColumn: string): Grant<R> => ({
  allows: (_actor, r) => isSealed(of(r)),
  where: () => sealedSql(roleColumn, ageBandColumn),
});

/** The receiving caseworker: a caseworker of the child-welfare agency a child was handed to. */
export const receivingCaseworker = <R>(receivedByActorsAgency: Grant<R>): Grant<R> => allOf<R>(hasAnyRole('caseworker'), receivedByActorsAgency);

/**
 * Who opens a sealed record (DESIGN.md §3): the owning agency's users assigned to the operation, and the
 * receiving caseworker — no one else, not the task force's coordinators, analysts or PIOs.
 */
export const sealedReader = <R>(owner: Grant<R>, assigned: Grant<R>, receivedByActorsAgency: Grant<R>): Grant<R> =>
  anyOf<R>(allOf<R>(owner, assigned), receivingCaseworker(receivedByActorsAgency));

/**
 * The receiving advocate (DESIGN.md §3, "a referral to the receiving agency for that person only"): the
 * advocates of the victim-services agency it was sent to, and no one else there (an administrator never
 * reads case content by role alone).
 */
export const receivingAdvocate = <R>(sentToActorsAgency: Grant<R>): Grant<R> => allOf<R>(hasAnyRole('advocate'), sentToActorsAgency);

/**
 * Who writes an operation's press releases (issue #4, item 2): the public-information officers of its
 * task force and the coordinators of its lead agency.
 */
export const releaseWriter = <R>(inTaskForce: Grant<R>, leadAgency: Grant<R>): Grant<R> =>
  anyOf<R>(allOf<R>(hasAnyRole('pio'), inTaskForce), allOf<R>(hasAnyRole('coordinator'), leadAgency));

// ---------------------------------------------------------------------------------------------- policies

/** A module's grants, by action. */
export type Grants<R> = Partial<Record<Action, Grant<R>>>;

/** The policy (`can`, `authorize`, `abilitiesFor`) made of a module's grants: their predicates. */
export function policyOf<R>(grants: Grants<R>): Policy<R> {
  const policy: Policy<R> = {};
  for (const [action, g] of Object.entries(grants) as [Action, Grant<R>][]) policy[action] = g.allows;
  return policy;
}
