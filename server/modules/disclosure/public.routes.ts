import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { escapeHtml, html, raw, type Html } from '../../lib/html.ts';
import { list, t, type Catalog, type MessageKey } from '../../lib/i18n.ts';
import { notFound } from '../../lib/errors.ts';
import { heading, pageFooters, paragraph, taggedPdf } from '../../lib/pdf.ts';
import { language, publicPressReleaseDto } from '../../../common/schemas/disclosure.ts';
import type { Lang } from './ap-style.ts';
import { apDate } from './ap-style.ts';
import { publicPressRelease, publicPressReleases } from './press-releases.service.ts';
import { hotlineLinks, langOf, publicFrame, publicPage, withLang } from './public-layout.ts';

const publicRate = { max: 120, timeWindow: '1 minute' };
const langQuery = z.object({ lang: language.optional() });
const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,100}$/, { message: 'must be a press release address' }) });

/** Dates as AP prints them, on the calendar of the task force's time zone (ctx.jurisdiction). */
type Section<S extends 'news' | 'help'> = keyof Catalog[S];
/** The words of one section of the catalogs (server/i18n), in `lang`. */
const words =
  <S extends 'news' | 'help'>(section: S, lang: Lang) =>
  (key: Section<S> & string) =>
    t(lang, `${section}.${key}` as MessageKey);

const datesIn = (timeZone: string) => (iso: string, lang: Lang) => apDate(new Date(iso).toLocaleDateString('en-CA', { timeZone }), lang);
const paragraphs = (body: string) => body.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);

/**
 * The base of absolute links: LANTERN_PUBLIC_URL, which `lantern start` requires. Never the request's
 * Host or X-Forwarded-Host: a forged header would be printed into a feed a cache then serves to everyone
 * (issue #7, finding 8). A server built without it (tests) prints links relative to the site's root.
 */
const origin = (ctx: AppContext) => ctx.config.publicUrl ?? '';

/**
 * The public news site (issue #4, item 3): press releases as pages readable without JavaScript, as
 * tagged PDFs and as feeds, in English and Spanish; the hotline page; and the public JSON API.
 */
