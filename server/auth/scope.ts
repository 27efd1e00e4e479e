import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from './actor.ts';

/**
 * Building blocks for `visibleTo(actor)` filters. Lists are filtered in SQL with these, never fetched
 * whole and filtered in JavaScript, so a row the actor may not see never leaves the database. They are
 * plain SQL predicates over a named column, so they fit any query whatever its joins and aliases.
 */

/** A predicate that is never true: the explicit "nothing granted" of deny-by-default. */
export const nothing = (): Expression<SqlBool> => sql<SqlBool>`1 = 0`;
export const everything = (): Expression<SqlBool> => sql<SqlBool>`1 = 1`;

export const columnIs = (column: string, value: string): Expression<SqlBool> => sql<SqlBool>`${sql.ref(column)} = ${value}`;

export const columnIn = (column: string, values: readonly string[]): Expression<SqlBool> =>
  values.length ? sql<SqlBool>`${sql.ref(column)} in (${sql.join([...values])})` : nothing();

/** Any of the grants; none at all means nothing is visible. */
export const anyOf = (grants: Expression<SqlBool>[]): Expression<SqlBool> =>
  grants.length ? sql<SqlBool>`(${sql.join(grants, sql` or `)})` : nothing();

/** The column names the actor's own agency or an agency sharing one of its task forces. */
export function inPartnerAgencies(column: string, actor: Actor): Expression<SqlBool> {
  if (actor.taskForceIds.length === 0) return columnIs(column, actor.agencyId);
  return sql<SqlBool>`(${sql.ref(column)} = ${actor.agencyId} or ${sql.ref(column)} in (select tfm.agency_id from task_force_member tfm where tfm.task_force_id in (${sql.join([...actor.taskForceIds])})))`;
}
