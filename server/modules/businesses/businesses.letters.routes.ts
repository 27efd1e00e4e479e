import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';

/** Landlords, the notice template, letters and their batches (issue #11, items 3 and 4). */
export async function businessLetterRoutes(_app: App, _ctx: AppContext) {}
