import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { findState, type UsState } from '../../common/states.ts';
import { countiesOf } from './geography.ts';

/**
 * The task force's jurisdiction: its state, time zone, counties and county map. The operator names the
 * state with LANTERN_STATE (postal or FIPS code) and may override its time zone with LANTERN_TIME_ZONE;
 * config.ts checks both at start and createContext puts the result in `ctx.jurisdiction`, the one place
 * every module reads. Missouri is the default, the demo's story.
 */

export type Lang = 'en' | 'es';
export type CountyFeatures = FeatureCollection<Geometry, { name: string }>;

export interface JurisdictionCounty {
  fips: string;
  /** As tables print it: "Jackson"; "St. Louis City" where a county and an independent city share a name. */
  name: { en: string; es: string };
}

export interface Jurisdiction {
  state: UsState;
  timeZone: string;
  /** Every county (and independent city) of the state, FIPS ascending: the order of every release's layout. */
  counties: readonly JurisdictionCounty[];
  countyFips: readonly string[];
  hasCounty(fips: string): boolean;
  /** The county's name; the code itself for a county outside the state. */
  countyName(fips: string, lang?: Lang): string;
  /** "Central time" / "hora central": the zone as the reports name it. */
  timeZoneName(lang: Lang): string;
  /** The county map as GeoJSON, coordinates rounded to about 100 m; built on first use. */
  countyFeatures(): CountyFeatures;
}

export const DEFAULT_STATE = 'MO';
export const STATE_SETTING = 'LANTERN_STATE';
export const TIME_ZONE_SETTING = 'LANTERN_TIME_ZONE';

export class JurisdictionError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
  }
}

/** Is `zone` an IANA time zone this Node knows ("America/Chicago")? */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

/** The state named by LANTERN_STATE, or an error that names the setting and what it accepts. */
export function resolveState(code: string): UsState {
  const s = findState(code);
  if (!s) {
    throw new JurisdictionError(STATE_SETTING, `${JSON.stringify(code)} is not a U.S. state: use its postal code (MO, KS, OR, … or DC) or its two-digit FIPS code (29)`);
  }
  return s;
}

const cache = new Map<string, Jurisdiction>();

/** The jurisdiction of a state (postal or FIPS code), in its own time zone unless `timeZone` is given. */
export function jurisdictionOf(stateCode: string, timeZone?: string): Jurisdiction {
  const state = resolveState(stateCode);
  const zone = timeZone ?? state.timeZone;
  if (!isTimeZone(zone)) throw new JurisdictionError(TIME_ZONE_SETTING, `${JSON.stringify(zone)} is not an IANA time zone such as America/Chicago`);
  const key = `${state.fips}|${zone}`;
  let j = cache.get(key);
  if (!j) cache.set(key, (j = build(state, zone)));
  return j;
}

function build(state: UsState, timeZone: string): Jurisdiction {
  const raw = countiesOf(state.fips);
  const seen = new Map<string, number>();
  for (const c of raw) seen.set(c.name, (seen.get(c.name) ?? 0) + 1);
  // A county and an independent city of the same name (St. Louis, Baltimore, Richmond, Va.): the city's
  // code is in the 500s; it is told apart by its name as the Census tables print it.
  const counties = raw.map(({ fips, name }) =>
    seen.get(name)! > 1 && Number(fips.slice(2)) >= 500 ? { fips, name: { en: `${name} City`, es: `Ciudad de ${name}` } } : { fips, name: { en: name, es: name } },
  );
  const byFips = new Map(counties.map((c) => [c.fips, c]));
  const countyFips = counties.map((c) => c.fips);
  let features: CountyFeatures | null = null;
  const zoneNames = new Map<Lang, string>();
  return {
    state,
    timeZone,
    counties,
    countyFips,
    hasCounty: (fips) => byFips.has(fips),
    countyName: (fips, lang = 'en') => byFips.get(fips)?.name[lang] ?? fips,
    timeZoneName(lang) {
      let n = zoneNames.get(lang);
      if (n === undefined) {
        const parts = new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date(0));
        n = (parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone).replace(/ Time$/, ' time');
        zoneNames.set(lang, n);
      }
      return n;
    },
    countyFeatures: () => (features ??= countyShapes(state.fips)),
  };
}

type CountiesTopology = Topology<{ counties: GeometryCollection<{ name: string }> }>;
let topology: CountiesTopology | null = null;

const coarse = (c: unknown): unknown => (typeof c === 'number' ? Math.round(c * 1000) / 1000 : (c as unknown[]).map(coarse));

/** One state's counties cut from us-atlas (Census cartographic boundaries, 1:10m), in FIPS order. */
function countyShapes(stateFips: string): CountyFeatures {
  topology ??= createRequire(import.meta.url)('us-atlas/counties-10m.json') as CountiesTopology;
  const geometries = topology.objects.counties.geometries.filter((g) => String(g.id).startsWith(stateFips));
  const collection = feature(topology, { type: 'GeometryCollection', geometries }) as FeatureCollection<Geometry, { name: string }>;
  return {
    type: 'FeatureCollection',
    features: collection.features.map(
      (f): Feature<Geometry, { name: string }> => ({
        type: 'Feature',
        id: String(f.id),
        properties: { name: f.properties.name },
        geometry: { type: f.geometry.type, coordinates: coarse((f.geometry as { coordinates: unknown }).coordinates) } as Geometry,
      }),
    ),
  };
}
