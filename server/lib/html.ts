/**
 * Server-rendered HTML for the pages that must work without JavaScript (public pages, printable
 * reports). Every interpolated value is escaped unless it is itself `Html`.
 */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Value = Html | string | number | boolean | null | undefined | Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

export const raw = (s: string) => new Html(s);

export interface PageOptions {
  title: string;
  lang: 'en' | 'es';
  body: Html;
  description?: string;
  /** Extra <head> content (alternate links, feeds). */
  head?: Html;
  /** Marks internal documents so they are never indexed. */
  internal?: boolean;
}

/** A complete USWDS page, styled by the static USWDS stylesheet; no script is needed to read it. */
export function page(o: PageOptions): string {
  return `<!doctype html>
${html`<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
${o.internal ? raw('<meta name="robots" content="noindex, nofollow">') : ''}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/uswds/css/uswds.min.css">
<link rel="stylesheet" href="/static/lantern.css">
${o.head ?? ''}
</head>
<body>
${o.body}
</body>
</html>`}`;
}
