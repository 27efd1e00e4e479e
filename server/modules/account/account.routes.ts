import { z } from 'zod';
import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { passwordChangeInput, recoveryCodesInput, recoveryCodesResponse, sessionDto, workPhoneDto, workPhoneInput } from '../../../common/schemas/auth.ts';
import { okResponse } from '../../../common/schemas/shared.ts';
import { changePassword, getWorkPhone, listSessions, regenerateRecoveryCodes, revokeOtherSessions, revokeSession, setWorkPhone } from './account.service.ts';

export async function accountRoutes(app: App, ctx: AppContext) {
  const tags = ['account'];
  app.get('/account/sessions', { schema: { tags, summary: 'My signed-in sessions', response: { 200: z.object({ sessions: z.array(sessionDto) }) } } }, async (request) =>
    listSessions(ctx, actorOf(request)),
  );
  app.post(
    '/account/sessions/revoke-others',
    { schema: { tags, summary: 'Sign out my other sessions', response: { 200: z.object({ ok: z.literal(true), revoked: z.number() }) } } },
    async (request) => revokeOtherSessions(ctx, actorOf(request), request.meta),
  );
  app.delete(
    '/account/sessions/:id',
    { schema: { tags, summary: 'Sign out one session', params: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, { message: 'must be a session id' }) }), response: { 200: okResponse } } },
    async (request) => revokeSession(ctx, actorOf(request), request.params.id, request.meta),
  );
  app.get('/account/phone', { schema: { tags, summary: 'My work phone', response: { 200: workPhoneDto } } }, async (request) => getWorkPhone(ctx, actorOf(request)));
  app.patch('/account/phone', { schema: { tags, summary: 'Set or clear my work phone', body: workPhoneInput, response: { 200: workPhoneDto } } }, async (request) =>
    setWorkPhone(ctx, actorOf(request), request.body.phone, request.meta),
  );
  app.post('/account/password', { schema: { tags, summary: 'Change my password', body: passwordChangeInput, response: { 200: okResponse } }, config: { rateLimit: { max: 10, timeWindow: '1 minute' }, beforePasswordChange: true } }, async (request) =>
    changePassword(ctx, actorOf(request), request.body, request.meta),
  );
  app.post(
    '/account/recovery-codes',
    { schema: { tags, summary: 'Replace my recovery codes', body: recoveryCodesInput, response: { 200: recoveryCodesResponse } }, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request) => regenerateRecoveryCodes(ctx, actorOf(request), request.body.code, request.meta),
  );
}
