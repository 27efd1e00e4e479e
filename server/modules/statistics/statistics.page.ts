import { html, raw, type Html } from '../../lib/html.ts';
import { csvRow } from '../../lib/csv.ts';
import { COUNTY_FAMILIES, FAMILIES } from '../disclosure/statistics.cells.ts';
import type { Lang } from '../disclosure/ap-style.ts';
import { publicPage, withLang, type PublicFrame } from '../disclosure/public-layout.ts';
import { STAT_FAMILIES, type StatFamily } from '../../../common/schemas/statistics.ts';
import type { Jurisdiction } from '../../lib/jurisdiction.ts';
import { has, t, type Catalog, type MessageKey } from '../../lib/i18n.ts';
import { responsiveBarChart } from './statistics.chart.ts';
import { countyMap, mapLegend, type MapCounty } from './statistics.map.ts';
import type { ReleaseView, ViewCell } from './statistics.service.ts';

/**
 * The public statistics page `/statistics` and its CSV (issue #4, item 4; issue #8): server-rendered,
 * complete without JavaScript, English and Spanish. One family and one year at a time, statewide by
 * quarter (and the year, once it has ended), with a map and table by county for a year that has ended:
 * of businesses closed when that is the family shown, else of operations. Every hidden count reads the same word ("withheld"), whether it was hidden for being
 * under 5 or to protect another: a label that told them apart would tell a reader which hidden counts
 * are small. The CSV is built from the same list of shown cells as the tables, so it is exactly what
 * the page shows.
 */

/**
 * The page's words in `lang`, from the `statistics` section of server/i18n/en.json and es.json: `text`
 * for one message (with its `{{values}}`), and the labels built from data (families, categories,
 * quarters, map ranges).
 */
