import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';

/** The re-opening watch's alerts (issue #11, item 6). */
export async function businessWatchRoutes(_app: App, _ctx: AppContext) {}
