import type { App } from '../http.ts';
import type { AppContext } from '../context.ts';
import { publicNewsRoutes } from './disclosure/public.routes.ts';
import { statisticsPublicRoutes } from './statistics/statistics.public.ts';

/**
 * Pages served outside /api: the public site (news, statistics, help), server-rendered so they work
 * without JavaScript. Each module adds its pages here.
 */
export async function registerPublicPages(app: App, ctx: AppContext) {
  await publicNewsRoutes(app, ctx);
  await statisticsPublicRoutes(app, ctx);
}
