import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { language } from '../../../common/schemas/disclosure.ts';
import { publicStatisticsDto, statisticsFilter, type PublicStatisticsDto } from '../../../common/schemas/statistics.ts';
import { createHash } from 'node:crypto';
import { langOf, publicFrame } from '../disclosure/public-layout.ts';
import { currentRelease, publicStatisticsJson, type ReleaseView } from './statistics.service.ts';
import { selection, statisticsCsv, statisticsPage } from './statistics.page.ts';

const publicRate = { max: 120, timeWindow: '1 minute' };
const pageQuery = statisticsFilter.extend({ lang: language.optional() });

/** Releases never change: a rendering is kept with its release, for the selections the release has. */
async function kept(view: ReleaseView, key: string, cacheable: boolean, render: () => Promise<string>): Promise<string> {
  const found = view.rendered.get(key);
  if (found !== undefined) return found;
  const out = await render();
  if (cacheable) view.rendered.set(key, out);
  return out;
}

/**
 * The public statistics (issue #4, item 4): `GET /api/public/statistics` (the contract), the page
 * `/statistics` and its CSV. Open to anyone, rate-limited; every answer comes from the newest release,
 * rendered once per release and selection, so no request scans or counts anything.
 */
export async function statisticsPublicRoutes(app: App, ctx: AppContext) {
  const config = { access: 'public' as const, rateLimit: publicRate };

  app.get(
    '/api/public/statistics',
    {
      schema: {
        tags: ['public'],
        summary: 'The newest statistics release: its cells ({dimensions, value, suppressed}) and totals; release is null before the first',
        querystring: statisticsFilter,
        response: { 200: publicStatisticsDto },
      },
      config,
    },
    // Sent as the kept JSON text: Fastify sends a string as it is, so the serializer never re-walks thousands of cells.
    async (request, reply) => reply.type('application/json; charset=utf-8').send((await publicStatisticsJson(ctx, request.query)) as unknown as PublicStatisticsDto),
  );

  app.get('/statistics', { schema: { hide: true, querystring: pageQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const [view, frame] = await Promise.all([currentRelease(ctx), publicFrame(ctx.db)]);
    const sel = view ? selection(view, request.query) : null;
    // Kept per frame too: a new hotline, name or mark shows at once.
    const frameKey = createHash('sha256').update(JSON.stringify(frame)).digest('base64url').slice(0, 16);
    const page = view && sel
      ? await kept(view, `page|${lang}|${sel.family}|${sel.year}|${frameKey}`, view.years.includes(sel.year), () => statisticsPage(ctx.jurisdiction, view, sel, lang, frame))
      : await statisticsPage(ctx.jurisdiction, null, null, lang, frame);
    return reply
      .status(view && sel && !view.years.includes(sel.year) ? 404 : 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .send(page);
  });

  app.get('/statistics.csv', { schema: { hide: true, querystring: pageQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const view = await currentRelease(ctx);
    const sel = view ? selection(view, request.query) : null;
    if (!view || !sel || !view.years.includes(sel.year)) {
      return reply.status(404).send({ error: { code: 'not_found', message: view ? `Nothing was published for ${sel?.year}.` : 'No statistics have been published yet.' } });
    }
    const csv = await kept(view, `csv|${lang}|${sel.family}|${sel.year}`, true, async () => statisticsCsv(ctx.jurisdiction, view, sel, lang));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="statistics-${sel.family}-${sel.year}${lang === 'es' ? '-es' : ''}.csv"`)
      .header('cache-control', 'public, max-age=60')
      .send(csv);
  });
}
