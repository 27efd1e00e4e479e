/**
 * Generates Lantern's offline geography from us-atlas (U.S. Census cartographic boundaries, 1:10m):
 * every county's name, state and bounding box (server/geo/counties.json) for checking operation
 * locations, and Missouri's counties as TopoJSON (common/geo/missouri-counties.json) for maps drawn
 * without any tile server. Run: node --import tsx scripts/gen-geo.ts
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { geoBounds } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const require = createRequire(import.meta.url);
const topology = require('us-atlas/counties-10m.json') as Topology<{ counties: GeometryCollection<{ name: string }>; states: GeometryCollection<{ name: string }> }>;

const round = (n: number) => Math.round(n * 10_000) / 10_000;
const states: Record<string, { name: string; bbox: number[] }> = {};
for (const f of feature(topology, topology.objects.states).features) {
  const [[w, s], [e, n]] = geoBounds(f);
  states[String(f.id)] = { name: f.properties.name, bbox: [round(w), round(s), round(e), round(n)] };
}
const counties: Record<string, { name: string; state: string; bbox: number[] }> = {};
for (const f of feature(topology, topology.objects.counties).features) {
  const [[w, s], [e, n]] = geoBounds(f);
  counties[String(f.id)] = { name: f.properties.name, state: String(f.id).slice(0, 2), bbox: [round(w), round(s), round(e), round(n)] };
}
fs.writeFileSync('server/geo/us-geography.json', JSON.stringify({ source: 'us-atlas 3.0.1 (U.S. Census Bureau cartographic boundaries, 1:10,000,000)', states, counties }) + '\n');

// Missouri only (state FIPS 29), as GeoJSON with coordinates rounded to about 100 m: the county map of
// the public statistics page, small enough to ship with the page.
const coarse = (c: unknown): unknown => (typeof c === 'number' ? Math.round(c * 1000) / 1000 : (c as unknown[]).map(coarse));
const missouri = {
  type: 'FeatureCollection',
  features: feature(topology, topology.objects.counties)
    .features.filter((f) => String(f.id).startsWith('29'))
    .map((f) => ({ type: 'Feature', id: String(f.id), properties: { name: f.properties.name }, geometry: { type: f.geometry.type, coordinates: coarse((f.geometry as { coordinates: unknown }).coordinates) } })),
};
fs.mkdirSync('common/geo', { recursive: true });
fs.writeFileSync('common/geo/missouri-counties.json', JSON.stringify(missouri) + '\n');
console.log(`${Object.keys(states).length} states, ${Object.keys(counties).length} counties, ${missouri.features.length} in Missouri`);
