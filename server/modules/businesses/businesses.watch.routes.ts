import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import { businessAlertDto, businessAlertList, dismissAlertInput } from '../../../common/schemas/businesses.ts';
import { dismissAlert, listAlerts } from './businesses.alerts.ts';

/** The re-opening watch's alerts (issue #11, item 6). */
export async function businessWatchRoutes(app: App, ctx: AppContext) {
  const tags = ['businesses'];
  app.get(
    '/businesses/alerts',
    {
      schema: {
        tags,
        summary: 'Re-opening alerts on closed businesses I may read, newest first: what matched, and where it showed up (its id only if I may open it)',
        response: { 200: businessAlertList },
      },
    },
    async (request) => listAlerts(ctx, actorOf(request), request.meta),
  );
  app.post(
    '/business-alerts/:id/dismiss',
    { schema: { tags, summary: 'Dismiss a re-opening alert, with a reason (the campaign’s coordinators and analysts)', params: idParams, body: dismissAlertInput, response: { 200: businessAlertDto } } },
    async (request) => dismissAlert(ctx, actorOf(request), request.params.id, request.body.reason, request.meta),
  );
}
