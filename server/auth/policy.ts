import type { Abilities, Action } from '../../common/actions.ts';
import { forbidden } from '../lib/errors.ts';
import type { Actor } from './actor.ts';

/**
 * A rule is a pure function of who is asking and the record (already known to be visible).
 * Each module declares its own policy object; there is no global registry.
 */
export type Rule<R> = (actor: Actor, record: R) => boolean;
export type Policy<R> = Partial<Record<Action, Rule<R>>>;

/** Deny unless a rule grants: an action with no rule is refused. */
export function can<R>(actor: Actor, policy: Policy<R>, action: Action, record: R): boolean {
  const rule = policy[action];
  return rule ? rule(actor, record) : false;
}

/** Throws 403 when the actor may see the record but not do this to it. */
export function authorize<R>(actor: Actor, policy: Policy<R>, action: Action, record: R): void {
  if (!can(actor, policy, action, record)) throw forbidden();
}

/** The `abilities` map a response carries so the UI shows only what will succeed. */
export function abilitiesFor<R>(actor: Actor, policy: Policy<R>, record: R): Abilities {
  const out: Abilities = {};
  for (const action of Object.keys(policy) as Action[]) out[action] = can(actor, policy, action, record);
  return out;
}
