import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html } from '../lib/html.ts';
import { catalogs, LANGS, list, pluralSuffixes, t, type Lang } from '../lib/i18n.ts';
import { jurisdictionOf } from '../lib/jurisdiction.ts';
import { buildReleaseCells } from '../modules/disclosure/statistics.cells.ts';
import { statisticsCsv, statisticsPage } from '../modules/statistics/statistics.page.ts';
import type { ReleaseView, ViewCell } from '../modules/statistics/statistics.service.ts';
import { startTestEnv, type TestEnv } from '../test/harness.ts';

/**
 * The server's catalogs (issue #7, item 7): English and Spanish have the same messages, plural forms
 * as i18next asks for them in each language, the same `{{values}}`, and no page shows a raw key.
 */

const PLURAL = /_(zero|one|two|few|many|other)$/;
type Catalog = Record<string, unknown>;

/** Every message of a catalog: its key, and its text (a list counts as one message, by its length). */
function messages(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(catalog)) {
    const key = `${prefix}${k}`;
    if (typeof v === 'string') out.set(key, v);
    else if (Array.isArray(v)) v.forEach((item, i) => out.set(`${key}[${i}]`, String(item)));
    else for (const [kk, vv] of messages(v as Catalog, `${key}.`)) out.set(kk, vv);
  }
  return out;
}

const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

/** What is wrong between an English and a Spanish catalog; empty when they agree. */
function catalogProblems(en: Catalog, es: Catalog): string[] {
  const problems: string[] = [];
  const byLang = { en: messages(en), es: messages(es) };
  /** base key → the plural suffixes it has ('' for a message without plural forms). */
  const forms = (lang: Lang) => {
    const m = new Map<string, string[]>();
    for (const key of byLang[lang].keys()) {
      const base = key.replace(PLURAL, '');
      m.set(base, [...(m.get(base) ?? []), key.slice(base.length)]);
    }
    return m;
  };
  const f = { en: forms('en'), es: forms('es') };
  for (const [lang, other] of [['en', 'es'], ['es', 'en']] as const) {
    for (const base of f[lang].keys()) if (!f[other].has(base)) problems.push(`${base} is in ${lang}.json, not in ${other}.json`);
  }
  for (const [base, enForms] of f.en) {
    const esForms = f.es.get(base);
    if (!esForms) continue;
    if (enForms.some(Boolean) || esForms.some(Boolean)) {
      for (const lang of LANGS) {
        const have = (lang === 'en' ? enForms : esForms).slice().sort();
        const want = pluralSuffixes(lang).slice().sort();
        if (have.join() !== want.join()) problems.push(`${base} in ${lang}.json has forms ${have.join(' ') || '(none)'}; i18next asks for ${want.join(' ')}`);
      }
    }
    for (const suffix of new Set([...enForms, ...esForms])) {
      const a = byLang.en.get(base + suffix) ?? byLang.en.get(`${base}_other`) ?? '';
      const b = byLang.es.get(base + suffix) ?? byLang.es.get(`${base}_other`) ?? '';
      if (variables(a).join() !== variables(b).join()) problems.push(`${base + suffix}: values {{${variables(a).join(', ')}}} in English, {{${variables(b).join(', ')}}} in Spanish`);
    }
  }
  return problems;
}

