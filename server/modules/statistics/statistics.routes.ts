import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import {
  startStatisticsJobInput,
  statisticsJobDto,
  statisticsJobListDto,
  statisticsJobListQuery,
  ledgerAuditDto,
  statisticsPreviewDto,
  statisticsReleaseDto,
  statisticsReleaseListDto,
} from '../../../common/schemas/statistics.ts';
import { idParams } from '../../../common/schemas/shared.ts';
import { auditPublished, listReleases, previewRelease, publishRelease } from './statistics.service.ts';
import { getReleaseJob, listReleaseJobs, settleReleaseJobs, startReleaseJob } from './statistics-jobs.service.ts';

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
    '/statistics/releases/audit',
    { schema: { tags, summary: 'Audit everything already published: every year of the ledger against every release and press release out (PIO); changes nothing', response: { 200: ledgerAuditDto } } },
    async (request) => auditPublished(ctx, actorOf(request)),
  );
  app.post(
    '/statistics/releases',
    { schema: { tags, summary: 'Publish a release of every quarter that has ended (PIO); 409 when no new quarter has', response: { 201: statisticsReleaseDto } } },
    async (request, reply) => reply.status(201).send(await publishRelease(ctx, actorOf(request), request.meta)),
  );

  // Jobs (issue #8): the same preview and publication, running after the response, with their progress.
  app.post(
    '/statistics/jobs',
    {
      schema: {
        tags,
        summary: 'Start a preview or a publication (PIO); answers at once with the running job. 409 while another publication runs',
        body: startStatisticsJobInput,
        response: { 202: statisticsJobDto },
      },
    },
    async (request, reply) => reply.status(202).send(await startReleaseJob(ctx, actorOf(request), request.body.kind, request.meta)),
  );
  app.get(
    '/statistics/jobs',
    { schema: { tags, summary: 'The jobs still running (active=1), or the newest jobs (PIO)', querystring: statisticsJobListQuery, response: { 200: statisticsJobListDto } } },
    async (request) => listReleaseJobs(ctx, actorOf(request), { active: request.query.active === '1' }),
  );
  app.get(
    '/statistics/jobs/:id',
    { schema: { tags, summary: 'A job: its progress, its preview or release once done, or why it failed (PIO)', params: idParams, response: { 200: statisticsJobDto } } },
    async (request) => getReleaseJob(ctx, actorOf(request), request.params.id),
  );
  // A closing server finishes the jobs it runs (a publication holds the ledger's transaction).
  app.addHook('onClose', async () => settleReleaseJobs(ctx));
}
