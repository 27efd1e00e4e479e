import fs from 'node:fs';
import type { FeatureCollection, Geometry } from 'geojson';

/** Missouri's 115 counties (114 and the independent City of St. Louis), from the offline map file. */

export type CountyFeatures = FeatureCollection<Geometry, { name: string }>;

let features: CountyFeatures | null = null;
export function missouriFeatures(): CountyFeatures {
  features ??= JSON.parse(fs.readFileSync(new URL('../../../common/geo/missouri-counties.json', import.meta.url), 'utf8')) as CountyFeatures;
  return features;
}

const ST_LOUIS_CITY = '29510';

let fipsList: string[] | null = null;
/** Every county's FIPS code, ascending: the county order of every release's layout. */
export function missouriCounties(): string[] {
  fipsList ??= missouriFeatures()
    .features.map((f) => String(f.id))
    .sort();
  return fipsList;
}

let names: Map<string, string> | null = null;
/** A county's name as the tables print it ("Jackson"; "St. Louis City" for the independent city). */
export function countyName(fips: string, lang: 'en' | 'es' = 'en'): string {
  names ??= new Map(missouriFeatures().features.map((f) => [String(f.id), f.properties.name]));
  if (fips === ST_LOUIS_CITY) return lang === 'es' ? 'Ciudad de St. Louis' : 'St. Louis City';
  return names.get(fips) ?? fips;
}
