import { html, raw, type Html } from '../../lib/html.ts';
import { csvRow } from '../../lib/csv.ts';
import { FAMILIES } from '../disclosure/statistics.cells.ts';
import type { Lang } from '../disclosure/ap-style.ts';
import { publicPage, withLang } from '../disclosure/public-layout.ts';
import { STAT_FAMILIES, type StatFamily } from '../../../common/schemas/statistics.ts';
import type { Jurisdiction } from '../../lib/jurisdiction.ts';
import { barChartSvg } from './statistics.chart.ts';
import { countyMap, mapLegend, type MapCounty } from './statistics.map.ts';
import type { ReleaseView, SuppressionReason, ViewCell } from './statistics.service.ts';

/**
 * The public statistics page `/statistics` and its CSV (issue #4, item 4): server-rendered, complete
 * without JavaScript, English and Spanish. One family and one year at a time: a county map, charts, and
 * the tables that carry every figure the map and charts show. The CSV is built from the same list of
 * shown cells as the tables, so it is exactly what the page shows.
 */

const CATEGORY_WORDS: Record<Lang, Record<string, string>> = {
  en: {
    all: 'Total',
    suspect: 'Suspects',
    adult_victim: 'Adult potential victims',
    minor: 'Minors',
    witness: 'Witnesses',
    detained: 'Detained',
    arrested: 'Arrested with charges',
    cited: 'Cited',
    released: 'Released',
    offered_services: 'Offered services',
    protective_custody: 'Protective custody',
    food: 'Food',
    lodging: 'Lodging',
    medical: 'Onsite medical services',
    counseling: 'Counseling/therapy',
    drug_rehabilitation: 'Drug rehabilitation',
    shelter: 'Shelter',
    legal: 'Legal services',
    interpreter: 'Interpreter',
    immigration_relief: 'Immigration relief',
    transportation: 'Transportation',
    safety_planning: 'Safety planning',
  },
  es: {
    all: 'Total',
    suspect: 'Sospechosos',
    adult_victim: 'Posibles víctimas adultas',
    minor: 'Menores',
    witness: 'Testigos',
    detained: 'Detenidos',
    arrested: 'Arrestados con cargos',
    cited: 'Citados',
    released: 'Liberados',
    offered_services: 'Se les ofrecieron servicios',
    protective_custody: 'Custodia protectora',
    food: 'Alimentos',
    lodging: 'Alojamiento',
    medical: 'Servicios médicos en el lugar',
    counseling: 'Consejería/terapia',
    drug_rehabilitation: 'Rehabilitación de drogas',
    shelter: 'Refugio',
    legal: 'Servicios legales',
    interpreter: 'Intérprete',
    immigration_relief: 'Ayuda migratoria',
    transportation: 'Transporte',
    safety_planning: 'Planificación de seguridad',
  },
};

