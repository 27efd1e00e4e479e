import type { App } from '../../http.ts';
import { actorOf } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { geocodeQuery, geocodeResponse, mapSettingsDto } from '../../../common/schemas/geocoding.ts';
import { geocode, mapSettings } from './geocoding.service.ts';

export async function geocodingRoutes(app: App, ctx: AppContext) {
  const tags = ['maps'];
  app.get(
    '/geocode',
    {
      schema: { tags, summary: 'Find an address, intersection, place or ZIP code (signed-in staff)', querystring: geocodeQuery, response: { 200: geocodeResponse } },
      // A search box asks as the planner types: generous for a person, a wall for a script.
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => geocode(ctx, actorOf(request), request.query.q),
  );
  app.get(
    '/geocode/settings',
    { schema: { tags, summary: "The operator's geocoder and map tile settings", response: { 200: mapSettingsDto } } },
    async (request) => {
      actorOf(request);
      return mapSettings(ctx);
    },
  );
}
