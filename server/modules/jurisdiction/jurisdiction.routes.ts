import { createHash } from 'node:crypto';
import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { jurisdictionDto, type JurisdictionDto } from '../../../common/schemas/jurisdiction.ts';

/** Public facts that change only when the operator restarts with another LANTERN_STATE: cached a day (the map revalidated by ETag). */
const CACHE = 'public, max-age=86400';

function tagged(body: string) {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * `GET /api/jurisdiction` (the state, its time zone and counties: what forms and labels need) and
 * `GET /api/jurisdiction/map` (the counties' shapes as GeoJSON, about 40 KB for Missouri, fetched only
 * by pages that draw a map). Both public: the public statistics page prints the same facts.
 */
export async function jurisdictionRoutes(app: App, ctx: AppContext) {
  const j = ctx.jurisdiction;
  const dto: JurisdictionDto = {
    state: { fips: j.state.fips, postal: j.state.postal, name: j.state.name, ap: j.state.ap },
    timeZone: j.timeZone,
    timeZoneName: { en: j.timeZoneName('en'), es: j.timeZoneName('es') },
    counties: j.counties.map((c) => ({ fips: c.fips, name: c.name })),
  };
  const facts = JSON.stringify(dto);
  let map: { body: string; etag: string } | null = null;
  const config = { access: 'public' as const };

  app.get(
    '/jurisdiction',
    { schema: { tags: ['public'], summary: "The task force's state, time zone and counties (LANTERN_STATE, LANTERN_TIME_ZONE)", response: { 200: jurisdictionDto } }, config },
    async (_request, reply) => reply.header('cache-control', CACHE).type('application/json; charset=utf-8').send(facts as unknown as JurisdictionDto),
  );

  app.get(
    '/jurisdiction/map',
    { schema: { tags: ['public'], summary: "The state's counties as GeoJSON (FIPS as each feature's id), coordinates rounded to about 100 m" }, config },
    async (request, reply) => {
      map ??= tagged(JSON.stringify(j.countyFeatures()));
      reply.header('cache-control', CACHE).header('etag', map.etag);
      if (request.headers['if-none-match'] === map.etag) return reply.status(304).send();
      return reply.type('application/geo+json; charset=utf-8').send(map.body);
    },
  );
}