export const STAT_WORDS = {
  en: {
    title: 'Public statistics',
    lead: 'What the task force did, counted by county, year and quarter from closed operations. These numbers never identify anyone.',
    release: (seq: number, date: string, from: string, through: string) => `Release ${seq}, published ${date}. It covers ${from} through ${through}.`,
    families: {
      operations: 'Operations',
      persons: 'Persons contacted, by role',
      outcomes: 'Persons contacted, by outcome',
      services: 'Persons offered services, by service',
      children_protected: 'Children taken into protective custody',
      tips: 'Tips received',
      businesses_closed: 'Businesses closed',
    } satisfies Record<StatFamily, string>,
    family: 'What to count',
    year: 'Year',
    show: 'Show',
    fewer: 'fewer than 5',
    withheld: 'withheld',
    explainTitle: 'Why some numbers are hidden',
    explain: (zone: string) => [
      'A count under 5 is shown as “fewer than 5”. A small number can point to a person: in a small county, “two children in the fourth quarter” may be enough for neighbors to know who they are.',
      'Some larger counts are “withheld” too. Otherwise a hidden count could be worked out by subtraction: if a total and every other number that adds up to it were shown, the missing one would simply be the difference. Before each release Lantern checks it together with every earlier release, and hides enough numbers that no hidden count can be calculated, from this release or by comparing releases.',
      'Published quarters never change. A quarter is published only after it has ended, and its numbers stay exactly as first published. When a record is corrected later, the correction is counted in the quarter in which it was made, not in the original quarter.',
      `Operations are counted in the county of their first location and in the quarter in which they began (${zone}). A person offered several services is counted once for each service.`,
    ],
    heading: (family: string, year: string) => `${family}, ${year}`,
    statewideTotal: (year: string, text: string) => `Statewide, ${year}: ${text}.`,
    mapHeading: 'By county',
    mapTitle: (state: string, family: string, year: string) => `Map of ${state}’s counties: ${family}, ${year}`,
    mapDesc: 'Each county is shaded by its count; hidden counts are hatched in grey. The same figures are in the table “By county” below.',
    legend: 'Count',
    range: (from: number, to: number | null) => (to === null ? `${from} or more` : `${from} to ${to}`),
    hiddenLegend: 'Hidden (fewer than 5, or withheld)',
    quarterHeading: 'By quarter',
    chartQuarters: (family: string, year: string) => `Bar chart: ${family} in each quarter of ${year}. Hidden counts are not drawn. The same figures are in the table “By quarter”.`,
    chartYears: (family: string) => `Bar chart: ${family}, statewide, in each year published. Hidden counts are not drawn. The yearly totals are in the tables of each year.`,
    yearsHeading: 'Year by year',
    hiddenNotDrawn: 'Hidden counts are not drawn in the charts; the tables give every figure.',
    category: 'Category',
    county: 'County',
    period: 'Period',
    count: 'Count',
    family_: 'Statistic',
    tableQuarters: (family: string, year: string) => `${family}, statewide, by quarter of ${year}`,
    tableCounties: (family: string, year: string) => `${family}, by county, ${year}`,
    csv: 'Download these tables (CSV)',
    empty: 'No statistics have been published yet. The first release will appear here once a quarter with closed operations has ended and a public-information officer has published it.',
    noYear: (year: string) => `Nothing was published for ${year}. Choose one of the years listed.`,
    quarter: (q: string) => `Q${q.slice(5)} ${q.slice(0, 4)}`,
    yearToDate: (year: string, from: string, through: string) => `${year} (Q${from.slice(5)}–Q${through.slice(5)})`,
    yearLabel: (year: string) => year,
  },
  es: {
    title: 'Estadísticas públicas',
    lead: 'Lo que hizo el grupo de trabajo, contado por condado, año y trimestre a partir de los operativos cerrados. Estas cifras nunca identifican a nadie.',
    release: (seq: number, date: string, from: string, through: string) => `Publicación ${seq}, del ${date}. Abarca desde ${from} hasta ${through}.`,
    families: {
      operations: 'Operativos',
      persons: 'Personas contactadas, por rol',
      outcomes: 'Personas contactadas, por resultado',
      services: 'Personas a las que se ofrecieron servicios, por servicio',
      children_protected: 'Niños puestos bajo custodia protectora',
      tips: 'Denuncias recibidas',
      businesses_closed: 'Negocios cerrados',
    } satisfies Record<StatFamily, string>,
    family: 'Qué contar',
    year: 'Año',
    show: 'Mostrar',
    fewer: 'menos de 5',
    withheld: 'retenido',
    explainTitle: 'Por qué se ocultan algunas cifras',
    explain: (zone: string) => [
      'Un conteo menor de 5 se muestra como “menos de 5”. Un número pequeño puede señalar a una persona: en un condado pequeño, “dos niños en el cuarto trimestre” puede bastar para que los vecinos sepan quiénes son.',
      'Algunos conteos mayores también aparecen como “retenido”. De lo contrario, un conteo oculto podría calcularse restando: si se mostraran un total y todos los demás números que lo componen, el que falta sería simplemente la diferencia. Antes de cada publicación, Lantern la revisa junto con todas las publicaciones anteriores y oculta suficientes números para que ningún conteo oculto pueda calcularse, ni con esta publicación ni comparando publicaciones.',
      'Los trimestres publicados nunca cambian. Un trimestre se publica solo después de terminar, y sus cifras quedan exactamente como se publicaron por primera vez. Cuando un registro se corrige más tarde, la corrección se cuenta en el trimestre en que se hizo, no en el trimestre original.',
      `Los operativos se cuentan en el condado de su primer lugar y en el trimestre en que comenzaron (${zone}). Una persona a la que se ofrecieron varios servicios se cuenta una vez por cada servicio.`,
    ],
    heading: (family: string, year: string) => `${family}, ${year}`,
    statewideTotal: (year: string, text: string) => `En todo el estado, ${year}: ${text}.`,
    mapHeading: 'Por condado',
    mapTitle: (state: string, family: string, year: string) => `Mapa de los condados de ${state}: ${family}, ${year}`,
    mapDesc: 'Cada condado está sombreado según su conteo; los conteos ocultos aparecen rayados en gris. Las mismas cifras están en la tabla “Por condado” más abajo.',
    legend: 'Conteo',
    range: (from: number, to: number | null) => (to === null ? `${from} o más` : `de ${from} a ${to}`),
    hiddenLegend: 'Oculto (menos de 5, o retenido)',
    quarterHeading: 'Por trimestre',
    chartQuarters: (family: string, year: string) => `Gráfico de barras: ${family} en cada trimestre de ${year}. Los conteos ocultos no se dibujan. Las mismas cifras están en la tabla “Por trimestre”.`,
    chartYears: (family: string) => `Gráfico de barras: ${family}, en todo el estado, en cada año publicado. Los conteos ocultos no se dibujan. Los totales anuales están en las tablas de cada año.`,
    yearsHeading: 'Año por año',
    hiddenNotDrawn: 'Los conteos ocultos no se dibujan en los gráficos; las tablas dan todas las cifras.',
    category: 'Categoría',
    county: 'Condado',
    period: 'Período',
    count: 'Conteo',
    family_: 'Estadística',
    tableQuarters: (family: string, year: string) => `${family}, en todo el estado, por trimestre de ${year}`,
    tableCounties: (family: string, year: string) => `${family}, por condado, ${year}`,
    csv: 'Descargar estas tablas (CSV)',
    empty: 'Todavía no se han publicado estadísticas. La primera publicación aparecerá aquí cuando haya terminado un trimestre con operativos cerrados y un oficial de información pública la haya publicado.',
    noYear: (year: string) => `No se publicó nada para ${year}. Elija uno de los años de la lista.`,
    quarter: (q: string) => `T${q.slice(5)} ${q.slice(0, 4)}`,
    yearToDate: (year: string, from: string, through: string) => `${year} (T${from.slice(5)}–T${through.slice(5)})`,
    yearLabel: (year: string) => year,
  },
};

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
  const w = STAT_WORDS[lang];
  const index = new Map<string, ViewCell>();
  for (const c of view.cells) if (c.dimensions.family === family && c.dimensions.period.startsWith(year)) index.set(`${c.dimensions.county}|${c.dimensions.category}|${c.dimensions.period}`, c);
  const quarters = view.quarters.filter((q) => q.startsWith(year));
  const yearPeriod = quarters.length === 1 ? quarters[0]! : year;
  const yearLabel = quarters.length === 4 ? w.yearLabel(year) : quarters.length === 1 ? w.quarter(quarters[0]!) : w.yearToDate(year, quarters[0]!, quarters.at(-1)!);
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
      categoryLabel: CATEGORY_WORDS[lang][category] ?? category,
      value,
      reason: value === null ? reason : null,
      text: value !== null ? formatNumber(value, lang) : reason === 'primary' ? w.fewer : w.withheld,
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
    quarterRows: rows.map((category) => ({ category, label: CATEGORY_WORDS[lang][category] ?? category, cells: periods.map((p) => cellAt('all', category, p)) })),
    total: cellAt('all', 'all', yearPeriod),
    countyRows: counties.map((county) => cellAt(county, 'all', yearPeriod)),
  };
}

