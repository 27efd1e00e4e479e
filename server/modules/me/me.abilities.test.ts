import { describe, expect, it } from 'vitest';
import type { Action } from '../../../common/actions.ts';
import { OPERATION_STATUSES, REFERRAL_STATUSES } from '../../../common/operations.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import { can, type Policy } from '../../auth/policy.ts';
import { CAST, TASK_FORCE, actor } from '../../test/actors.ts';
import { custodyPolicy, type CustodyRecord } from '../custody/custody.policy.ts';
import { operationPolicy, type OperationRecord } from '../operations/operations.policy.ts';
import { referralPolicy, type ReferralRecord } from '../referrals/referrals.policy.ts';
import { tipAccess, tipImportAccess, TIP_ROLES, type TipRecord } from '../tips/tips.access.ts';
import { TIP_STATUSES } from '../../../common/tips.ts';
import { navigationAbilities } from './me.routes.ts';

/**
 * The navigation's abilities are the actor's side of the modules' grants: each is true exactly when the
 * module's policy allows it on some record of the kind (records the actor may be asked about: their own
 * agency's or another's, assigned or not, in every status).
 */
const agencies = (a: Actor) => [a.agencyId, 'agency-elsewhere'];
/** Only officers, coordinators and analysts are ever assigned to an operation (the operations service checks it). */
const assignable = (a: Actor) => hasRole(a, 'officer', 'coordinator', 'analyst');
const assignments = (a: Actor) => (assignable(a) ? [true, false] : [false]);
const operations = (a: Actor): OperationRecord[] =>
  agencies(a).flatMap((agencyId) =>
    OPERATION_STATUSES.flatMap((status) =>
      assignments(a).map((assigned) => ({ id: 'op', agencyId, taskForceId: a.taskForceIds[0] ?? TASK_FORCE.other, status, assigned, commanderUserId: null })),
    ),
  );
const custody = (a: Actor): CustodyRecord[] =>
  agencies(a).flatMap((agencyId) =>
    agencies(a).flatMap((toAgencyId) => assignments(a).flatMap((assigned) => [true, false].map((received) => ({ id: 'h', agencyId, toAgencyId, assigned, received })))),
  );
const referrals = (a: Actor): ReferralRecord[] =>
  agencies(a).flatMap((toAgencyId) => REFERRAL_STATUSES.map((status) => ({ id: 'r', agencyId: 'agency-elsewhere', toAgencyId, status, assigned: false })));

/** Tips are assigned only to their agency's tip workers (the queue service checks it). */
const tips = (a: Actor): TipRecord[] =>
  agencies(a).flatMap((agencyId) =>
    TIP_STATUSES.flatMap((status) =>
      (hasRole(a, ...TIP_ROLES) ? [a.userId, null] : [null]).flatMap((assignedUserId) => [true, false].map((sharedWithActor) => ({ id: 't', agencyId, status, assignedUserId, sharedWithActor }))),
    ),
  );

const some = <R>(a: Actor, policy: Policy<R>, action: Action, records: R[]) => records.some((r) => can(a, policy, action, r));

const everyone: [string, Actor][] = [
  ...Object.entries(CAST),
  ['PIO and coordinator', actor(['pio', 'coordinator'])],
  ['coordinator of no task force', actor(['coordinator'], { taskForceIds: [] })],
];

describe('navigationAbilities', () => {
  it.each(everyone)('%s: each ability holds iff the module’s policy grants it on some record', (_name, a) => {
    const nav = navigationAbilities(a);
    expect(nav['operation.read']).toBe(some(a, operationPolicy, 'operation.read', operations(a)));
    expect(nav['operation.create']).toBe(some(a, operationPolicy, 'operation.create', operations(a)));
    expect(nav['operation.recordContact']).toBe(some(a, operationPolicy, 'operation.recordContact', operations(a)));
    expect(nav['pressRelease.create']).toBe(some(a, operationPolicy, 'pressRelease.create', operations(a)));
    expect(nav['custody.receive']).toBe(some(a, custodyPolicy, 'custody.receive', custody(a)));
    expect(nav['custody.update']).toBe(some(a, custodyPolicy, 'custody.update', custody(a)));
    expect(nav['referral.respond']).toBe(some(a, referralPolicy, 'referral.respond', referrals(a)));
    expect(nav['tip.read']).toBe(tips(a).some((t) => tipAccess.grants['tip.read'].allows(a, t)));
    expect(nav['tip.create']).toBe(tips(a).some((t) => tipAccess.grants['tip.create'].allows(a, t)));
    // An import job of any agency: the actor may import only into their own.
    expect(nav['tip.import']).toBe(tips(a).some((t) => tipImportAccess.grants['tip.import'].allows(a, { agencyId: t.agencyId })) || tipImportAccess.grants['tip.import'].allows(a, { agencyId: a.agencyId }));
    expect(nav['settings.update']).toBe(a.platformAdmin);
    // The search page is offered to whoever reads some kind of record the identifier index holds.
    expect(nav['identifier.search']).toBe(nav['operation.read'] === true || nav['tip.read'] === true || nav['business.read'] === true);
  });
});
