import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http.ts';
import type { AppContext } from '../context.ts';
import { enrolmentResponse, loginInput, loginResponse, mfaInput, mfaResponse } from '../../common/schemas/auth.ts';
import { errorResponse, okResponse } from '../../common/schemas/shared.ts';
import { unauthenticated } from '../lib/errors.ts';
import { beginEnrolment, completeMfa, login, logout } from './auth.service.ts';
import { SESSION_COOKIE } from './sessions.ts';

/** HttpOnly, SameSite=Strict, Secure whenever the request arrived over TLS (directly or via the proxy). */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}

const loginRateLimit = { max: 20, timeWindow: '1 minute' };

export async function authRoutes(app: App, ctx: AppContext) {
  app.post(
    '/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in, step one: email and password', body: loginInput, response: { 200: loginResponse, 401: errorResponse, 423: errorResponse } },
      config: { access: 'public', rateLimit: loginRateLimit },
    },
    async (request, reply) => {
      const { email, password } = request.body as { email: string; password: string };
      const result = await login(ctx, email, password, request.meta);
      setSessionCookie(request, reply, result.token);
      return { mfaRequired: true as const, enrolmentRequired: result.enrolmentRequired };
    },
  );

  app.post(
    '/auth/mfa/enrolment',
    {
      schema: { tags: ['auth'], summary: 'Start setting up the authenticator app (first sign-in)', response: { 200: enrolmentResponse } },
      config: { access: 'pending', rateLimit: loginRateLimit },
    },
    async (request) => beginEnrolment(ctx, request.session!, request.meta),
  );

  app.post(
    '/auth/mfa',
    {
      schema: { tags: ['auth'], summary: 'Sign in, step two: the authenticator code (or a recovery code)', body: mfaInput, response: { 200: mfaResponse, 401: errorResponse } },
      config: { access: 'pending', rateLimit: loginRateLimit },
    },
    async (request, reply) => {
      const session = request.session;
      if (!session) throw unauthenticated();
      if (session.stage === 'active') return { ok: true as const };
      const { code } = request.body as { code: string };
      const result = await completeMfa(ctx, session, code, request.meta);
      setSessionCookie(request, reply, result.token);
      return result.recoveryCodes ? { ok: true as const, recoveryCodes: result.recoveryCodes } : { ok: true as const };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out: ends this session on the server', response: { 200: okResponse } }, config: { access: 'public' } },
    async (request, reply) => {
      await logout(ctx, request.session, request.meta);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );
}
