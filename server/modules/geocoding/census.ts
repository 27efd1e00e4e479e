import type { GeocodeCandidate } from '../../../common/schemas/geocoding.ts';
import type { GeocodingProvider } from './geocoding.provider.ts';
import { zipCounty } from './gazetteer.ts';

/** The part of the Census geocoder's JSON reply this provider reads (`result.addressMatches`). */
interface CensusReply {
  result?: {
    addressMatches?: {
      matchedAddress?: unknown;
      coordinates?: { x?: unknown; y?: unknown };
      addressComponents?: { zip?: unknown; state?: unknown };
    }[];
  };
}

export class GeocoderUnavailable extends Error {}

/**
 * The U.S. Census Bureau's one-line address geocoder (geocoding.geo.census.gov): street addresses and
 * intersections ("Main St and Broadway, Oak Grove, MO"), not place names. Used only when the operator
 * sets LANTERN_GEOCODER=census: the typed address then leaves the server for the Census Bureau.
 * A short timeout; any failure rejects with `GeocoderUnavailable` and the caller falls back.
 * The county comes from the matched ZIP code (the locations endpoint does not return geographies).
 */
export function censusProvider(opts: { url: string; timeoutMs: number }): GeocodingProvider {
  return {
    name: 'census',
    async search(query, { limit }) {
      const url = new URL(opts.url);
      url.searchParams.set('address', query);
      let reply: CensusReply;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs), headers: { accept: 'application/json' } });
        if (!res.ok) throw new GeocoderUnavailable(`the geocoder answered ${res.status}`);
        reply = (await res.json()) as CensusReply;
      } catch (e) {
        if (e instanceof GeocoderUnavailable) throw e;
        throw new GeocoderUnavailable(e instanceof Error && e.name === 'TimeoutError' ? 'the geocoder did not answer in time' : 'the geocoder could not be reached');
      }
      const matches = reply.result?.addressMatches;
      if (!Array.isArray(matches)) throw new GeocoderUnavailable('the geocoder sent an unexpected reply');
      const out: GeocodeCandidate[] = [];
      for (const m of matches.slice(0, limit)) {
        const lon = Number(m.coordinates?.x);
        const lat = Number(m.coordinates?.y);
        if (typeof m.matchedAddress !== 'string' || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) continue;
        const zip = typeof m.addressComponents?.zip === 'string' ? m.addressComponents.zip : /\b(\d{5})$/.exec(m.matchedAddress)?.[1];
        const county = zip ? await zipCounty(zip) : null;
        out.push({
          label: m.matchedAddress.slice(0, 200),
          lat,
          lon,
          county: county?.county ?? null,
          countyFips: county?.countyFips ?? null,
          state: typeof m.addressComponents?.state === 'string' ? m.addressComponents.state : null,
          precision: 'address',
          source: 'census',
        });
      }
      return out;
    },
  };
}
