import { actorOf, type App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { identifierSearchQuery, identifierSearchResponse } from '../../../common/schemas/identifiers.ts';
import { searchIdentifiers } from './identifiers.search.ts';

export async function identifierRoutes(app: App, ctx: AppContext) {
  app.get(
    '/identifiers/search',
    {
      schema: {
        tags: ['identifiers'],
        summary: 'Records I may see that share a phone, email, plate or handle (signed-in staff)',
        querystring: identifierSearchQuery,
        response: { 200: identifierSearchResponse },
      },
      // A person looks a few values up; a script walking phone numbers meets the wall.
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => searchIdentifiers(ctx, actorOf(request), request.query.value, request.meta),
  );
}
