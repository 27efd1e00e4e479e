import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';

/** The registry (issue #11, items 1 and 2's record): list, one business, entry, facts, operators, network. */
export async function businessRoutes(_app: App, _ctx: AppContext) {}
