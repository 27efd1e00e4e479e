/**
 * Where to go after signing in. Only a path on this site is accepted ("/admin/users?q=x"), never
 * "//other.example" or "https://…", so a crafted link cannot bounce a user elsewhere.
 */
export function safeRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  if (value.startsWith('/sign-in') || value.startsWith('/api/')) return undefined;
  return value;
}

export type SignInReason = 'expired' | 'signedOut';

export interface SignInSearch {
  redirect?: string;
  reason?: SignInReason;
}

export function validateSignInSearch(search: Record<string, unknown>): SignInSearch {
  const out: SignInSearch = {};
  const redirect = safeRedirect(search.redirect);
  if (redirect) out.redirect = redirect;
  if (search.reason === 'expired' || search.reason === 'signedOut') out.reason = search.reason;
  return out;
}

export interface StepSearch {
  redirect?: string;
}

export function validateStepSearch(search: Record<string, unknown>): StepSearch {
  const redirect = safeRedirect(search.redirect);
  return redirect ? { redirect } : {};
}