function statWords(lang: Lang) {
  const text = (key: Exclude<keyof Catalog['statistics'], 'families' | 'categories' | 'explain' | 'businessesByCounty'>, values?: Record<string, string | number>) =>
    t(lang, `statistics.${key}`, values);
  return {
    text,
    family: (f: StatFamily) => t(lang, `statistics.families.${f}`),
    /** The county map's heading, description and legend: businesses closed have their own, every other family shows operations. */
    countyMap: (f: StatFamily) =>
      f === 'businesses_closed'
        ? { heading: t(lang, 'statistics.businessesByCounty.mapHeading'), desc: t(lang, 'statistics.businessesByCounty.mapDesc'), legend: t(lang, 'statistics.businessesByCounty.legend') }
        : { heading: text('mapHeading'), desc: text('mapDesc'), legend: text('legend') },
    /** A category's name; one the catalog does not name is shown as it is. */
    category: (c: string) => (has(lang, `statistics.categories.${c}`) ? t(lang, `statistics.categories.${c}` as MessageKey) : c),
    explain: (zone: string) => [
      t(lang, 'statistics.explain.small'),
      t(lang, 'statistics.explain.withheld'),
      t(lang, 'statistics.explain.same'),
      t(lang, 'statistics.explain.periods'),
      t(lang, 'statistics.explain.fixed'),
      t(lang, 'statistics.explain.counting', { zone }),
    ],
    range: (from: number, to: number | null) => (to === null ? text('rangeFrom', { from }) : text('range', { from, to })),
    quarter: (q: string) => text('quarter', { quarter: q.slice(5), year: q.slice(0, 4) }),
    partialYear: (year: string, from: string, through: string) => text('partialYear', { year, from: from.slice(5), through: through.slice(5) }),
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
  /** What the page prints: the number, or "withheld" for every hidden count alike. */
  text: string;
}

/** The county table (and map): a family published by county, by county in a year that has ended. */
export interface ShownCounties {
  /** Businesses closed when that is the family shown; operations for every other family. */
  family: StatFamily;
  year: string;
  periodLabel: string;
  rows: ShownCell[];
  /** The statewide year total of the family: the table's footer. */
  total: ShownCell;
}

export interface Shown {
  family: StatFamily;
  year: string;
  /** The year's fourth quarter is published: its year cells are shown. */
  ended: boolean;
  /** Table "By quarter": a row per category (and the total), a column per quarter (and the year, once ended). */
  columns: { period: string; label: string }[];
  quarterRows: { category: string; label: string; cells: ShownCell[] }[];
  /** The year total, statewide; null while the year has not ended. */
  total: ShownCell | null;
  /** The county figures (see {@link ShownCounties}) in the selected year if it has ended, else the newest year that has; null when none has. */
  counties: ShownCounties | null;
}

const formatNumber = (n: number, lang: Lang) => n.toLocaleString(lang === 'es' ? 'es-US' : 'en-US');

/** The families in the order the page prefers to open on: persons contacted first, then the rest. */
const PREFERRED: readonly StatFamily[] = ['persons', ...STAT_FAMILIES.filter((f) => f !== 'persons')];

/** For each year of a release, the families with at least one figure shown (not withheld); worked out once per release. */
const shownByYear = new WeakMap<ReleaseView, Map<string, Set<StatFamily>>>();
export function familiesShown(view: ReleaseView): Map<string, Set<StatFamily>> {
  let found = shownByYear.get(view);
  if (!found) {
    found = new Map(view.years.map((y) => [y, new Set<StatFamily>()]));
    for (const c of view.cells) if (!c.suppressed) found.get(c.dimensions.period.slice(0, 4))?.add(c.dimensions.family);
    shownByYear.set(view, found);
  }
  return found;
}

/**
 * The selection the page opens on (issue #9, item 13): the newest year with a figure shown, not an
 * empty current year whose every count is withheld; persons contacted when that year shows some, else
 * the first family that does. A family or year asked for is kept, and the other part chosen to go with it.
 */
export function selection(view: ReleaseView, query: { family?: StatFamily | undefined; year?: string | undefined }) {
  const shown = familiesShown(view);
  const newestFirst = [...view.years].reverse();
  if (query.year) {
    const families = shown.get(query.year);
    return { family: query.family ?? PREFERRED.find((f) => families?.has(f)) ?? 'persons', year: query.year };
  }
  const families = query.family ? [query.family] : PREFERRED;
  for (const year of newestFirst) {
    const family = families.find((f) => shown.get(year)?.has(f));
    if (family) return { family, year };
  }
  return { family: query.family ?? 'persons', year: view.years.at(-1)! };
}

/** The front door's sentence on the statistics: the newest release, and the year the page opens on. */
export function statisticsSummary(j: Jurisdiction, view: ReleaseView | null, lang: Lang): string {
  const w = statWords(lang);
  if (!view) return w.text('empty');
  const sel = selection(view, {});
  return `${w.text('release', { seq: view.seq, date: longDate(j, view.publishedAt, lang), from: w.quarter(view.quarters[0]!), through: w.quarter(view.quarters.at(-1)!) })} ${w.text('opensOn', { year: sel.year })}`;
}

/** The years of the release whose fourth quarter is published, oldest first: the ones with year and county cells. */
export const endedYears = (view: Pick<ReleaseView, 'quarters' | 'years'>) => view.years.filter((y) => view.quarters.includes(`${y}Q4`));

/** The figures of one release, looked up by family, county, category and period. */
function cellFinder(j: Jurisdiction, view: ReleaseView, lang: Lang) {
  const w = statWords(lang);
  const index = new Map<string, ViewCell>();
  for (const c of view.cells) index.set(`${c.dimensions.family}|${c.dimensions.county}|${c.dimensions.category}|${c.dimensions.period}`, c);
  /**
   * A year's period as the cells spell it: a year with one published quarter has no separate year cells
   * (they would be the quarter's, listed once), so the quarter's are used.
   */
  const yearOf = (year: string) => {
    const quarters = view.quarters.filter((q) => q.startsWith(year));
    const period = quarters.length === 1 ? quarters[0]! : year;
    const label = quarters.length === 4 ? year : quarters.length === 1 ? w.quarter(quarters[0]!) : w.partialYear(year, quarters[0]!, quarters.at(-1)!);
    return { quarters, period, label };
  };
  const cellAt = (family: StatFamily, county: string, category: string, period: string, periodLabel: string): ShownCell => {
    const c = index.get(`${family}|${county}|${category}|${period}`);
    // A cell the release does not have is shown as hidden, never as a number (or a zero) it did not publish.
    const value = c && !c.suppressed ? c.value : null;
    return {
      period,
      periodLabel,
      county,
      countyLabel: county === 'all' ? j.state.name[lang] : j.countyName(county, lang),
      category,
      categoryLabel: w.category(category),
      value,
      text: value !== null ? formatNumber(value, lang) : w.text('withheld'),
    };
  };
  return { yearOf, cellAt };
}

/** A family published by county shows its own counties; the others show operations by county. */
export const countyFamilyOf = (family: StatFamily): StatFamily => ((COUNTY_FAMILIES as readonly string[]).includes(family) ? family : 'operations');

/** The figures of one family and year, and the county figures the page shows with them, looked up in the release. */
export function shownCells(j: Jurisdiction, view: ReleaseView, family: StatFamily, year: string, lang: Lang): Shown {
  const w = statWords(lang);
  const { yearOf, cellAt } = cellFinder(j, view, lang);
  const y = yearOf(year);
  const ended = endedYears(view).includes(year);
  const periodLabel = (p: string) => (ended && p === y.period ? y.label : w.quarter(p));
  const categories = FAMILIES[family] as readonly string[];
  const rows = categories.length > 1 ? [...categories, 'all'] : ['all'];
  const periods = ended && y.quarters.length > 1 ? [...y.quarters, year] : y.quarters;

  const mapYear = ended ? year : (endedYears(view).at(-1) ?? null);
  let counties: ShownCounties | null = null;
  if (mapYear) {
    const m = yearOf(mapYear);
    const names = [...j.countyFips].sort((a, b) => j.countyName(a, lang).localeCompare(j.countyName(b, lang), lang));
    const countyFamily = countyFamilyOf(family);
    counties = {
      family: countyFamily,
      year: mapYear,
      periodLabel: m.label,
      rows: names.map((county) => cellAt(countyFamily, county, 'all', m.period, m.label)),
      total: cellAt(countyFamily, 'all', 'all', m.period, m.label),
    };
  }
  return {
    family,
    year,
    ended,
    columns: periods.map((p) => ({ period: p, label: periodLabel(p) })),
    quarterRows: rows.map((category) => ({ category, label: w.category(category), cells: periods.map((p) => cellAt(family, 'all', category, p, periodLabel(p))) })),
    total: ended ? cellAt(family, 'all', 'all', y.period, y.label) : null,
    counties,
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
<select class="usa-select" id="stat-year" name="year">${[...view.years].reverse().map((y) => html`<option value="${y}"${y === year ? raw(' selected') : ''}>${familiesShown(view).get(y)?.has(family) ? y : w.text('yearAllWithheld', { year: y })}</option>`)}</select></div>
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

/** What the task force will count but does not record yet (tips): named, with no figures. */
function notCollected(lang: Lang): Html {
  const w = statWords(lang);
  return html`<section class="lantern-stat-not-collected" aria-labelledby="stat-not-collected-heading">
<h2 id="stat-not-collected-heading">${w.text('notCollectedHeading')}</h2>
<p>${w.text('notCollected')}</p>
</section>`;
}

const longDate = (j: Jurisdiction, iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { timeZone: j.timeZone, dateStyle: 'long' }).format(new Date(iso));

/** A family by county (businesses closed, else operations): the map, its legend and the table that carries its figures; or why there is none yet. */
function countySection(j: Jurisdiction, s: Shown, lang: Lang): Html {
  const w = statWords(lang);
  const words = w.countyMap(countyFamilyOf(s.family));
  const heading = html`<h3 id="stat-counties-heading">${words.heading}</h3>`;
  const c = s.counties;
  if (!c) return html`${heading}<p class="lantern-stat-no-map">${w.text('noMap')}</p>`;
  const familyLabel = w.family(c.family);
  const counties = new Map<string, MapCounty>(c.rows.map((r) => [r.county, { value: r.value, label: `${r.countyLabel}: ${r.text}` }]));
  return html`${heading}
${c.year === s.year ? '' : html`<p class="lantern-meta">${w.text('mapOtherYear', { year: s.year, mapYear: c.year })}</p>`}
<div class="lantern-stat-map-wrap">
${countyMap(j, { title: w.text('mapTitle', { state: j.state.name[lang], family: familyLabel, year: c.periodLabel }), description: words.desc, counties })}
${mapLegend({ caption: words.legend, hidden: w.text('hiddenLegend'), rangeLabel: w.range })}
</div>
<div class="usa-table-container--scrollable" tabindex="0" role="region" aria-labelledby="stat-table-counties-caption">
<table class="usa-table usa-table--striped lantern-stat-table" id="stat-table-counties">
<caption id="stat-table-counties-caption">${w.text('tableCounties', { family: familyLabel, year: c.periodLabel })}</caption>
<thead><tr><th scope="col">${w.text('county')}</th><th scope="col" class="lantern-figure">${c.periodLabel}</th></tr></thead>
<tbody>${c.rows.map((r) => html`<tr><th scope="row">${r.countyLabel}</th><td class="lantern-figure">${cellHtml(r)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${j.state.name[lang]}</th><td class="lantern-figure">${cellHtml(c.total)}</td></tr></tfoot>
</table></div>`;
}

/** The statistics page for a release and a selection (family, year), or its empty state. */
export async function statisticsPageBody(j: Jurisdiction, view: ReleaseView | null, sel: { family: StatFamily; year: string } | null, lang: Lang): Promise<Html> {
  const w = statWords(lang);
  const head = html`<h1>${w.text('title')}</h1><p class="usa-intro">${w.text('lead')}</p>`;
  if (!view || !sel) {
    return html`${head}
<div class="usa-alert usa-alert--info"><div class="usa-alert__body"><p class="usa-alert__text">${w.text('empty')}</p></div></div>
${explanation(j, lang)}
${notCollected(lang)}`;
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
  const quarterChart = await responsiveBarChart({
    id: 'stat-chart-quarters',
    label: w.text('chartQuarters', { family: familyLabel, year }),
    categories: s.columns.filter((c) => c.period.length === 6).map((c) => c.label),
    series: s.quarterRows
      .filter((r) => s.quarterRows.length === 1 || r.category !== 'all')
      .map((r) => ({ name: r.label, data: r.cells.filter((c) => c.period.length === 6).map((c) => c.value) })),
  });
  const years = endedYears(view).map((y) => shownCells(j, view, family, y, lang).total!);
  const yearChart = years.length
    ? await responsiveBarChart({ id: 'stat-chart-years', label: w.text('chartYears', { family: familyLabel }), categories: years.map((c) => c.periodLabel), series: [{ name: w.family(family), data: years.map((c) => c.value) }], height: 280 })
    : null;
  const csvHref = `/statistics.csv?${new URLSearchParams({ family, year, ...(lang === 'es' ? { lang } : {}) }).toString()}`;

  return html`${head}${meta}
${familyYearForm(view, family, year, lang)}
${explanation(j, lang)}
<h2 id="stat-heading">${w.text('heading', { family: familyLabel, year })}</h2>
<p class="lantern-stat-total">${s.total ? w.text('statewideTotal', { year: s.total.periodLabel, text: s.total.text }) : w.text('yearOpen', { year })}</p>

<h3>${w.text('quarterHeading')}</h3>
<figure class="lantern-chart-figure">${raw(quarterChart)}</figure>
<p class="lantern-meta">${w.text('hiddenNotDrawn')}</p>
<div class="usa-table-container--scrollable" tabindex="0" role="region" aria-labelledby="stat-table-quarters-caption">
<table class="usa-table usa-table--striped lantern-stat-table" id="stat-table-quarters">
<caption id="stat-table-quarters-caption">${w.text('tableQuarters', { family: familyLabel, year })}</caption>
<thead><tr><th scope="col">${w.text('category')}</th>${s.columns.map((c) => html`<th scope="col" class="lantern-figure">${c.label}</th>`)}</tr></thead>
<tbody>${s.quarterRows.map((r) => html`<tr><th scope="row">${r.label}</th>${r.cells.map((c) => html`<td class="lantern-figure">${cellHtml(c)}</td>`)}</tr>`)}</tbody>
</table></div>

${countySection(j, s, lang)}

<p><a class="usa-button usa-button--outline" href="${withLang(csvHref, lang)}" download>${w.text('csv')}</a></p>
${yearChart ? html`
<h3>${w.text('yearsHeading')}</h3>
<figure class="lantern-chart-figure">${raw(yearChart)}</figure>` : ''}
${notCollected(lang)}`;
}

/**
 * The CSV of exactly the figures of the page's tables, a row per figure (numbers plain, hidden ones in
 * the page's one word): the family's "By quarter" table, then the county table (businesses closed or
 * operations by county) with the statewide footer when the page shows it.
 */
export function statisticsCsv(j: Jurisdiction, view: ReleaseView, sel: { family: StatFamily; year: string }, lang: Lang): string {
  const w = statWords(lang);
  const s = shownCells(j, view, sel.family, sel.year, lang);
  const row = (family: StatFamily, c: ShownCell) => csvRow([w.family(family), c.periodLabel, c.countyLabel, c.categoryLabel, c.value ?? c.text]);
  let out = '\ufeff' + csvRow([w.text('statistic'), w.text('period'), w.text('county'), w.text('category'), w.text('count')]);
  for (const r of s.quarterRows) for (const c of r.cells) out += row(sel.family, c);
  if (s.counties) for (const c of [...s.counties.rows, s.counties.total]) out += row(s.counties.family, c);
  return out;
}

export async function statisticsPage(j: Jurisdiction, view: ReleaseView | null, sel: { family: StatFamily; year: string } | null, lang: Lang, frame: PublicFrame): Promise<string> {
  const w = statWords(lang);
  const path = sel ? `/statistics?${new URLSearchParams({ family: sel.family, year: sel.year }).toString()}` : '/statistics';
  return publicPage({ ...frame, lang, title: w.text('title'), path, current: 'statistics', description: w.text('lead'), body: await statisticsPageBody(j, view, sel, lang) });
}