describe('the server catalogs', () => {
  it('English and Spanish have the same keys, plural forms and values', () => {
    expect(catalogProblems(catalogs.en, catalogs.es)).toEqual([]);
  });

  it('the check asks Spanish for a `many` form, and notices a missing key or value', () => {
    expect(pluralSuffixes('en')).toEqual(['_one', '_other']);
    expect(pluralSuffixes('es')).toEqual(['_one', '_many', '_other']);
    expect(catalogProblems({ a: { n_one: '{{count}} day', n_other: '{{count}} days' } }, { a: { n_one: '{{count}} día', n_other: '{{count}} días' } })).toEqual([
      'a.n in es.json has forms _one _other; i18next asks for _many _one _other',
    ]);
    expect(catalogProblems({ x: 'X', y: 'Y {{v}}' }, { y: 'Y' })).toEqual(['x is in en.json, not in es.json', 'y: values {{v}} in English, {{}} in Spanish']);
  });

  it('a message is text, filled in once and escaped once, by the HTML layer', () => {
    expect(t('es', 'statistics.noYear', { year: '2019' })).toBe('No se publicó nada para 2019. Elija uno de los años de la lista.');
    expect(html`<p>${t('en', 'statistics.noYear', { year: '<b>&' })}</p>`.value).toBe('<p>Nothing was published for &lt;b&gt;&amp;. Choose one of the years listed.</p>');
    expect(list('es', 'help.signs')).toHaveLength(6);
  });
});

/** Texts a reader sees (text nodes and the names of images and regions) that look like a catalog key. */
function rawKeys(page: string): string[] {
  const texts = [
    ...[...page.matchAll(/>([^<]+)</g)].map((m) => m[1]!.trim()),
    ...[...page.matchAll(/\b(?:aria-label|title|alt|content)="([^"]*)"/g)].map((m) => m[1]!.trim()),
  ];
  return [...texts.filter((s) => /^[a-z]+\.[a-zA-Z_.]+$/.test(s)), ...(page.includes('{{') ? ['{{'] : [])];
}

/** A small release laid out as Lantern lays one out: two years (2025 ended, 2026 not), three quarters, some counts hidden. */
function sampleView(): ReleaseView {
  const quarters = ['2025Q4', '2026Q1', '2026Q2'];
  const cells = buildReleaseCells({ counts: new Map(), quarters, counties: ['29095', '29101'] }).map((c, i): ViewCell => {
    const hidden = (i + 1) % 5 === 0;
    return {
      dimensions: { family: c.family, ...c.dimensions },
      value: hidden ? null : 5 + (i % 40),
      suppressed: hidden,
      reason: hidden ? (i % 10 === 0 ? 'complementary' : 'primary') : null,
    };
  });
  return { id: 'sample', seq: 2, publishedAt: '2026-07-02T15:00:00Z', quarters, years: ['2025', '2026'], cells, rendered: new Map() };
}

describe('no public page shows a raw key', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv('sqlite');
  });
  afterAll(() => env.close());

  it('the check finds a raw key or an unfilled value', () => {
    expect(rawKeys('<h1>statistics.title</h1><p>Hello. 2.5</p><svg aria-label="public.site"></svg><p>{{year}}</p>')).toEqual(['statistics.title', 'public.site', '{{']);
  });

  it.each(['/', '/news', '/news/no-such-release', '/help', '/tip', '/statistics', '/no-such-page'].flatMap((p) => [p, `${p}?lang=es`]))('%s', async (url) => {
    const res = await env.app.inject({ method: 'GET', url });
    expect(res.headers['content-type']).toContain('text/html');
    expect(rawKeys(res.body)).toEqual([]);
  });

  it.each(LANGS)('the statistics page with figures, and its CSV (%s)', async (lang) => {
    const j = jurisdictionOf('MO', 'America/Chicago');
    const view = sampleView();
    const frame = { hotline: { phone: '1-888-373-7888', text: '233733' }, site: { name: { en: t('en', 'public.site'), es: t('es', 'public.site') }, mark: null } };
    for (const sel of [{ family: 'persons' as const, year: '2026' }, { family: 'services' as const, year: '2025' }, { family: 'operations' as const, year: '1999' }]) {
      const page = await statisticsPage(j, view, sel, lang, frame);
      expect(page).toContain(t(lang, `statistics.families.${sel.family}`));
      expect(rawKeys(page)).toEqual([]);
    }
    const csv = statisticsCsv(j, view, { family: 'outcomes', year: '2026' }, lang);
    expect(csv).not.toMatch(/statistics\.|\{\{/);
    expect(csv).toContain(lang === 'en' ? 'Q1 2026' : 'T1 2026');
  });
});
