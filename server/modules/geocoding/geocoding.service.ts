import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import type { GeocodeResponse, MapSettingsDto } from '../../../common/schemas/geocoding.ts';
import { censusProvider } from './census.ts';
import { gazetteerProvider } from './gazetteer.ts';
import { MAX_CANDIDATES, type GeocodingProvider } from './geocoding.provider.ts';

/**
 * Searches with the configured provider; when it fails or finds nothing (the Census geocoder knows
 * street addresses, not place names or ZIP codes alone), the offline gazetteer answers instead.
 */
export async function geocodeWith(primary: GeocodingProvider, fallback: GeocodingProvider, query: string, onFailure: (reason: string) => void): Promise<GeocodeResponse> {
  const limit = MAX_CANDIDATES;
  if (primary.name === fallback.name) return { candidates: await fallback.search(query, { limit }), fellBack: false };
  try {
    const found = await primary.search(query, { limit });
    if (found.length > 0) return { candidates: found, fellBack: false };
    return { candidates: await fallback.search(query, { limit }), fellBack: false };
  } catch (e) {
    onFailure(e instanceof Error ? e.message : 'unknown failure');
    return { candidates: await fallback.search(query, { limit }), fellBack: true };
  }
}

const providers = new WeakMap<AppContext, { primary: GeocodingProvider; fallback: GeocodingProvider }>();

function providersOf(ctx: AppContext) {
  let p = providers.get(ctx);
  if (!p) {
    const fallback = gazetteerProvider(ctx.jurisdiction.state.postal);
    const primary = ctx.config.geocoder.provider === 'census' ? censusProvider(ctx.config.geocoder) : fallback;
    providers.set(ctx, (p = { primary, fallback }));
  }
  return p;
}

/**
 * Candidate points for what a planner typed. Any signed-in staff member may search: it reads no
 * record. The query may itself be sensitive (a suspect's address), so it is never logged or audited:
 * request logs carry the path without the query string (server/context.ts), and a provider's failure
 * is logged without it.
 */
export async function geocode(ctx: AppContext, _actor: Actor, query: string): Promise<GeocodeResponse> {
  const { primary, fallback } = providersOf(ctx);
  return geocodeWith(primary, fallback, query, (reason) => ctx.log.warn({ provider: primary.name, reason }, 'geocoder unavailable; the offline gazetteer answered'));
}

export function mapSettings(ctx: AppContext): MapSettingsDto {
  return { geocoder: ctx.config.geocoder.provider, tiles: ctx.config.mapTiles };
}
