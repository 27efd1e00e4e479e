import { z } from 'zod';

/** `GET /api/geocode?q=`: an address, an intersection, a place name or a ZIP code. */
export const geocodeQuery = z.object({
  q: z
    .string({ message: 'is required' })
    .trim()
    .min(2, { message: 'must be at least 2 characters' })
    .max(200, { message: 'must be at most 200 characters' }),
});
export type GeocodeQuery = z.infer<typeof geocodeQuery>;

/**
 * How exact a candidate is: a matched street address; a ZIP code's centroid; a city or town's center; a
 * county's center. Anything but `address` is approximate: the planner moves the point on the map.
 */
export const GEOCODE_PRECISIONS = ['address', 'zip', 'place', 'county'] as const;
export type GeocodePrecision = (typeof GEOCODE_PRECISIONS)[number];

export const geocodeCandidate = z.object({
  label: z.string(),
  lat: z.number(),
  lon: z.number(),
  /** The county's name ("Jackson"), or null when it is not known. */
  county: z.string().nullable(),
  /** The county's five-digit FIPS code ("29095"), or null. */
  countyFips: z.string().nullable(),
  /** The state's postal code ("MO"). */
  state: z.string().nullable(),
  precision: z.enum(GEOCODE_PRECISIONS),
  /** `census` (the Census Bureau's geocoder) or `gazetteer` (Lantern's offline ZIP and place centroids). */
  source: z.enum(['census', 'gazetteer']),
});
export type GeocodeCandidate = z.infer<typeof geocodeCandidate>;

export const geocodeResponse = z.object({
  candidates: z.array(geocodeCandidate),
  /** The configured geocoder could not answer and the offline gazetteer did. */
  fellBack: z.boolean(),
});
export type GeocodeResponse = z.infer<typeof geocodeResponse>;

/** What the web app's maps need of the operator's settings. */
export const mapSettingsDto = z.object({
  geocoder: z.enum(['offline', 'census']),
  /** A raster tile server ({z}/{x}/{y} URL template) and the credit it requires; null: the county map. */
  tiles: z.object({ url: z.string(), attribution: z.string() }).nullable(),
});
export type MapSettingsDto = z.infer<typeof mapSettingsDto>;
