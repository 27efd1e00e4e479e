import type { ApiErrorBody } from '../../../common/errors.ts';

/** An error answered by the API (`{"error":{"code","message","field"}}`) or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly requestId?: string,
    /** False when the client made this error up (no answer, or an answer without an error body). */
    readonly fromServer: boolean = true,
    /** What some errors carry besides the message: a refused press release's guard findings, for one. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where an authentication failure sends the user. */
export type AuthStep = 'sign-in' | 'mfa' | 'enrol';

const AUTH_CODES = new Map<string, AuthStep>([
  ['unauthenticated', 'sign-in'],
  ['session_expired', 'sign-in'],
  ['mfa_required', 'mfa'],
  ['enrolment_required', 'enrol'],
]);

/** Which step an error asks for, or undefined when it is not about authentication. */
export function authStepFor(error: unknown): AuthStep | undefined {
  if (!(error instanceof ApiError) || error.status !== 401) return undefined;
  return AUTH_CODES.get(error.code);
}

type AuthHandler = (step: AuthStep, error: ApiError) => void;
let onAuthError: AuthHandler | undefined;

/**
 * The app registers one handler that navigates to sign-in or the MFA step (keeping where the user
 * was going). The client stays free of routing so it can be tested on its own.
 */
export function setAuthErrorHandler(handler: AuthHandler | undefined): void {
  onAuthError = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Set false where the caller handles a 401 itself: the sign-in and MFA forms, and the initial
   * `GET /api/me` that decides whether to show the app at all.
   */
  authRedirect?: boolean;
  /** The browser's HTTP cache: `no-store` unless the answer is public and the server says how long it keeps (the jurisdiction). */
  cache?: RequestCache;
}

/** `?a=1&b=x`, leaving out empty values; '' when nothing is left. */
export function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Errors that did not come with a body we understand (the UI shows its own wording by `code`). */
function fallbackError(status: number): ApiError {
  const make = (code: string, message: string) => new ApiError(status, code, message, undefined, undefined, false);
  if (status === 0) return make('network', 'Lantern could not reach the server.');
  if (status === 401) return make('unauthenticated', 'Sign in to continue.');
  if (status === 403) return make('forbidden', 'You are not allowed to do that.');
  if (status === 404) return make('not_found', 'That record was not found.');
  if (status === 413) return make('too_large', 'That is more than the server accepts at once.');
  if (status === 429) return make('rate_limited', 'Too many requests.');
  return make('server_error', 'Something went wrong on the server.');
}

/**
 * The `Idempotency-Key` of each POST not yet answered, by path and body. Every POST carries a fresh key;
 * the same request sent again after it got no answer (a network error, a 5xx, or "still in progress")
 * carries the same key, so a create that was made while its reply was lost is answered with the record
 * made, not made twice (docs/operating.md). An answer, success or refusal, retires the key.
 */
const unanswered = new Map<string, string>();
const UNANSWERED_KEPT = 50;

/** A request's fingerprint (cyrb53): the map keeps no body, a password's least of all. */
function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${(h2 >>> 0).toString(16)}${(h1 >>> 0).toString(16)}`;
}

/** 32 hex characters from the browser's random source (crypto.randomUUID needs a secure context; this does not). */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function idempotencyKeyFor(signature: string): string {
  const kept = unanswered.get(signature);
  if (kept) return kept;
  const key = newIdempotencyKey();
  unanswered.set(signature, key);
  // Forms abandoned after a failure: keep the newest few.
  if (unanswered.size > UNANSWERED_KEPT) unanswered.delete(unanswered.keys().next().value!);
  return key;
}

/** Whether an answer leaves the request's outcome unknown, so a resend must carry the same key. */
function outcomeUnknown(status: number, code?: string): boolean {
  return status === 0 || status >= 500 || code === 'idempotency_in_progress';
}

/**
 * One request to the Lantern API. Resolves with the parsed JSON body (undefined for 204) and rejects
 * with an ApiError for any status outside 2xx. Cookies carry the session (`same-origin`); every
 * request that changes something carries a JSON body and `X-Requested-With`, so the server can refuse
 * cross-site form posts.
 */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: options.cache ?? 'no-store' };
  if (options.signal) init.signal = options.signal;
  const mutating = method !== 'GET' && method !== 'HEAD';
  if (mutating) headers['x-requested-with'] = 'lantern';
  // POST and PATCH always send JSON (an empty object when there is nothing to say) so that every
  // state change is a CORS-preflighted request; DELETE carries no body.
  const body = options.body !== undefined ? options.body : method === 'POST' || method === 'PATCH' ? {} : undefined;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const url = path + toQueryString(options.query);
  const signature = method === 'POST' ? fingerprint(`${url}\n${init.body as string}`) : null;
  if (signature) headers['idempotency-key'] = idempotencyKeyFor(signature);

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw fallbackError(0);
  }

  const parsed = await readBody(response);
  const error = response.ok
    ? null
    : isErrorBody(parsed)
      ? new ApiError(response.status, parsed.error.code, parsed.error.message, parsed.error.field, parsed.error.requestId, true, (parsed.error as { details?: unknown }).details)
      : fallbackError(response.status);
  if (signature && !outcomeUnknown(response.status, error?.code)) unanswered.delete(signature);
  if (!error) return parsed as T;

  const step = authStepFor(error);
  if (step && options.authRedirect !== false) onAuthError?.(step, error);
  throw error;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, options),
  put: <T>(path: string, body: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PUT', path, { ...options, body }),
};

const FIELD_CONTAINERS = new Set(['body', 'query', 'querystring', 'params']);

/**
 * The form field an error refers to: `body.newPassword`, `/newPassword` and `newPassword` all become
 * `newPassword`; an item of a list (`counties.3`) belongs to the list's field, `counties`.
 */
export function errorField(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  const parts = error.field.split(/[./]/).filter((part) => part && !FIELD_CONTAINERS.has(part) && !/^\d+$/.test(part));
  return parts[0];
}

/** Words that start a sentence of their own ("an agency with this name already exists"). */
const SUBJECT_START = /^(a|an|the|this|that|these|those|no|you|your|another|it|there|two-step)\b/i;
/** Words that start a predicate ("must be at least 15 characters", "repeats too few …"). */
const PREDICATE_START = /^(must|should|can|cannot|may|will|need|needs|invalid|too|not)\b|^[a-z]+s\b/;

/**
 * The server writes most field messages as a predicate ("must be at least 15 characters"), often
 * prefixed with the field name ("newPassword: ..."). Beside a field this reads best as
 * "<Label> must be at least 15 characters."; a message that is already a sentence is only capitalised.
 */
export function fieldMessage(label: string, error: ApiError): string {
  let message = error.message.trim();
  for (const prefix of [error.field ?? '', errorField(error) ?? '']) {
    if (prefix && message.startsWith(`${prefix}:`)) message = message.slice(prefix.length + 1).trim();
  }
  if (/^[a-z]/.test(message)) {
    message =
      !SUBJECT_START.test(message) && PREDICATE_START.test(message)
        ? `${label} ${message}`
        : message.charAt(0).toUpperCase() + message.slice(1);
  }
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
