import { html, page, raw, type Html } from '../../lib/html.ts';
import { t, type Catalog } from '../../lib/i18n.ts';
import type { Lang } from './ap-style.ts';

/** `?lang=es` selects Spanish; anything else is English. */
export const langOf = (query: unknown): Lang => ((query as { lang?: string } | null)?.lang === 'es' ? 'es' : 'en');

/** A link to the same page in the other language. */
export function withLang(path: string, lang: Lang) {
  const [p, q = ''] = path.split('?');
  const params = new URLSearchParams(q);
  if (lang === 'es') params.set('lang', 'es');
  else params.delete('lang');
  const qs = params.toString();
  return qs ? `${p}?${qs}` : p!;
}

export interface PublicPageOptions {
  lang: Lang;
  title: string;
  /** This page's path without the language, for the language switch. */
  path: string;
  current?: 'news' | 'statistics' | 'help' | 'tip';
  body: Html;
  description?: string;
  head?: Html;
  hotline: { phone: string; text: string };
}

const tel = (phone: string) => `tel:+${phone.replace(/\D/g, '').replace(/^(?!1)/, '1')}`;

/**
 * The public site's frame (USWDS header, navigation, footer with the hotline), server-rendered and
 * complete without JavaScript. Every page offers the other language. Its words are in the `public`
 * section of server/i18n/en.json and es.json.
 */
export function publicPage(o: PublicPageOptions): string {
  const w = (key: keyof Catalog['public']) => t(o.lang, `public.${key}`);
  const other: Lang = o.lang === 'en' ? 'es' : 'en';
  const nav = (key: 'news' | 'statistics' | 'help' | 'tip', href: string, label: string) =>
    html`<li class="usa-nav__primary-item"><a class="usa-nav-link${o.current === key ? ' usa-current' : ''}" href="${withLang(href, o.lang)}"${o.current === key ? raw(' aria-current="page"') : ''}><span>${label}</span></a></li>`;
  const body = html`<a class="usa-skipnav" href="#main-content">${w('skip')}</a>
<section class="usa-site-alert usa-site-alert--emergency usa-site-alert--slim" aria-label="${w('emergency')}">
  <div class="usa-alert"><div class="usa-alert__body"><p class="usa-alert__text">${w('emergency')} ${w('hotlineLead')}: <a href="${tel(o.hotline.phone)}">${o.hotline.phone}</a> · ${w('text')} ${o.hotline.text}</p></div></div>
</section>
<header class="usa-header usa-header--basic">
  <div class="usa-nav-container lantern-public-header">
    <div class="usa-navbar">
      <div class="usa-logo"><em class="usa-logo__text"><a href="${withLang('/news', o.lang)}">${w('site')}</a></em></div>
    </div>
    <nav aria-label="${w('primaryNav')}" class="lantern-public-nav">
      <ul class="usa-nav__primary usa-accordion">
        ${nav('news', '/news', w('news'))}
        ${nav('statistics', '/statistics', w('statistics'))}
        ${nav('help', '/help', w('help'))}
        ${nav('tip', '/tips', w('tip'))}
        <li class="usa-nav__primary-item"><a class="usa-nav-link" href="${withLang(o.path, other)}" lang="${other}" hreflang="${other}"><span>${w('switchTo')}</span></a></li>
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
    <p><strong>${w('hotlineLead')}</strong>: ${w('call')} <a href="${tel(o.hotline.phone)}">${o.hotline.phone}</a> · ${w('text')} ${o.hotline.text} · 911</p>
  </div></div>
</footer>`;
  return page({
    title: `${o.title} — ${w('site')}`,
    lang: o.lang,
    body,
    ...(o.description ? { description: o.description } : {}),
    head: html`<link rel="alternate" hreflang="${other}" href="${withLang(o.path, other)}">${o.head ?? ''}`,
  });
}
