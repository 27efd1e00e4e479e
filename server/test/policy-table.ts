import { describe, expect, it } from 'vitest';
import type { Action } from '../../common/actions.ts';
import type { Actor } from '../auth/actor.ts';
import { can, type Policy } from '../auth/policy.ts';
import { AGENCY } from './actors.ts';

/** One row of a policy table: who, to what, doing what, and whether the policy allows it. */
export type Case<R> = readonly [name: string, who: Actor, record: R, action: Action, allowed: boolean];

export interface PolicyTableOptions {
  /**
   * Actions open to everyone who can see the record, or decided by role alone with no owning agency:
   * no cross-agency refusal exists for them, and the table says why.
   */
  noCrossAgencyDeny?: Partial<Record<Action, string>>;
}

/**
 * Runs a policy's table and checks the table itself: every action the policy declares has at least one
 * row that allows it and one row where a user of a partner agency — another member of the same task
 * force, the case a rule broken "by agency" lets through — is refused.
 */
export function describePolicyTable<R>(title: string, policy: Policy<R>, cases: readonly Case<R>[], opts: PolicyTableOptions = {}) {
  describe(title, () => {
    it.each(cases.map((c) => [...c]))('%s', (_name, who, record, action, allowed) => {
      expect(can(who as Actor, policy, action as Action, record as R)).toBe(allowed);
    });

    it('has, for every action, an allow and a refusal of a partner agency in the same task force', () => {
      const missing: string[] = [];
      for (const action of Object.keys(policy) as Action[]) {
        const rows = cases.filter((c) => c[3] === action);
        if (!rows.some((c) => c[4])) missing.push(`${action}: no allow`);
        if (opts.noCrossAgencyDeny?.[action] === undefined && !rows.some((c) => !c[4] && c[1].agencyId === AGENCY.partner)) {
          missing.push(`${action}: no partner-agency refusal`);
        }
      }
      expect(missing).toEqual([]);
    });
  });
}
