import { RELEASE_SCOPE_LABELS, SERVICE_CATEGORY_LABELS, type ReleaseScope, type ServiceCategory } from '../../../../common/clients.ts';

/** The staff app's words for the compartment's vocabulary: the same labels the server's printouts use (common/clients.ts). */
export const serviceLabel = (c: ServiceCategory) => SERVICE_CATEGORY_LABELS[c].en;
export const scopeLabel = (s: ReleaseScope) => RELEASE_SCOPE_LABELS[s].en;
export const scopesText = (scopes: readonly ReleaseScope[]) => scopes.map(scopeLabel).join(', ');
