import { useQuery } from '@tanstack/react-query';

/** A county of Missouri from `common/geo/missouri-counties.json` (GeoJSON, FIPS as the feature id). */
export interface CountyFeature {
  type: 'Feature';
  id: string;
  properties: { name: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

export interface CountyCollection {
  type: 'FeatureCollection';
  features: CountyFeature[];
}

export interface CountyOption {
  fips: string;
  name: string;
}

let loading: Promise<CountyCollection> | undefined;

/**
 * The county shapes, fetched on first use as their own file (about 40 KB) so they never weigh on
 * the first load. Later calls share the same promise.
 */
export function loadMissouriCounties(): Promise<CountyCollection> {
  loading ??= import('../../../../common/geo/missouri-counties.json').then((m) => m.default as unknown as CountyCollection);
  return loading;
}

/** Missouri's counties by name, for a county select; undefined while they load. */
export function useMissouriCounties() {
  return useQuery({
    queryKey: ['geo', 'missouri-counties'],
    queryFn: async (): Promise<CountyOption[]> => {
      const geo = await loadMissouriCounties();
      return geo.features.map((f) => ({ fips: String(f.id), name: f.properties.name })).sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}