const cellHtml = (c: ShownCell) => (c.value === null ? html`<span class="lantern-suppressed">${c.text}</span>` : html`${c.text}`);

function familyYearForm(view: ReleaseView, family: StatFamily, year: string, lang: Lang): Html {
  const w = STAT_WORDS[lang];
  return html`<form class="usa-form lantern-stat-form" method="get" action="/statistics">
${lang === 'es' ? raw('<input type="hidden" name="lang" value="es">') : ''}
<div class="lantern-stat-form__field"><label class="usa-label" for="stat-family">${w.family}</label>
<select class="usa-select" id="stat-family" name="family">${STAT_FAMILIES.map((f) => html`<option value="${f}"${f === family ? raw(' selected') : ''}>${w.families[f]}</option>`)}</select></div>
<div class="lantern-stat-form__field"><label class="usa-label" for="stat-year">${w.year}</label>
<select class="usa-select" id="stat-year" name="year">${[...view.years].reverse().map((y) => html`<option value="${y}"${y === year ? raw(' selected') : ''}>${y}</option>`)}</select></div>
<button class="usa-button" type="submit">${w.show}</button>
</form>`;
}

function explanation(j: Jurisdiction, lang: Lang): Html {
  const w = STAT_WORDS[lang];
  return html`<section class="usa-summary-box lantern-stat-explain" aria-labelledby="stat-explain-heading">
<div class="usa-summary-box__body"><h2 class="usa-summary-box__heading" id="stat-explain-heading">${w.explainTitle}</h2>
<div class="usa-summary-box__text">${w.explain(j.timeZoneName(lang)).map((p) => html`<p>${p}</p>`)}</div></div>
</section>`;
}

