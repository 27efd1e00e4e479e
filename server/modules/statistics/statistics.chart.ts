import { createRequire } from 'node:module';
import type * as echartsTypes from 'echarts';
import { escapeHtml } from '../../lib/html.ts';

/**
 * Bar charts rendered on the server by echarts (SVG, server-side rendering), so the page needs no
 * script. echarts is loaded on the first chart, not at start-up. Its SVG is made to fit the page's
 * Content-Security-Policy (no inline styles: its `style` attributes become presentation attributes, its
 * hover `<style>` is dropped) and given a role and an accessible name.
 */

/** USWDS colors with at least 3:1 contrast against white (WCAG 1.4.11), one per series. */
const PALETTE = ['#005ea2', '#c05600', '#008817', '#5942d2', '#b50909', '#0b4778', '#8b4c00', '#1a4480', '#4d8055', '#936f38', '#676cc8', '#b51d09'];
const FONT = 'Source Sans Pro Web, Helvetica Neue, Helvetica, Roboto, Arial, sans-serif';

export interface BarChart {
  /** Prefix of the ids inside the SVG, unique on the page. */
  id: string;
  /** The chart's accessible name: what it shows, and where the same figures are in a table. */
  label: string;
  categories: string[];
  series: { name: string; data: (number | null)[] }[];
  width?: number;
  height?: number;
  /** Bars drawn sideways (categories down the side): the phone layout. */
  horizontal?: boolean;
}

type Echarts = typeof echartsTypes;
let echartsModule: Echarts | null = null;

export async function barChartSvg(c: BarChart): Promise<string> {
  // The one-file CommonJS build: importing the ES modules loads hundreds of files (ten times slower).
  echartsModule ??= createRequire(import.meta.url)('echarts') as Echarts;
  const echarts = echartsModule;
  const width = c.width ?? 720;
  const height = c.height ?? 360;
  const categoryAxis = { type: 'category' as const, data: c.categories, axisLabel: { color: '#1b1b1b' }, axisLine: { lineStyle: { color: '#565c65' } }, ...(c.horizontal ? { inverse: true } : {}) };
  const valueAxis = { type: 'value' as const, minInterval: 1, axisLabel: { color: '#1b1b1b' }, splitLine: { lineStyle: { color: '#dfe1e2' } } };
  const legendTop = c.horizontal && c.series.length > 1;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT, color: '#1b1b1b', fontSize: 13 },
      grid: legendTop
        ? { left: 8, right: 16, top: legendHeight(c, width) + 8, bottom: 8, containLabel: true }
        : { left: c.horizontal ? 8 : 48, right: 16, top: 16, bottom: c.series.length > 1 ? 72 : 40, containLabel: true },
      legend: c.series.length > 1 ? { ...(legendTop ? { top: 0, left: 0, width: width - 8 } : { bottom: 0 }), itemGap: 14, textStyle: { color: '#1b1b1b' } } : { show: false },
      xAxis: c.horizontal ? valueAxis : categoryAxis,
      yAxis: c.horizontal ? categoryAxis : valueAxis,
      series: c.series.map((s) => ({ name: s.name, type: 'bar', data: s.data, barMaxWidth: 36 })),
    });
    return accessibleSvg(chart.renderToSVGString(), c);
  } finally {
    chart.dispose();
  }
}

/** About how tall echarts' wrapped legend is at this width (13 px text, a 25 px mark and 14 px gaps). */
function legendHeight(c: BarChart, width: number): number {
  let rows = 1;
  let used = 0;
  for (const s of c.series) {
    const item = 25 + 5 + s.name.length * 7 + 14;
    if (used > 0 && used + item > width - 8) {
      rows += 1;
      used = 0;
    }
    used += item;
  }
  return rows * 24;
}

/**
 * A chart as two drawings: the wide one, and one for a phone (bars sideways, 360 px wide, so its text
 * is drawn at the size it is read); the stylesheet shows the one that fits (lantern.css).
 */
export async function responsiveBarChart(c: BarChart): Promise<string> {
  const wide = await barChartSvg(c);
  const bars = Math.max(1, c.series.length) * c.categories.length;
  const legend = c.series.length > 1 ? legendHeight(c, 360) + 8 : 0;
  const narrow = await barChartSvg({ ...c, id: `${c.id}-narrow`, width: 360, height: legend + 40 + Math.max(120, bars * 14 + c.categories.length * 12), horizontal: true });
  return `${wide}${narrow.replace('class="lantern-chart"', 'class="lantern-chart lantern-chart--narrow"')}`;
}

function accessibleSvg(svg: string, c: BarChart): string {
  return (
    svg
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/ style="([^"]*)"/g, (_m, css: string) =>
        css
          .split(';')
          .map((d) => d.trim())
          .filter(Boolean)
          .map((d) => {
            const [prop, ...rest] = d.split(':');
            return ` ${prop!.trim()}="${rest.join(':').trim()}"`;
          })
          .join(''),
      )
      .replace(/ class="zr\d+-cls-\d+"/g, '')
      .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
      // Ids echarts gives clip paths and gradients are the same in every chart: make them this chart's.
      .replace(/\bid="zr(\d+)-/g, `id="${c.id}-zr$1-`)
      .replace(/url\(#zr(\d+)-/g, `url(#${c.id}-zr$1-`)
      .replace(/^<svg width="\d+" height="\d+"/, `<svg class="lantern-chart" role="img" aria-label="${escapeHtml(c.label)}" focusable="false"`)
  );
}
