import type { App } from '../http.ts';
import type { AppContext } from '../context.ts';
import { demoStatusDto, type DemoStatusDto } from '../../common/schemas/demo.ts';

/** Where the public pages start (server-rendered, in English and Spanish, without JavaScript). */
export const PUBLIC_SITE_PATH = '/';

/** Whether `lantern demo` loaded the demo task force into this database (server/demo/demo.ts writes the setting). */
export async function isDemoLoaded(ctx: Pick<AppContext, 'db'>): Promise<boolean> {
  return Boolean(await ctx.db.selectFrom('setting').select('key').where('key', '=', 'demo.loaded').executeTakeFirst());
}

/**
 * `GET /api/demo` (public): whether this Lantern holds the demo task force, for the sign-in page's
 * warning, and the public site's address. Read on every call: `lantern demo` may load the demo into a
 * database a running Lantern serves.
 */
export async function demoRoutes(app: App, ctx: AppContext) {
  app.get(
    '/demo',
    {
      schema: { tags: ['public'], summary: 'Whether this Lantern holds the demo task force (its passwords are published), and where the public site is', response: { 200: demoStatusDto } },
      config: { access: 'public' },
    },
    async (): Promise<DemoStatusDto> => ({ demo: await isDemoLoaded(ctx), publicSite: PUBLIC_SITE_PATH }),
  );
}
