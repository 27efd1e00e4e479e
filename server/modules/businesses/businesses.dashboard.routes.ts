import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';

/** The summary (contract), the dashboard and map, and its CSV (issue #11, item 7). */
export async function businessDashboardRoutes(_app: App, _ctx: AppContext) {}
