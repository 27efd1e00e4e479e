import { html, raw, type Html } from '../../lib/html.ts';
import { csvRow } from '../../lib/csv.ts';
import { FAMILIES } from '../disclosure/statistics.cells.ts';
import type { Lang } from '../disclosure/ap-style.ts';
import { publicPage, withLang } from '../disclosure/public-layout.ts';
import { STAT_FAMILIES, type StatFamily } from '../../../common/schemas/statistics.ts';
import type { Jurisdiction } from '../../lib/jurisdiction.ts';
import { has, t, type Catalog, type MessageKey } from '../../lib/i18n.ts';
import { barChartSvg } from './statistics.chart.ts';
import { countyMap, mapLegend, type MapCounty } from './statistics.map.ts';
import type { ReleaseView, SuppressionReason, ViewCell } from './statistics.service.ts';

/**
 * The public statistics page `/statistics` and its CSV (issue #4, item 4): server-rendered, complete
 * without JavaScript, English and Spanish. One family and one year at a time: a county map, charts, and
 * the tables that carry every figure the map and charts show. The CSV is built from the same list of
 * shown cells as the tables, so it is exactly what the page shows.
 */

/**
 * The page's words in `lang`, from the `statistics` section of server/i18n/en.json and es.json: `text`
 * for one message (with its `{{values}}`), and the labels built from data (families, categories,
 * quarters, map ranges).
 */
function statWords(lang: Lang) {
  const text = (key: Exclude<keyof Catalog['statistics'], 'families' | 'categories' | 'explain'>, values?: Record<string, string | number>) =>
    t(lang, `statistics.${key}`, values);
  return {
    text,
    family: (f: StatFamily) => t(lang, `statistics.families.${f}`),
    /** A category's name; one the catalog does not name is shown as it is. */
    category: (c: string) => (has(lang, `statistics.categories.${c}`) ? t(lang, `statistics.categories.${c}` as MessageKey) : c),
    explain: (zone: string) => [
      t(lang, 'statistics.explain.small'),
      t(lang, 'statistics.explain.withheld'),
      t(lang, 'statistics.explain.fixed'),
      t(lang, 'statistics.explain.counting', { zone }),
    ],
    range: (from: number, to: number | null) => (to === null ? text('rangeFrom', { from }) : text('range', { from, to })),
    quarter: (q: string) => text('quarter', { quarter: q.slice(5), year: q.slice(0, 4) }),
    yearToDate: (year: string, from: string, through: string) => text('yearToDate', { year, from: from.slice(5), through: through.slice(5) }),
  };
}

/** One figure as the page shows it. */
export interface ShownCell {
  period: string;
  periodLabel: string;
  county: string;
  countyLabel: string;
  category: string;
  categoryLabel: string;
  /** null when hidden. */
  value: number | null;
  reason: SuppressionReason | null;
  /** What the page prints: the number, "fewer than 5" or "withheld". */
  text: string;
}

export interface Shown {
  family: StatFamily;
  year: string;
  /** Table "By quarter": a row per category (and the total), a column per quarter (and the year). */
  columns: { period: string; label: string }[];
  quarterRows: { category: string; label: string; cells: ShownCell[] }[];
  /** The year total, statewide. */
  total: ShownCell;
  /** Table "By county": the counties by name. */
  countyRows: ShownCell[];
}

const formatNumber = (n: number, lang: Lang) => n.toLocaleString(lang === 'es' ? 'es-US' : 'en-US');

/** Default selection: persons contacted in the newest year published. */
export function selection(view: ReleaseView, query: { family?: StatFamily | undefined; year?: string | undefined }) {
  return { family: query.family ?? 'persons', year: query.year ?? view.years.at(-1)! };
}

/**
 * The figures of one family and year, looked up in the release. A year with one published quarter has
 * no separate year cells (they would be the quarter's, listed once), so the quarter's are used.
 */
