import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { escapeHtml, html, raw } from '../../lib/html.ts';
import { notFound } from '../../lib/errors.ts';
import { heading, pageFooters, paragraph, taggedPdf } from '../../lib/pdf.ts';
import { language, publicPressReleaseDto } from '../../../common/schemas/disclosure.ts';
import type { Lang } from './ap-style.ts';
import { apDate } from './ap-style.ts';
import { hotline } from './hotline.ts';
import { publicPressRelease, publicPressReleases } from './press-releases.service.ts';
import { PUBLIC_TEXT, langOf, publicPage, withLang } from './public-layout.ts';

const publicRate = { max: 120, timeWindow: '1 minute' };
const langQuery = z.object({ lang: language.optional() });
const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,100}$/, { message: 'must be a press release address' }) });

const WORDS = {
  en: {
    news: 'News',
    newsLead: 'Press releases of the task force. Counts only: no one contacted in an operation is ever named.',
    none: 'No press releases have been published yet.',
    published: 'Published',
    correction: 'Correction',
    pdf: 'Download as PDF',
    notFound: 'No press release at this address.',
    allNews: 'All news',
    feed: 'Subscribe (Atom feed)',
  },
  es: {
    news: 'Noticias',
    newsLead: 'Comunicados de prensa del grupo de trabajo. Solo cifras: nunca se nombra a nadie contactado en un operativo.',
    none: 'Todavía no se ha publicado ningún comunicado de prensa.',
    published: 'Publicado',
    correction: 'Corrección',
    pdf: 'Descargar en PDF',
    notFound: 'No hay ningún comunicado de prensa en esta dirección.',
    allNews: 'Todas las noticias',
    feed: 'Suscribirse (fuente Atom)',
  },
} as const;

/** Dates as AP prints them, on the calendar of the task force's time zone (ctx.jurisdiction). */
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

  const html404 = async (reply: FastifyReply, lang: Lang, path: string) =>
    reply
      .status(404)
      .type('text/html; charset=utf-8')
      .send(publicPage({ lang, title: WORDS[lang].notFound, path, current: 'news', hotline: await hotline(ctx.db), body: html`<h1>${WORDS[lang].notFound}</h1><p><a href="${withLang('/news', lang)}">${WORDS[lang].allNews}</a></p>` }));

  app.get('/news', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const w = WORDS[lang];
    const releases = await publicPressReleases(ctx.db, lang);
    const body = html`<h1>${w.news}</h1>
<p class="usa-intro">${w.newsLead}</p>
${
  releases.length
    ? html`<ul class="lantern-release-list">${releases.map(
        (r) => html`<li><h2 class="margin-0"><a href="${withLang(`/news/${r.slug}`, lang)}">${r.title}</a></h2><p class="lantern-meta margin-0">${w.published} <time datetime="${r.publishedAt}">${dateOf(r.publishedAt, lang)}</time>${r.corrections.length ? html` · ${w.correction}` : ''}</p></li>`,
      )}</ul>`
    : html`<div class="usa-alert usa-alert--info usa-alert--slim"><div class="usa-alert__body"><p class="usa-alert__text">${w.none}</p></div></div>`
}
<p><a href="${withLang('/news/feed.atom', lang)}">${w.feed}</a></p>`;
    return reply
      .type('text/html; charset=utf-8')
      .send(publicPage({ lang, title: w.news, path: '/news', current: 'news', body, hotline: await hotline(ctx.db), head: html`<link rel="alternate" type="application/atom+xml" href="${withLang('/news/feed.atom', lang)}" title="${w.news}">` }));
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
      .send(`<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}"><id>${x(self)}</id><title>${x(`${PUBLIC_TEXT[lang].site} — ${WORDS[lang].news}`)}</title><link rel="self" href="${x(self)}"/><updated>${x(updated)}</updated>${entries}</feed>\n`);
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
      .send(`<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${x(`${PUBLIC_TEXT[lang].site} — ${WORDS[lang].news}`)}</title><link>${x(`${base}${withLang('/news', lang)}`)}</link><description>${x(WORDS[lang].newsLead)}</description><language>${lang}</language>${items}</channel></rss>\n`);
  });

  app.get('/news/:slug', { schema: { hide: true, params: z.object({ slug: z.string().max(120) }), querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const w = WORDS[lang];
    const pdf = request.params.slug.endsWith('.pdf');
    const slug = pdf ? request.params.slug.slice(0, -4) : request.params.slug;
    if (!/^[a-z0-9-]{1,100}$/.test(slug)) return html404(reply, lang, '/news');
    const release = await publicPressRelease(ctx.db, slug, lang);
    if (!release) return html404(reply, lang, `/news/${slug}`);
    const line = await hotline(ctx.db);
    if (pdf) {
      const doc = taggedPdf({ title: release.title, lang: lang === 'en' ? 'en-US' : 'es-US', subject: w.news, author: PUBLIC_TEXT[lang].site });
      heading(doc, release.title, 1);
      paragraph(doc, `${w.published} ${dateOf(release.publishedAt, lang)}`, { size: 9 });
      for (const c of release.corrections) paragraph(doc, `${w.correction} (${dateOf(c.correctedAt, lang)}): ${c.note}`, { italic: true });
      for (const p of paragraphs(release.body)) paragraph(doc, p);
      pageFooters(doc, `${PUBLIC_TEXT[lang].hotlineLead}: ${line.phone} · ${PUBLIC_TEXT[lang].text} ${line.text} · 911`);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${slug}${lang === 'es' ? '-es' : ''}.pdf"`)
        .send(await doc.finish());
    }
    const body = html`<article class="lantern-release">
<h1>${release.title}</h1>
<p class="lantern-meta">${w.published} <time datetime="${release.publishedAt}">${dateOf(release.publishedAt, lang)}</time></p>
${release.corrections.map((c) => html`<div class="lantern-correction" role="note"><p class="margin-0"><strong>${w.correction}</strong> (<time datetime="${c.correctedAt}">${dateOf(c.correctedAt, lang)}</time>): ${c.note}</p></div>`)}
${paragraphs(release.body).map((p) => html`<p>${p}</p>`)}
<p class="lantern-no-print"><a class="usa-button usa-button--outline" href="${withLang(`/news/${slug}.pdf`, lang)}">${w.pdf}</a> <a href="${withLang('/news', lang)}">${w.allNews}</a></p>
</article>`;
    return reply.type('text/html; charset=utf-8').send(publicPage({ lang, title: release.title, path: `/news/${slug}`, current: 'news', body, hotline: line, description: paragraphs(release.body)[0]?.slice(0, 200) }));
  });

  app.get('/help', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const line = await hotline(ctx.db);
    return reply.type('text/html; charset=utf-8').send(publicPage({ lang, title: HELP[lang].title, path: '/help', current: 'help', hotline: line, body: helpBody(lang, line) }));
  });

  app.get('/tips', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const lang = langOf(request.query);
    const line = await hotline(ctx.db);
    const t = TIPS[lang];
    const body = html`<h1>${t.title}</h1><p class="usa-intro">${t.lead}</p>
<ul><li>${t.call} <a href="tel:+1${line.phone.replace(/\D/g, '').replace(/^1/, '')}">${line.phone}</a> ${t.or} ${t.text} <strong>${line.text}</strong>.</li><li>${t.emergency}</li></ul>`;
    return reply.type('text/html; charset=utf-8').send(publicPage({ lang, title: t.title, path: '/tips', current: 'tip', hotline: line, body }));
  });
}

