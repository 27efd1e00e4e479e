import { html, page, raw, type Html } from '../../lib/html.ts';
import type { Lang } from './ap-style.ts';

/** The words of the public site, in English and Spanish. */
export const PUBLIC_TEXT = {
  en: {
    site: 'Human trafficking task force',
    tagline: 'News, statistics and help',
    skip: 'Skip to main content',
    news: 'News',
    statistics: 'Statistics',
    help: 'Get help',
    tip: 'Report a tip',
    switchTo: 'Español',
    menu: 'Menu',
    close: 'Close',
    hotlineLead: 'National Human Trafficking Hotline',
    call: 'Call',
    text: 'Text',
    emergency: 'In immediate danger? Call 911.',
    footer: 'Public information of the task force. Statistics never identify anyone: small counts are not shown.',
  },
  es: {
    site: 'Grupo de trabajo contra la trata de personas',
    tagline: 'Noticias, estadísticas y ayuda',
    skip: 'Saltar al contenido principal',
    news: 'Noticias',
    statistics: 'Estadísticas',
    help: 'Obtener ayuda',
    tip: 'Enviar información',
    switchTo: 'English',
    menu: 'Menú',
    close: 'Cerrar',
    hotlineLead: 'Línea Nacional contra la Trata de Personas',
    call: 'Llame al',
    text: 'Envíe un texto al',
    emergency: '¿Está en peligro inmediato? Llame al 911.',
    footer: 'Información pública del grupo de trabajo. Las estadísticas nunca identifican a nadie: no se muestran los conteos pequeños.',
  },
} as const;

export type PublicText = (typeof PUBLIC_TEXT)[Lang];

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
 * complete without JavaScript. Every page offers the other language.
 */
export function publicPage(o: PublicPageOptions): string {
  const t = PUBLIC_TEXT[o.lang];
  const other: Lang = o.lang === 'en' ? 'es' : 'en';
  const nav = (key: 'news' | 'statistics' | 'help' | 'tip', href: string, label: string) =>
    html`<li class="usa-nav__primary-item"><a class="usa-nav-link${o.current === key ? ' usa-current' : ''}" href="${withLang(href, o.lang)}"${o.current === key ? raw(' aria-current="page"') : ''}><span>${label}</span></a></li>`;
  const body = html`<a class="usa-skipnav" href="#main-content">${t.skip}</a>
<section class="usa-site-alert usa-site-alert--emergency usa-site-alert--slim" aria-label="${t.emergency}">
  <div class="usa-alert"><div class="usa-alert__body"><p class="usa-alert__text">${t.emergency} ${t.hotlineLead}: <a href="${tel(o.hotline.phone)}">${o.hotline.phone}</a> · ${t.text} ${o.hotline.text}</p></div></div>
</section>
<header class="usa-header usa-header--basic">
  <div class="usa-nav-container lantern-public-header">
    <div class="usa-navbar">
      <div class="usa-logo"><em class="usa-logo__text"><a href="${withLang('/news', o.lang)}">${t.site}</a></em></div>
    </div>
    <nav aria-label="${o.lang === 'en' ? 'Primary navigation' : 'Navegación principal'}" class="lantern-public-nav">
      <ul class="usa-nav__primary usa-accordion">
        ${nav('news', '/news', t.news)}
        ${nav('statistics', '/statistics', t.statistics)}
        ${nav('help', '/help', t.help)}
        ${nav('tip', '/tips', t.tip)}
        <li class="usa-nav__primary-item"><a class="usa-nav-link" href="${withLang(o.path, other)}" lang="${other}" hreflang="${other}"><span>${t.switchTo}</span></a></li>
      </ul>
    </nav>
  </div>
</header>
<main id="main-content" class="lantern-report" tabindex="-1">
${o.body}
</main>
<footer class="usa-footer usa-footer--slim">
  <div class="usa-footer__primary-section"><div class="grid-container"><p>${t.footer}</p></div></div>
  <div class="usa-footer__secondary-section"><div class="grid-container">
    <p><strong>${t.hotlineLead}</strong>: ${t.call} <a href="${tel(o.hotline.phone)}">${o.hotline.phone}</a> · ${t.text} ${o.hotline.text} · 911</p>
  </div></div>
</footer>`;
  return page({
    title: `${o.title} — ${t.site}`,
    lang: o.lang,
    body,
    ...(o.description ? { description: o.description } : {}),
    head: html`<link rel="alternate" hreflang="${other}" href="${withLang(o.path, other)}">${o.head ?? ''}`,
  });
}
