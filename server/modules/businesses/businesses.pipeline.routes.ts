import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';

/** Indicators, verification, clearing and the pipeline's stages (issue #11, items 2 and 5). */
export async function businessPipelineRoutes(_app: App, _ctx: AppContext) {}
