import type { GeocodeCandidate } from '../../../common/schemas/geocoding.ts';

/**
 * A geocoder: turns what a planner typed (an address, an intersection, a place name, a ZIP code) into
 * candidate points. Pluggable: the operator picks one with LANTERN_GEOCODER (server/config.ts).
 * `search` rejects when the provider cannot answer (unreachable, timed out, a bad reply); an answer with
 * no candidates is an empty list.
 */
export interface GeocodingProvider {
  readonly name: GeocodeCandidate['source'];
  search(query: string, opts: { limit: number }): Promise<GeocodeCandidate[]>;
}

export const MAX_CANDIDATES = 8;
