import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { statisticsPreviewDto, statisticsReleaseDto, statisticsReleaseListDto } from '../../../common/schemas/statistics.ts';
import { listReleases, previewRelease, publishRelease } from './statistics.service.ts';

/** Staff side of the public statistics: the release ledger (issue #4, item 4). */
export async function statisticsRoutes(app: App, ctx: AppContext) {
  const tags = ['statistics'];
  app.get(
    '/statistics/releases',
    { schema: { tags, summary: 'Every published statistics release, newest first', response: { 200: statisticsReleaseListDto } } },
    async (request) => listReleases(ctx, actorOf(request)),
  );
  app.post(
    '/statistics/releases/preview',
    { schema: { tags, summary: 'What a release published now would cover and suppress (PIO); publishes nothing', response: { 200: statisticsPreviewDto } } },
    async (request) => previewRelease(ctx, actorOf(request)),
  );
  app.post(
    '/statistics/releases',
    { schema: { tags, summary: 'Publish a release of every quarter that has ended (PIO); 409 when no new quarter has', response: { 201: statisticsReleaseDto } } },
    async (request, reply) => reply.status(201).send(await publishRelease(ctx, actorOf(request), request.meta)),
  );
}