export async function publicNewsRoutes(app: App, ctx: AppContext) {
  const dateOf = datesIn(ctx.jurisdiction.timeZone);
  const config = { access: 'public' as const, rateLimit: publicRate };
  const tags = ['public'];

  app.get(
    '/api/public/press-releases',
    { schema: { tags, summary: 'Published press releases (plain text), newest first', querystring: langQuery, response: { 200: z.array(publicPressReleaseDto) } }, config },
    async (request) => publicPressReleases(ctx.db, request.query.lang ?? 'en'),
  );
  app.get(
    '/api/public/press-releases/:slug',
    { schema: { tags, summary: 'One published press release (plain text)', params: slugParam, querystring: langQuery, response: { 200: publicPressReleaseDto } }, config },
    async (request) => {
      const release = await publicPressRelease(ctx.db, request.params.slug, request.query.lang ?? 'en');
      if (!release) throw notFound('published press release');
      return release;
    },
  );

  const html404 = async (reply: FastifyReply, lang: Lang, path: string) => {
    const w = words('news', lang);
    return reply
      .status(404)
      .type('text/html; charset=utf-8')
      .send(publicPage({ lang, title: w('notFound'), path, current: 'news', ...(await publicFrame(ctx.db)), body: html`<h1>${w('notFound')}</h1><p><a href="${withLang('/news', lang)}">${w('allNews')}</a></p>` }));
  };

  app.get('/news', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const w = words('news', lang);
    const releases = await publicPressReleases(ctx.db, lang);
    const body = html`<h1>${w('news')}</h1>
<p class="usa-intro">${w('newsLead')}</p>
${
  releases.length
    ? html`<ul class="lantern-release-list">${releases.map(
        (r) => html`<li><h2 class="margin-0"><a href="${withLang(`/news/${r.slug}`, lang)}">${r.title}</a></h2><p class="lantern-meta margin-0">${w('published')} <time datetime="${r.publishedAt}">${dateOf(r.publishedAt, lang)}</time>${r.corrections.length ? html` · ${w('correction')}` : ''}</p></li>`,
      )}</ul>`
    : html`<div class="usa-alert usa-alert--info usa-alert--slim"><div class="usa-alert__body"><p class="usa-alert__text">${w('none')}</p></div></div>`
}
<p><a href="${withLang('/news/feed.atom', lang)}">${w('feed')}</a></p>`;
    return reply
      .type('text/html; charset=utf-8')
      .send(publicPage({ lang, title: w('news'), path: '/news', current: 'news', body, ...(await publicFrame(ctx.db)), head: html`<link rel="alternate" type="application/atom+xml" href="${withLang('/news/feed.atom', lang)}" title="${w('news')}">` }));
  });

  app.get('/news/feed.atom', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const base = origin(ctx);
    const releases = await publicPressReleases(ctx.db, lang);
    const updated = releases[0]?.publishedAt ?? new Date(0).toISOString();
    const x = escapeHtml;
    const entries = releases
      .map((r) => {
        const url = `${base}${withLang(`/news/${r.slug}`, lang)}`;
        return `<entry><id>${x(url)}</id><title>${x(r.title)}</title><link href="${x(url)}"/><updated>${x(r.corrections.at(-1)?.correctedAt ?? r.publishedAt)}</updated><published>${x(r.publishedAt)}</published><content type="text">${x(r.body)}</content></entry>`;
      })
      .join('');
    const self = `${base}${withLang('/news/feed.atom', lang)}`;
    return reply
      .type('application/atom+xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}"><id>${x(self)}</id><title>${x(`${t(lang, 'public.site')} — ${words('news', lang)('news')}`)}</title><link rel="self" href="${x(self)}"/><updated>${x(updated)}</updated>${entries}</feed>\n`);
  });

  app.get('/news/feed.rss', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const base = origin(ctx);
    const releases = await publicPressReleases(ctx.db, lang);
    const x = escapeHtml;
    const items = releases
      .map((r) => {
        const url = `${base}${withLang(`/news/${r.slug}`, lang)}`;
        return `<item><title>${x(r.title)}</title><link>${x(url)}</link><guid isPermaLink="true">${x(url)}</guid><pubDate>${new Date(r.publishedAt).toUTCString()}</pubDate><description>${x(r.body)}</description></item>`;
      })
      .join('');
    return reply
      .type('application/rss+xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${x(`${t(lang, 'public.site')} — ${words('news', lang)('news')}`)}</title><link>${x(`${base}${withLang('/news', lang)}`)}</link><description>${x(words('news', lang)('newsLead'))}</description><language>${lang}</language>${items}</channel></rss>\n`);
  });

  app.get('/news/:slug', { schema: { hide: true, params: z.object({ slug: z.string().max(120) }), querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const w = words('news', lang);
    const pdf = request.params.slug.endsWith('.pdf');
    const slug = pdf ? request.params.slug.slice(0, -4) : request.params.slug;
    if (!/^[a-z0-9-]{1,100}$/.test(slug)) return html404(reply, lang, '/news');
    const release = await publicPressRelease(ctx.db, slug, lang);
    if (!release) return html404(reply, lang, `/news/${slug}`);
    const frame = await publicFrame(ctx.db);
    const line = frame.hotline;
    if (pdf) {
      const doc = taggedPdf({ title: release.title, lang: lang === 'en' ? 'en-US' : 'es-US', subject: w('news'), author: t(lang, 'public.site') });
      heading(doc, release.title, 1);
      paragraph(doc, `${w('published')} ${dateOf(release.publishedAt, lang)}`, { size: 9 });
      for (const c of release.corrections) paragraph(doc, `${w('correction')} (${dateOf(c.correctedAt, lang)}): ${c.note}`, { italic: true });
      for (const p of paragraphs(release.body)) paragraph(doc, p);
      pageFooters(doc, `${t(lang, 'public.hotlineLead')}: ${line.phone} · ${t(lang, 'public.text')} ${line.text} · 911`);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${slug}${lang === 'es' ? '-es' : ''}.pdf"`)
        .send(await doc.finish());
    }
    const body = html`<article class="lantern-release">
<h1>${release.title}</h1>
<p class="lantern-meta">${w('published')} <time datetime="${release.publishedAt}">${dateOf(release.publishedAt, lang)}</time></p>
${release.corrections.map((c) => html`<div class="lantern-correction" role="note"><p class="margin-0"><strong>${w('correction')}</strong> (<time datetime="${c.correctedAt}">${dateOf(c.correctedAt, lang)}</time>): ${c.note}</p></div>`)}
${paragraphs(release.body).map((p) => html`<p>${withHotlineLinks(p, line)}</p>`)}
<p class="lantern-no-print"><a class="usa-button usa-button--outline" href="${withLang(`/news/${slug}.pdf`, lang)}">${w('pdf')}</a> <a href="${withLang('/news', lang)}">${w('allNews')}</a></p>
</article>`;
    return reply.type('text/html; charset=utf-8').send(publicPage({ lang, title: release.title, path: `/news/${slug}`, current: 'news', body, ...frame, description: paragraphs(release.body)[0]?.slice(0, 200) }));
  });

  app.get('/help', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const frame = await publicFrame(ctx.db);
    return reply.type('text/html; charset=utf-8').send(publicPage({ ...frame, lang, title: t(lang, 'help.title'), path: '/help', current: 'help', body: helpBody(lang, frame.hotline) }));
  });
}

