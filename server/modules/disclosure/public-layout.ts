import type { FastifyRequest } from 'fastify';
import { html, page, raw, type Html } from '../../lib/html.ts';
import { t, type Catalog } from '../../lib/i18n.ts';
import type { Lang } from './ap-style.ts';
import type { PublicFrame } from './site.ts';

export { publicFrame, type PublicFrame } from './site.ts';

/** `?lang=es` selects Spanish; anything else is English. */
export const langOf = (query: unknown): Lang => ((query as { lang?: string } | null)?.lang === 'es' ? 'es' : 'en');

/**
 * The reader's language where a page has no address of its own to carry it (the front door `/`, a page
 * that does not exist): `?lang=` when given, else the browser's Accept-Language (the first of English
 * and Spanish it prefers), else English.
 */
export function readerLang(request: Pick<FastifyRequest, 'query' | 'headers'>): Lang {
  const asked = (request.query as { lang?: unknown } | null)?.lang;
  if (asked === 'es' || asked === 'en') return asked;
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return 'en';
  let best: { lang: Lang; q: number } | null = null;
  for (const part of header.split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary !== 'en' && primary !== 'es') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? 'en';
}

/** A link to the same page in the other language. */
export function withLang(path: string, lang: Lang) {
  const [p, q = ''] = path.split('?');
  const params = new URLSearchParams(q);
  if (lang === 'es') params.set('lang', 'es');
  else params.delete('lang');
  const qs = params.toString();
  return qs ? `${p}?${qs}` : p!;
}

/** A link that names its language even for English: for pages that otherwise follow the browser's. */
export function inLang(path: string, lang: Lang) {
  const [p, q = ''] = path.split('?');
  const params = new URLSearchParams(q);
  params.set('lang', lang);
  return `${p}?${params.toString()}`;
}

export interface PublicPageOptions extends PublicFrame {
  lang: Lang;
  title: string;
  /** This page's path without the language, for the language switch. */
  path: string;
  current?: 'home' | 'news' | 'statistics' | 'help' | 'tip';
  body: Html;
  description?: string;
  head?: Html;
}

/** A tap-to-call link's address: `tel:+18883737888` for 1-888-373-7888, `tel:911` for 911. */
export const telHref = (phone: string) => {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 3 ? `tel:${digits}` : `tel:+${digits.replace(/^(?!1)/, '1')}`;
};
/** A tap-to-text link's address: `sms:233733`. */
export const smsHref = (shortCode: string) => `sms:${shortCode.replace(/\D/g, '')}`;

/** "Call 1-888-373-7888 · Text 233733", each tap-to-call or tap-to-text. */
export function hotlineLinks(lang: Lang, line: PublicFrame['hotline']): Html {
  const w = (key: keyof Catalog['public']) => t(lang, `public.${key}`);
  return html`${w('call')} <a class="usa-link" href="${telHref(line.phone)}">${line.phone}</a> · <a class="usa-link" href="${smsHref(line.text)}">${w('text')} ${line.text}</a>`;
}

/**
 * The public site's frame (USWDS header with the task force's name and mark, navigation, footer with
 * the hotline), server-rendered and complete without JavaScript. Every page offers the other language
 * and the staff sign-in. Its words are in the `public` section of server/i18n/en.json and es.json.
 */
export function publicPage(o: PublicPageOptions): string {
  const w = (key: keyof Catalog['public']) => t(o.lang, `public.${key}`);
  const other: Lang = o.lang === 'en' ? 'es' : 'en';
  const name = o.site.name[o.lang];
  const nav = (key: 'news' | 'statistics' | 'help' | 'tip', href: string, label: string) =>
    html`<li class="usa-nav__primary-item"><a class="usa-nav-link${o.current === key ? ' usa-current' : ''}" href="${withLang(href, o.lang)}"${o.current === key ? raw(' aria-current="page"') : ''}><span>${label}</span></a></li>`;
  const body = html`<a class="usa-skipnav" href="#main-content">${w('skip')}</a>
<section class="usa-site-alert usa-site-alert--emergency usa-site-alert--slim" aria-label="${w('emergency')}">
  <div class="usa-alert"><div class="usa-alert__body"><p class="usa-alert__text">${w('emergencyLead')} <a class="usa-link" href="tel:911">911</a>. ${w('hotlineLead')}: ${hotlineLinks(o.lang, o.hotline)}</p></div></div>
</section>
<header class="usa-header usa-header--basic">
  <div class="usa-nav-container lantern-public-header">
    <div class="usa-navbar">
      <div class="usa-logo lantern-logo"><em class="usa-logo__text"><a href="${inLang('/', o.lang)}"${o.current === 'home' ? raw(' aria-current="page"') : ''}><img class="lantern-mark" src="${o.site.mark ?? '/static/lantern-mark.svg'}" alt="" width="40" height="40"><span>${name}</span></a></em></div>
    </div>
    <nav aria-label="${w('primaryNav')}" class="lantern-public-nav">
      <ul class="usa-nav__primary usa-accordion">
        ${nav('news', '/news', w('news'))}
        ${nav('statistics', '/statistics', w('statistics'))}
        ${nav('help', '/help', w('help'))}
        ${nav('tip', '/tip', w('tip'))}
        <li class="usa-nav__primary-item"><a class="usa-nav-link" href="${inLang(o.path, other)}" lang="${other}" hreflang="${other}"><span>${w('switchTo')}</span></a></li>
      </ul>
    </nav>
  </div>
</header>
<main id="main-content" class="lantern-report" tabindex="-1">
${o.body}
</main>
<footer class="usa-footer usa-footer--slim">
  <div class="usa-footer__primary-section"><div class="grid-container"><p>${w('footer')}</p></div></div>
  <div class="usa-footer__secondary-section"><div class="grid-container">
    <p><strong>${w('hotlineLead')}</strong>: ${hotlineLinks(o.lang, o.hotline)} · <a class="usa-link" href="tel:911">911</a></p>
    <p><a class="usa-link" href="/sign-in">${w('staffSignIn')}</a></p>
  </div></div>
</footer>`;
  return page({
    title: o.current === 'home' ? name : `${o.title} — ${name}`,
    lang: o.lang,
    body,
    ...(o.description ? { description: o.description } : {}),
    head: html`<link rel="alternate" hreflang="${other}" href="${inLang(o.path, other)}">${o.head ?? ''}`,
  });
}