export function shownCells(j: Jurisdiction, view: ReleaseView, family: StatFamily, year: string, lang: Lang): Shown {
  const w = statWords(lang);
  const index = new Map<string, ViewCell>();
  for (const c of view.cells) if (c.dimensions.family === family && c.dimensions.period.startsWith(year)) index.set(`${c.dimensions.county}|${c.dimensions.category}|${c.dimensions.period}`, c);
  const quarters = view.quarters.filter((q) => q.startsWith(year));
  const yearPeriod = quarters.length === 1 ? quarters[0]! : year;
  const yearLabel = quarters.length === 4 ? year : quarters.length === 1 ? w.quarter(quarters[0]!) : w.yearToDate(year, quarters[0]!, quarters.at(-1)!);
  const periodLabel = (p: string) => (p === yearPeriod ? yearLabel : w.quarter(p));
  const cellAt = (county: string, category: string, period: string): ShownCell => {
    const c = index.get(`${county}|${category}|${period}`);
    const value = c && !c.suppressed ? c.value : null;
    const reason = c?.reason ?? (c ? null : 'complementary');
    return {
      period,
      periodLabel: periodLabel(period),
      county,
      countyLabel: county === 'all' ? j.state.name[lang] : j.countyName(county, lang),
      category,
      categoryLabel: w.category(category),
      value,
      reason: value === null ? reason : null,
      text: value !== null ? formatNumber(value, lang) : reason === 'primary' ? w.text('fewer') : w.text('withheld'),
    };
  };
  const categories = FAMILIES[family] as readonly string[];
  const rows = categories.length > 1 ? [...categories, 'all'] : ['all'];
  const periods = quarters.length > 1 ? [...quarters, year] : quarters;
  const counties = [...j.countyFips].sort((a, b) => j.countyName(a, lang).localeCompare(j.countyName(b, lang), lang));
  return {
    family,
    year,
    columns: periods.map((p) => ({ period: p, label: periodLabel(p) })),
    quarterRows: rows.map((category) => ({ category, label: w.category(category), cells: periods.map((p) => cellAt('all', category, p)) })),
    total: cellAt('all', 'all', yearPeriod),
    countyRows: counties.map((county) => cellAt(county, 'all', yearPeriod)),
  };
}

const cellHtml = (c: ShownCell) => (c.value === null ? html`<span class="lantern-suppressed">${c.text}</span>` : html`${c.text}`);

function familyYearForm(view: ReleaseView, family: StatFamily, year: string, lang: Lang): Html {
  const w = statWords(lang);
  return html`<form class="usa-form lantern-stat-form" method="get" action="/statistics">
${lang === 'es' ? raw('<input type="hidden" name="lang" value="es">') : ''}
<div class="lantern-stat-form__field"><label class="usa-label" for="stat-family">${w.text('family')}</label>
<select class="usa-select" id="stat-family" name="family">${STAT_FAMILIES.map((f) => html`<option value="${f}"${f === family ? raw(' selected') : ''}>${w.family(f)}</option>`)}</select></div>
<div class="lantern-stat-form__field"><label class="usa-label" for="stat-year">${w.text('year')}</label>
<select class="usa-select" id="stat-year" name="year">${[...view.years].reverse().map((y) => html`<option value="${y}"${y === year ? raw(' selected') : ''}>${y}</option>`)}</select></div>
<button class="usa-button" type="submit">${w.text('show')}</button>
</form>`;
}

function explanation(j: Jurisdiction, lang: Lang): Html {
  const w = statWords(lang);
  return html`<section class="usa-summary-box lantern-stat-explain" aria-labelledby="stat-explain-heading">
<div class="usa-summary-box__body"><h2 class="usa-summary-box__heading" id="stat-explain-heading">${w.text('explainTitle')}</h2>
<div class="usa-summary-box__text">${w.explain(j.timeZoneName(lang)).map((p) => html`<p>${p}</p>`)}</div></div>
</section>`;
}

const longDate = (j: Jurisdiction, iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { timeZone: j.timeZone, dateStyle: 'long' }).format(new Date(iso));

