import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http.ts';
import type { AppContext } from '../context.ts';
import { html, type Html } from '../lib/html.ts';
import { t, type Catalog } from '../lib/i18n.ts';
import { apDate, type Lang } from './disclosure/ap-style.ts';
import { publicPressReleases } from './disclosure/press-releases.service.ts';
import { hotlineLinks, inLang, publicFrame, publicPage, readerLang, telHref, withLang } from './disclosure/public-layout.ts';
import { publicNewsRoutes } from './disclosure/public.routes.ts';
import { statisticsPublicRoutes } from './statistics/statistics.public.ts';
import { statisticsSummary } from './statistics/statistics.page.ts';
import { currentRelease } from './statistics/statistics.service.ts';
import { tipPages } from './tips/tips.pages.ts';
import { language } from '../../common/schemas/disclosure.ts';

const publicRate = { max: 120, timeWindow: '1 minute' };
const config = { access: 'public' as const, rateLimit: publicRate };
const langQuery = z.object({ lang: language.optional() });

/** The words of the front door, the tip page and the 404 page (the `home` section of server/i18n). */
const homeWords = (lang: Lang) => (key: keyof Catalog['home'], values?: Record<string, string | number>) => t(lang, `home.${key}`, values);

/**
 * Pages served outside /api: the public site (the front door, news, statistics, help, the tip pages),
 * server-rendered so they work without JavaScript. Each module adds its pages here.
 */
export async function registerPublicPages(app: App, ctx: AppContext) {
  await publicNewsRoutes(app, ctx);
  await statisticsPublicRoutes(app, ctx);
  await frontDoorRoutes(app, ctx);
  await tipPages(app, ctx);
}

const html200 = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');

/**
 * The front door `/` (issue #9, item 12): the latest news, the statistics, help (the hotline, tap to
 * call or text, and 911), how to report a tip, and the staff sign-in, in the reader's language.
 */
async function frontDoorRoutes(app: App, ctx: AppContext) {
  const dateOf = (iso: string, lang: Lang) => apDate(new Date(iso).toLocaleDateString('en-CA', { timeZone: ctx.jurisdiction.timeZone }), lang);

  app.get('/', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const lang = readerLang(request);
    const w = homeWords(lang);
    const [frame, releases, view] = await Promise.all([publicFrame(ctx.db), publicPressReleases(ctx.db, lang, 3), currentRelease(ctx)]);
    const stats = statisticsSummary(ctx.jurisdiction, view, lang);
    const body = html`<h1>${frame.site.name[lang]}</h1>
<p class="usa-intro">${w('lead')}</p>
<div class="lantern-home-grid">
<section class="lantern-home-card" aria-labelledby="home-help">
<h2 id="home-help">${w('helpHeading')}</h2>
<p><strong>${w('danger')} <a class="usa-link" href="tel:911">911</a>.</strong></p>
<p>${t(lang, 'public.hotlineLead')}: ${hotlineLinks(lang, frame.hotline)}</p>
<p>${w('helpText')}</p>
<p><a class="usa-link" href="${withLang('/help', lang)}">${w('helpLink')}</a></p>
</section>
<section class="lantern-home-card" aria-labelledby="home-tip">
<h2 id="home-tip">${w('tipHeading')}</h2>
<p>${w('tipText')}</p>
<p><a class="usa-button" href="${withLang('/tip', lang)}">${w('tipLink')}</a></p>
</section>
</div>
<section aria-labelledby="home-news">
<h2 id="home-news">${w('newsHeading')}</h2>
${
  releases.length
    ? html`<ul class="lantern-release-list">${releases.map(
        (r) => html`<li><h3 class="margin-0"><a class="usa-link" href="${withLang(`/news/${r.slug}`, lang)}">${r.title}</a></h3><p class="lantern-meta margin-0">${t(lang, 'news.published')} <time datetime="${r.publishedAt}">${dateOf(r.publishedAt, lang)}</time></p></li>`,
      )}</ul>`
    : html`<p>${t(lang, 'news.none')}</p>`
}
<p><a class="usa-link" href="${withLang('/news', lang)}">${w('newsLink')}</a></p>
</section>
<section aria-labelledby="home-statistics">
<h2 id="home-statistics">${w('statisticsHeading')}</h2>
<p>${stats}</p>
<p><a class="usa-link" href="${withLang('/statistics', lang)}">${w('statisticsLink')}</a></p>
</section>
<section aria-labelledby="home-staff">
<h2 id="home-staff">${w('staffHeading')}</h2>
<p>${w('staffText')} <a class="usa-link" href="/sign-in">${t(lang, 'public.staffSignIn')}</a></p>
</section>`;
    return html200(reply)
      .header('vary', 'Accept-Language')
      .send(publicPage({ ...frame, lang, title: frame.site.name[lang], path: '/', current: 'home', body, description: w('lead') }));
  });

}

/**
 * A page that does not exist, in the reader's language (`?lang=`, else Accept-Language), with status
 * 404, and the ways on: the front door, the hotline, 911.
 */
export async function publicNotFound(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const lang = readerLang(request);
  const path = request.url.split('?')[0]!;
  const w = homeWords(lang);
  const frame = await publicFrame(ctx.db);
  const body: Html = html`<h1>${w('notFoundTitle')}</h1>
<p class="usa-intro">${w('notFoundLead')}</p>
<ul class="usa-list">
<li><a class="usa-link" href="${inLang('/', lang)}">${w('notFoundHome')}</a></li>
<li><a class="usa-link" href="${withLang('/news', lang)}">${t(lang, 'public.news')}</a></li>
<li><a class="usa-link" href="${withLang('/help', lang)}">${t(lang, 'public.help')}</a></li>
</ul>
<p>${w('danger')} <a class="usa-link" href="${telHref('911')}">911</a>.</p>`;
  return reply
    .status(404)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'Accept-Language')
    .send(publicPage({ ...frame, lang, title: w('notFoundTitle'), path, body }));
}
