import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RequestMeta } from './audit/audit.ts';
import type { Actor } from './auth/actor.ts';
import type { ResolvedSession, SessionCompanion } from './auth/sessions.ts';
import { unauthenticated } from './lib/errors.ts';

/*
 * What every route module needs of the HTTP layer, kept apart from server/app.ts (which wires the
 * modules in) so that no route imports the file that imports it.
 */

/** Who may call a route: anyone, a half-signed-in session (MFA step), or a signed-in user (default). */
export type Access = 'public' | 'pending' | 'signedIn';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Open to a signed-in user who still has to replace an administrator's temporary password. */
    beforePasswordChange?: boolean;
    /** The record the route is about (its id in this parameter), read in the session's statement. */
    withSession?: { companion: SessionCompanion; param: string };
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: ResolvedSession | null;
    meta: RequestMeta;
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** The signed-in actor of a route declared `signedIn` (the auth hook has already refused anyone else). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}
