import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import { meDto, type MeDto } from '../../../common/schemas/auth.ts';
import type { Abilities } from '../../../common/actions.ts';
import type { Role } from '../../../common/roles.ts';

/** Resource-level abilities for the navigation; per-record abilities come with each record. */
export function navigationAbilities(actor: Actor): Abilities {
  const admin = actor.platformAdmin || hasRole(actor, 'admin');
  return {
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

export async function meRoutes(app: App, ctx: AppContext) {
  app.get('/me', { schema: { tags: ['account'], summary: 'Who I am, my agency, task forces and what I may do', response: { 200: meDto } }, config: { beforePasswordChange: true } }, async (request): Promise<MeDto> => {
    const actor = actorOf(request);
    const session = request.session!;
    const taskForces = actor.taskForceIds.length
      ? await ctx.db.selectFrom('task_force').select(['id', 'name']).where('id', 'in', [...actor.taskForceIds]).orderBy('name').execute()
      : [];
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
