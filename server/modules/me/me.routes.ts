import { CASE_ROLES, LETTER_AGENCY_KINDS, worksCampaign } from '../businesses/businesses.access.ts';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import { TASK_FORCE_READERS } from '../../auth/access.ts';
import { can } from '../../auth/policy.ts';
import { LEDGER, statisticsPolicy } from '../statistics/statistics.policy.ts';
import { TIP_ROLES, tipAccess, tipImportAccess } from '../tips/tips.access.ts';
import { meDto, type MeDto } from '../../../common/schemas/auth.ts';
import type { Abilities } from '../../../common/actions.ts';
import type { Role } from '../../../common/roles.ts';
import { isCompartmentStaff } from '../clients/clients.access.ts';

/** Recording a tip is a condition on the actor alone: any record stands for "no tip yet". */
const NO_TIP = { id: '', agencyId: '', status: 'new', assignedUserId: null, sharedWithActor: false } as const;

/**
 * Resource-level abilities for the navigation and the home page: whether the actor may do this to some
 * record of the kind — the actor's side of each module's grants (access files), which per-record
 * `abilities` then decide record by record. The web app decides from these, never from roles.
 */
export function navigationAbilities(actor: Actor): Abilities {
  const admin = actor.platformAdmin || hasRole(actor, 'admin');
  const readsOperations = hasRole(actor, ...TASK_FORCE_READERS, 'officer');
  const readsTips = hasRole(actor, ...TIP_ROLES);
  return {
    /** Operations: the task force's readers by membership, officers through their assignments. */
    'operation.read': readsOperations,
    'operation.create': hasRole(actor, 'coordinator') && actor.taskForceIds.length > 0,
    'operation.recordContact': hasRole(actor, 'officer', 'coordinator'),
    /** Referrals are answered by the receiving advocates; hand-offs received by the receiving caseworkers. */
    'referral.respond': hasRole(actor, 'advocate'),
    'custody.receive': hasRole(actor, 'caseworker'),
    /** The owning agency's assigned officers and coordinators keep the hand-off's statement and notices. */
    'custody.update': hasRole(actor, 'officer', 'coordinator'),
    /** Releases are written by the task force's PIOs and the lead agency's coordinators. */
    'pressRelease.create': (hasRole(actor, 'pio') && actor.taskForceIds.length > 0) || hasRole(actor, 'coordinator'),
    /** Tips are worked by coordinators, analysts and officers (tips.access.ts); phoned-in tips are recorded by police and prosecutors. */
    'tip.read': readsTips,
    'tip.create': tipAccess.grants['tip.create'].allows(actor, NO_TIP),
    /** The hotline import, for the actor's own agency's queue. */
    'tip.import': tipImportAccess.grants['tip.import'].allows(actor, { agencyId: actor.agencyId }),
    /** The business campaign: its staff in the police, prosecutors and federal partners of a task force. */
    'business.read': worksCampaign(actor),
    'business.create': worksCampaign(actor),
    /** The attorney general's office keeps the landlord notice's template. */
    'notice.editTemplate': hasRole(actor, ...CASE_ROLES) && LETTER_AGENCY_KINDS.includes(actor.agencyKind) && actor.taskForceIds.length > 0,
    /** The advocates' compartment (issue #12): a victim-services agency's advocates and supervisors only. */
    'client.read': isCompartmentStaff(actor),
    'client.create': isCompartmentStaff(actor),
    'client.report': isCompartmentStaff(actor),
    /**
     * The identifier search page: offered to those who work the index's records (operations, tips, the
     * campaign's businesses). The route answers anyone signed in, with only the records they may see.
     */
    'identifier.search': readsOperations || readsTips || worksCampaign(actor),
    /** Any agency may be named by a client's release; what it reads is decided release by release. */
    'release.readShared': true,
    'statistics.publish': can(actor, statisticsPolicy, 'statistics.publish', LEDGER),
    'settings.update': actor.platformAdmin,
    'agency.create': actor.platformAdmin,
    'agency.read': true,
    'taskForce.create': actor.platformAdmin,
    'taskForce.read': actor.platformAdmin || actor.taskForceIds.length > 0,
    'user.create': admin,
    'user.read': admin,
    'audit.read': admin,
    'audit.export': admin,
  };
}

export async function meRoutes(app: App, _ctx: AppContext) {
  app.get('/me', { schema: { tags: ['account'], summary: 'Who I am, my agency, task forces and what I may do', response: { 200: meDto } }, config: { beforePasswordChange: true } }, async (request): Promise<MeDto> => {
    const actor = actorOf(request);
    const session = request.session!;
    // Read with the session (server/auth/sessions.ts): no second query.
    const taskForces = session.taskForces;
    return {
      user: {
        id: actor.userId,
        email: actor.email,
        displayName: actor.displayName,
        roles: [...actor.roles].sort() as Role[],
        platformAdmin: actor.platformAdmin,
        mustChangePassword: actor.mustChangePassword,
      },
      agency: { id: actor.agencyId, name: actor.agencyName, kind: actor.agencyKind },
      taskForces,
      session: { idleExpiresAt: session.idleExpiresAt, absoluteExpiresAt: session.absoluteExpiresAt },
      abilities: navigationAbilities(actor),
    };
  });
}