const longDate = (j: Jurisdiction, iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { timeZone: j.timeZone, dateStyle: 'long' }).format(new Date(iso));

/** The statistics page for a release and a selection (family, year), or its empty state. */
export async function statisticsPageBody(j: Jurisdiction, view: ReleaseView | null, sel: { family: StatFamily; year: string } | null, lang: Lang): Promise<Html> {
  const w = STAT_WORDS[lang];
  const head = html`<h1>${w.title}</h1><p class="usa-intro">${w.lead}</p>`;
  if (!view || !sel) {
    return html`${head}
<div class="usa-alert usa-alert--info"><div class="usa-alert__body"><p class="usa-alert__text">${w.empty}</p></div></div>
${explanation(j, lang)}`;
  }
  const { family, year } = sel;
  const familyLabel = w.families[family];
  const meta = html`<p class="lantern-meta">${w.release(view.seq, longDate(j, view.publishedAt, lang), w.quarter(view.quarters[0]!), w.quarter(view.quarters.at(-1)!))}</p>`;
  if (!view.years.includes(year)) {
    return html`${head}${meta}${familyYearForm(view, family, view.years.at(-1)!, lang)}
<div class="usa-alert usa-alert--warning"><div class="usa-alert__body"><p class="usa-alert__text">${w.noYear(year)}</p></div></div>
${explanation(j, lang)}`;
  }
  const s = shownCells(j, view, family, year, lang);
  const counties = new Map<string, MapCounty>(s.countyRows.map((c) => [c.county, { value: c.value, label: `${c.countyLabel}: ${c.text}` }]));
  const quarterChart = await barChartSvg({
    id: 'stat-chart-quarters',
    label: w.chartQuarters(familyLabel, year),
    categories: s.columns.filter((c) => c.period.length === 6).map((c) => c.label),
    series: s.quarterRows
      .filter((r) => s.quarterRows.length === 1 || r.category !== 'all')
      .map((r) => ({ name: r.label, data: r.cells.filter((c) => c.period.length === 6).map((c) => c.value) })),
  });
  const years = view.years.map((y) => shownCells(j, view, family, y, lang).total);
  const yearChart = await barChartSvg({ id: 'stat-chart-years', label: w.chartYears(familyLabel), categories: years.map((c) => c.periodLabel), series: [{ name: w.families[family], data: years.map((c) => c.value) }], height: 280 });
  const csvHref = `/statistics.csv?${new URLSearchParams({ family, year, ...(lang === 'es' ? { lang } : {}) }).toString()}`;

  return html`${head}${meta}
${familyYearForm(view, family, year, lang)}
${explanation(j, lang)}
<h2 id="stat-heading">${w.heading(familyLabel, year)}</h2>
<p class="lantern-stat-total">${w.statewideTotal(s.total.periodLabel, s.total.text)}</p>

<h3>${w.mapHeading}</h3>
<div class="lantern-stat-map-wrap">
${countyMap(j, { title: w.mapTitle(j.state.name[lang], familyLabel, s.total.periodLabel), description: w.mapDesc, counties })}
${mapLegend({ caption: w.legend, hidden: w.hiddenLegend, rangeLabel: w.range })}
</div>

<h3>${w.quarterHeading}</h3>
<figure class="lantern-chart-figure">${raw(quarterChart)}</figure>
<p class="lantern-meta">${w.hiddenNotDrawn}</p>
<div class="usa-table-container--scrollable" tabindex="0" role="region" aria-labelledby="stat-table-quarters-caption">
<table class="usa-table usa-table--striped lantern-stat-table" id="stat-table-quarters">
<caption id="stat-table-quarters-caption">${w.tableQuarters(familyLabel, year)}</caption>
<thead><tr><th scope="col">${w.category}</th>${s.columns.map((c) => html`<th scope="col" class="lantern-figure">${c.label}</th>`)}</tr></thead>
<tbody>${s.quarterRows.map((r) => html`<tr><th scope="row">${r.label}</th>${r.cells.map((c) => html`<td class="lantern-figure">${cellHtml(c)}</td>`)}</tr>`)}</tbody>
</table></div>

<div class="usa-table-container--scrollable" tabindex="0" role="region" aria-labelledby="stat-table-counties-caption">
<table class="usa-table usa-table--striped lantern-stat-table" id="stat-table-counties">
<caption id="stat-table-counties-caption">${w.tableCounties(familyLabel, s.total.periodLabel)}</caption>
<thead><tr><th scope="col">${w.county}</th><th scope="col" class="lantern-figure">${s.total.periodLabel}</th></tr></thead>
<tbody>${s.countyRows.map((c) => html`<tr><th scope="row">${c.countyLabel}</th><td class="lantern-figure">${cellHtml(c)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${j.state.name[lang]}</th><td class="lantern-figure">${cellHtml(s.total)}</td></tr></tfoot>
</table></div>

<p><a class="usa-button usa-button--outline" href="${withLang(csvHref, lang)}" download>${w.csv}</a></p>

<h3>${w.yearsHeading}</h3>
<figure class="lantern-chart-figure">${raw(yearChart)}</figure>`;
}

/**
 * The CSV of exactly the figures of the page's two tables, a row per figure (numbers plain, hidden ones
 * in the page's words); the county table's statewide footer is the "By quarter" table's total, listed once.
 */
export function statisticsCsv(j: Jurisdiction, view: ReleaseView, sel: { family: StatFamily; year: string }, lang: Lang): string {
  const w = STAT_WORDS[lang];
  const s = shownCells(j, view, sel.family, sel.year, lang);
  const family = w.families[sel.family];
  const row = (c: ShownCell) => csvRow([family, c.periodLabel, c.countyLabel, c.categoryLabel, c.value ?? c.text]);
  let out = '\ufeff' + csvRow([w.family_, w.period, w.county, w.category, w.count]);
  for (const r of s.quarterRows) for (const c of r.cells) out += row(c);
  for (const c of s.countyRows) out += row(c);
  return out;
}

export async function statisticsPage(j: Jurisdiction, view: ReleaseView | null, sel: { family: StatFamily; year: string } | null, lang: Lang, hotline: { phone: string; text: string }): Promise<string> {
  const w = STAT_WORDS[lang];
  const path = sel ? `/statistics?${new URLSearchParams({ family: sel.family, year: sel.year }).toString()}` : '/statistics';
  return publicPage({ lang, title: w.title, path, current: 'statistics', hotline, description: w.lead, body: await statisticsPageBody(j, view, sel, lang) });
}
