/**
 * Generates Lantern's offline geography from us-atlas (U.S. Census cartographic boundaries, 1:10m):
 * every state's and county's name and bounding box (server/geo/us-geography.json), for checking
 * operation locations and listing the jurisdiction's counties. The county map itself is cut from
 * us-atlas at run time for the configured state only (server/lib/jurisdiction.ts) and served to the web
 * app by GET /api/jurisdiction/map. Run: node --import tsx scripts/gen-geo.ts
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

console.log(`${Object.keys(states).length} states, ${Object.keys(counties).length} counties`);
