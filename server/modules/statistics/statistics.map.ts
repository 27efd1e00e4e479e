import { geoCentroid, geoMercator, geoPath } from 'd3-geo';
import { html, type Html } from '../../lib/html.ts';
import type { Jurisdiction } from '../../lib/jurisdiction.ts';

/**
 * The jurisdiction's counties as an inline SVG drawn on the server with d3-geo from the offline GeoJSON:
 * no script, no tiles, no request to anyone. The shapes are projected once per jurisdiction.
 */

const WIDTH = 640;
const HEIGHT = 560;

const projected = new WeakMap<Jurisdiction, { fips: string; d: string }[]>();
function countyShapes(j: Jurisdiction) {
  let shapes = projected.get(j);
  if (!shapes) {
    const counties = j.countyFeatures();
    // Centred on the state's own meridian, so a state across the 180th (Alaska's Aleutians) stays whole.
    const projection = geoMercator().rotate([-geoCentroid(counties)[0], 0]).fitExtent([[2, 2], [WIDTH - 2, HEIGHT - 2]], counties);
    const path = geoPath(projection).digits(1);
    shapes = counties.features.map((f) => ({ fips: String(f.id), d: path(f) ?? '' }));
    projected.set(j, shapes);
  }
  return shapes;
}

/** Classes of published counts (every published count is at least 5) and their USWDS blues, light to dark. */
export const MAP_CLASSES: readonly { from: number; to: number | null; fill: string }[] = [
  { from: 5, to: 9, fill: '#d9e8f6' },
  { from: 10, to: 24, fill: '#aacdec' },
  { from: 25, to: 49, fill: '#73b3e7' },
  { from: 50, to: 99, fill: '#2378c3' },
  { from: 100, to: 249, fill: '#2c608a' },
  { from: 250, to: null, fill: '#162e51' },
];
const HATCH = 'lantern-map-hatch';

const fillOf = (value: number | null) => {
  if (value === null) return `url(#${HATCH})`;
  const c = [...MAP_CLASSES].reverse().find((x) => value >= x.from);
  return c?.fill ?? MAP_CLASSES[0]!.fill;
};

export interface MapCounty {
  /** null when hidden. */
  value: number | null;
  /** What the county's tooltip says: "Jackson: 23", "Cass: withheld" (every hidden count alike). */
  label: string;
}

/**
 * The map: each county filled by its class, hidden counties hatched in neutral gray. `role="img"` with
 * a title and description as its text alternative; the figures themselves are in the county table.
 */
export function countyMap(j: Jurisdiction, o: { title: string; description: string; counties: ReadonlyMap<string, MapCounty> }): Html {
  return html`<svg class="lantern-stat-map" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="lantern-map-title lantern-map-desc" focusable="false" xmlns="http://www.w3.org/2000/svg">
<title id="lantern-map-title">${o.title}</title>
<desc id="lantern-map-desc">${o.description}</desc>
<defs><pattern id="${HATCH}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f0f0f0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#71767a" stroke-width="1.5"/></pattern></defs>
<g stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round">
${countyShapes(j).map((s) => {
  const c = o.counties.get(s.fips);
  return html`<path d="${s.d}" fill="${fillOf(c?.value ?? null)}" data-fips="${s.fips}"><title>${c?.label ?? s.fips}</title></path>`;
})}
</g>
</svg>`;
}

/** The legend, as HTML next to the map (the swatches are decoration; the words carry the meaning). */
export function mapLegend(o: { caption: string; hidden: string; rangeLabel: (from: number, to: number | null) => string }): Html {
  const swatch = (fill: string) =>
    html`<svg class="lantern-stat-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><rect width="16" height="16" fill="${fill}" stroke="#71767a" stroke-width="1"/></svg>`;
  return html`<div class="lantern-stat-legend"><p class="margin-0 text-bold">${o.caption}</p><ul class="usa-list--unstyled">
${MAP_CLASSES.map((c) => html`<li>${swatch(c.fill)} ${o.rangeLabel(c.from, c.to)}</li>`)}
<li><svg class="lantern-stat-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><defs><pattern id="${HATCH}-legend" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f0f0f0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#71767a" stroke-width="1.5"/></pattern></defs><rect width="16" height="16" fill="url(#${HATCH}-legend)" stroke="#71767a" stroke-width="1"/></svg> ${o.hidden}</li>
</ul></div>`;
}