/**
 * A paragraph of a release with the hotline's number tap-to-call and its text number tap-to-text, as
 * everywhere else on the public site; the rest stays text (escaped).
 */
export function withHotlineLinks(paragraph: string, line: { phone: string; text: string }): Html {
  const links: [string, string][] = [
    [line.phone, `tel:+1${line.phone.replace(/\D/g, '').replace(/^1/, '')}`],
    [line.text, `sms:${line.text.replace(/\D/g, '')}`],
    ['911', 'tel:911'],
  ];
  const parts: (string | Html)[] = [];
  let rest = paragraph;
  for (;;) {
    const next = links
      .map(([words, href]) => ({ at: words ? rest.search(new RegExp(`(?<![\\d-])${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d-])`)) : -1, words, href }))
      .filter((l) => l.at >= 0)
      .sort((a, b) => a.at - b.at)[0];
    if (!next) break;
    parts.push(rest.slice(0, next.at), html`<a href="${next.href}">${next.words}</a>`);
    rest = rest.slice(next.at + next.words.length);
  }
  parts.push(rest);
  return html`${parts}`;
}

function helpBody(lang: Lang, line: { phone: string; text: string }) {
  const h = words('help', lang);
  return html`<h1>${h('title')}</h1>
<div class="usa-alert usa-alert--emergency" role="region" aria-label="911"><div class="usa-alert__body"><p class="usa-alert__text"><strong>${h('danger')} <a class="usa-link" href="tel:911">911</a>.</strong></p></div></div>
<h2>${h('hotline')}</h2>
<p class="usa-intro">${hotlineLinks(lang, line)}</p>
<p>${h('hotlineText')}</p>
<h2>${h('signsTitle')}</h2>
<ul class="usa-list">${list(lang, 'help.signs').map((s) => html`<li>${s}</li>`)}</ul>
<h2>${h('tipTitle')}</h2>
<p>${h('tipText')} <a class="usa-link" href="${withLang('/tip', lang)}">${h('tipLink')}</a>.</p>
${raw('')}`;
}