/** The statistics page for a release and a selection (family, year), or its empty state. */
export async function statisticsPageBody(j: Jurisdiction, view: ReleaseView | null, sel: { family: StatFamily; year: string } | null, lang: Lang): Promise<Html> {
  const w = statWords(lang);
  const head = html`<h1>${w.text('title')}</h1><p class="usa-intro">${w.text('lead')}</p>`;
  if (!view || !sel) {
    return html`${head}
<div class="usa-alert usa-alert--info"><div class="usa-alert__body"><p class="usa-alert__text">${w.text('empty')}</p></div></div>
${explanation(j, lang)}`;
  }
  const { family, year } = sel;
  const familyLabel = w.family(family);
  const meta = html`<p class="lantern-meta">${w.text('release', { seq: view.seq, date: longDate(j, view.publishedAt, lang), from: w.quarter(view.quarters[0]!), through: w.quarter(view.quarters.at(-1)!) })}</p>`;
  if (!view.years.includes(year)) {
    return html`${head}${meta}${familyYearForm(view, family, view.years.at(-1)!, lang)}
<div class="usa-alert usa-alert--warning"><div class="usa-alert__body"><p class="usa-alert__text">${w.text('noYear', { year })}</p></div></div>
${explanation(j, lang)}`;
  }
  const s = shownCells(j, view, family, year, lang);
  const counties = new Map<string, MapCounty>(s.countyRows.map((c) => [c.county, { value: c.value, label: `${c.countyLabel}: ${c.text}` }]));
  const quarterChart = await barChartSvg({
    id: 'stat-chart-quarters',
    label: w.text('chartQuarters', { family: familyLabel, year }),
    categories: s.columns.filter((c) => c.period.length === 6).map((c) => c.label),
    series: s.quarterRows
      .filter((r) => s.quarterRows.length === 1 || r.category !== 'all')
      .map((r) => ({ name: r.label, data: r.cells.filter((c) => c.period.length === 6).map((c) => c.value) })),
  });
  const years = view.years.map((y) => shownCells(j, view, family, y, lang).total);
  const yearChart = await barChartSvg({ id: 'stat-chart-years', label: w.text('chartYears', { family: familyLabel }), categories: years.map((c) => c.periodLabel), series: [{ name: w.family(family), data: years.map((c) => c.value) }], height: 280 });
  const csvHref = `/statistics.csv?${new URLSearchParams({ family, year, ...(lang === 'es' ? { lang } : {}) }).toString()}`;

  return html`${head}${meta}
${familyYearForm(view, family, year, lang)}
${explanation(j, lang)}
<h2 id="stat-heading">${w.text('heading', { family: familyLabel, year })}</h2>
<p class="lantern-stat-total">${w.text('statewideTotal', { year: s.total.periodLabel, text: s.total.text })}</p>

<h3>${w.text('mapHeading')}</h3>
<div class="lantern-stat-map-wrap">
${countyMap(j, { title: w.text('mapTitle', { state: j.state.name[lang], family: familyLabel, year: s.total.periodLabel }), description: w.text('mapDesc'), counties })}
${mapLegend({ caption: w.text('legend'), hidden: w.text('hiddenLegend'), rangeLabel: w.range })}
</div>

<h3>${w.text('quarterHeading')}</h3>
<figure class="lantern-chart-figure">${raw(quarterChart)}</figure>
<p class="lantern-meta">${w.text('hiddenNotDrawn')}</p>
<div class="usa-table-container--scrollable" tabindex="0" role="region" aria-labelledby="stat-table-quarters-caption">
<table class="usa-table usa-table--striped lantern-stat-table" id="stat-table-quarters">
<caption id="stat-table-quarters-caption">${w.text('tableQuarters', { family: familyLabel, year })}</caption>
<thead><tr><th scope="col">${w.text('category')}</th>${s.columns.map((c) => html`<th scope="col" class="lantern-figure">${c.label}</th>`)}</tr></thead>
<tbody>${s.quarterRows.map((r) => html`<tr><th scope="row">${r.label}</th>${r.cells.map((c) => html`<td class="lantern-figure">${cellHtml(c)}</td>`)}</tr>`)}</tbody>
</table></div>

<div class="usa-table-container--scrollable" tabindex="0" role="region" aria-labelledby="stat-table-counties-caption">
<table class="usa-table usa-table--striped lantern-stat-table" id="stat-table-counties">
<caption id="stat-table-counties-caption">${w.text('tableCounties', { family: familyLabel, year: s.total.periodLabel })}</caption>
<thead><tr><th scope="col">${w.text('county')}</th><th scope="col" class="lantern-figure">${s.total.periodLabel}</th></tr></thead>
<tbody>${s.countyRows.map((c) => html`<tr><th scope="row">${c.countyLabel}</th><td class="lantern-figure">${cellHtml(c)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${j.state.name[lang]}</th><td class="lantern-figure">${cellHtml(s.total)}</td></tr></tfoot>
</table></div>

<p><a class="usa-button usa-button--outline" href="${withLang(csvHref, lang)}" download>${w.text('csv')}</a></p>

<h3>${w.text('yearsHeading')}</h3>
<figure class="lantern-chart-figure">${raw(yearChart)}</figure>`;
}

/**
 * The CSV of exactly the figures of the page's two tables, a row per figure (numbers plain, hidden ones
 * in the page's words); the county table's statewide footer is the "By quarter" table's total, listed once.
 */
export function statisticsCsv(j: Jurisdiction, view: ReleaseView, sel: { family: StatFamily; year: string }, lang: Lang): string {
  const w = statWords(lang);
  const s = shownCells(j, view, sel.family, sel.year, lang);
  const family = w.family(sel.family);
  const row = (c: ShownCell) => csvRow([family, c.periodLabel, c.countyLabel, c.categoryLabel, c.value ?? c.text]);
  let out = '\ufeff' + csvRow([w.text('statistic'), w.text('period'), w.text('county'), w.text('category'), w.text('count')]);
  for (const r of s.quarterRows) for (const c of r.cells) out += row(c);
  for (const c of s.countyRows) out += row(c);
  return out;
}

export async function statisticsPage(j: Jurisdiction, view: ReleaseView | null, sel: { family: StatFamily; year: string } | null, lang: Lang, hotline: { phone: string; text: string }): Promise<string> {
  const w = statWords(lang);
  const path = sel ? `/statistics?${new URLSearchParams({ family: sel.family, year: sel.year }).toString()}` : '/statistics';
  return publicPage({ lang, title: w.text('title'), path, current: 'statistics', hotline, description: w.text('lead'), body: await statisticsPageBody(j, view, sel, lang) });
}
