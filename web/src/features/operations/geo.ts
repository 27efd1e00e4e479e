import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { geocoding, jurisdiction } from '../../api/endpoints.ts';
import { jurisdictionQuery } from '../../api/queries.ts';

/** A county of the task force's state, from `GET /api/jurisdiction/map` (GeoJSON, FIPS as the feature id). */
export interface CountyFeature {
  type: 'Feature';
  id: string;
  properties: { name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
}

export interface CountyCollection {
  type: 'FeatureCollection';
  features: CountyFeature[];
}

export interface CountyOption {
  fips: string;
  name: string;
}

/**
 * The county shapes of the server's state (LANTERN_STATE), fetched on first use and only by pages that
 * draw a map (about 40 KB for Missouri, cached by the browser a day), so they never weigh on the first load.
 */
export function useCountyShapes() {
  return useQuery({
    queryKey: ['jurisdiction', 'map'],
    queryFn: ({ signal }) => jurisdiction.map(signal) as Promise<CountyCollection>,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}

/** The state's counties by name, for a county select; undefined while they load. */
export function useStateCounties() {
  const { i18n } = useTranslation();
  const lang = i18n.language.startsWith('es') ? 'es' : 'en';
  return useQuery({
    ...jurisdictionQuery,
    select: (j): CountyOption[] => j.counties.map((c) => ({ fips: c.fips, name: c.name[lang] })).sort((a, b) => a.name.localeCompare(b.name, lang)),
  });
}

/** The operator's geocoder and tile server (`GET /api/geocode/settings`); fixed while the server runs. */
export function useMapSettings() {
  return useQuery({
    queryKey: ['geocode', 'settings'],
    queryFn: ({ signal }) => geocoding.settings(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Coordinates as the plan form keeps them: at most five decimals (about a metre). */
export const coordinate = (n: number) => String(Math.round(n * 1e5) / 1e5);
