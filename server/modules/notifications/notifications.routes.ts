import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { notificationPreferencesDto, updateNotificationPreferencesInput } from '../../../common/schemas/notifications.ts';
import { getNotificationPreferences, updateNotificationPreferences } from './notifications.service.ts';
import { kickEmailDispatch } from './notifications.dispatch.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function notificationRoutes(app: App, ctx: AppContext) {
  const tags = ['account'];
  app.get(
    '/me/notification-preferences',
    { schema: { tags, summary: 'Which notices I get by email, and how', response: { 200: notificationPreferencesDto } } },
    async (request) => getNotificationPreferences(ctx, actorOf(request)),
  );
  app.put(
    '/me/notification-preferences',
    { schema: { tags, summary: 'Choose which notices I get by email, and how (custody deadlines always)', body: updateNotificationPreferencesInput, response: { 200: notificationPreferencesDto } } },
    async (request) => updateNotificationPreferences(ctx, actorOf(request), request.body, request.meta),
  );
  // A request that changed something may have filed a notice: the email goes out now rather than at
  // the next periodic pass (a no-op unless this process sends email).
  app.addHook('onResponse', async (request) => {
    if (STATE_CHANGING.has(request.method)) kickEmailDispatch(ctx);
  });
}