const HELP = {
  en: {
    title: 'Get help',
    danger: 'If you or someone else is in immediate danger, call',
    hotline: 'National Human Trafficking Hotline',
    hotlineText: 'Confidential, free, open 24 hours a day, in more than 200 languages.',
    call: 'Call',
    textUs: 'Text',
    signsTitle: 'Signs that someone may be trafficked',
    signs: [
      'Is not free to come and go, or is never alone; someone else speaks for them.',
      'Works very long hours, is unpaid or paid very little, or owes a large debt to an employer.',
      'Lives where they work, or in a place with locks, covered windows or a buzz-in door.',
      'Has no control of their identity documents, money or phone.',
      'Shows fear, anxiety, or signs of physical abuse, and avoids eye contact or questions.',
      'Is under 18 and is involved in commercial sex, whatever they say about it.',
    ],
    tipTitle: 'Share what you know',
    tipText: 'You can report what you have seen to the task force, anonymously if you wish.',
    tipLink: 'Report a tip',
  },
  es: {
    title: 'Obtener ayuda',
    danger: 'Si usted u otra persona está en peligro inmediato, llame al',
    hotline: 'Línea Nacional contra la Trata de Personas',
    hotlineText: 'Confidencial, gratuita, abierta las 24 horas, en más de 200 idiomas.',
    call: 'Llame al',
    textUs: 'Envíe un texto al',
    signsTitle: 'Señales de que alguien puede ser víctima de trata',
    signs: [
      'No puede entrar y salir libremente, o nunca está sola; otra persona habla por ella.',
      'Trabaja jornadas muy largas, no recibe pago o recibe muy poco, o debe una gran deuda a quien la emplea.',
      'Vive donde trabaja, o en un lugar con cerraduras, ventanas cubiertas o puerta con timbre de acceso.',
      'No controla sus documentos de identidad, su dinero ni su teléfono.',
      'Muestra miedo, ansiedad o señales de maltrato físico, y evita el contacto visual o las preguntas.',
      'Es menor de 18 años y participa en sexo comercial, diga lo que diga al respecto.',
    ],
    tipTitle: 'Comparta lo que sabe',
    tipText: 'Puede informar al grupo de trabajo lo que ha visto, de forma anónima si lo desea.',
    tipLink: 'Enviar información',
  },
} as const;

function helpBody(lang: Lang, line: { phone: string; text: string }) {
  const h = HELP[lang];
  const tel = `tel:+1${line.phone.replace(/\D/g, '').replace(/^1/, '')}`;
  return html`<h1>${h.title}</h1>
<div class="usa-alert usa-alert--emergency" role="region" aria-label="911"><div class="usa-alert__body"><p class="usa-alert__text"><strong>${h.danger} <a href="tel:911">911</a>.</strong></p></div></div>
<h2>${h.hotline}</h2>
<p class="usa-intro">${h.call} <a href="${tel}">${line.phone}</a> · ${h.textUs} <strong>${line.text}</strong></p>
<p>${h.hotlineText}</p>
<h2>${h.signsTitle}</h2>
<ul class="usa-list">${h.signs.map((s) => html`<li>${s}</li>`)}</ul>
<h2>${h.tipTitle}</h2>
<p>${h.tipText} <a href="${withLang('/tips', lang)}">${h.tipLink}</a>.</p>
${raw('')}`;
}

const TIPS = {
  en: {
    title: 'Report a tip',
    lead: 'The online tip form is coming soon. Until then, please share what you know with the National Human Trafficking Hotline:',
    call: 'Call',
    or: 'or',
    text: 'text',
    emergency: 'If someone is in immediate danger, call 911.',
  },
  es: {
    title: 'Enviar información',
    lead: 'El formulario en línea estará disponible pronto. Mientras tanto, comparta lo que sabe con la Línea Nacional contra la Trata de Personas:',
    call: 'Llame al',
    or: 'o',
    text: 'envíe un texto al',
    emergency: 'Si alguien está en peligro inmediato, llame al 911.',
  },
} as const;
