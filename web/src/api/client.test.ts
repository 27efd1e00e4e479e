import '../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/render.tsx';
import { ApiError, api, authStepFor, errorField, fieldMessage, setAuthErrorHandler, toQueryString } from './client.ts';

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  setAuthErrorHandler(undefined);
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('api client: requests', () => {
  it('sends JSON with the session cookie and a same-site marker', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(201, { id: 'a1' }));
    const result = await api.post<{ id: string }>('/api/agencies', { name: 'KCPD' });
    expect(result).toEqual({ id: 'a1' });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/agencies');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe('{"name":"KCPD"}');
    const headers = init?.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-requested-with']).toBe('lantern');
  });

  it('sends an empty JSON object for a POST without a body, and no body for GET', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true }));
    await api.post('/api/users/u1/unlock');
    expect(fetchMock.mock.calls[0]![1]?.body).toBe('{}');
    await api.get('/api/me');
    expect(fetchMock.mock.calls[1]![1]?.body).toBeUndefined();
  });

  it('leaves empty values out of the query string', () => {
    expect(toQueryString({ q: 'ann', agencyId: '', before: undefined, limit: 50 })).toBe('?q=ann&limit=50');
    expect(toQueryString({ q: '' })).toBe('');
  });
});

describe('api client: idempotency keys', () => {
  const keyOf = (call: number) => (fetchMock.mock.calls[call]![1]?.headers as Record<string, string>)['idempotency-key'];

  it('sends a fresh key with each POST, and none with GET', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 'a1' }));
    await api.post('/api/operations', { name: 'Night one' });
    await api.post('/api/operations', { name: 'Night one' });
    await api.get('/api/me');
    expect(keyOf(0)).toMatch(/^[0-9a-f]{32}$/);
    expect(keyOf(1)).toMatch(/^[0-9a-f]{32}$/);
    // Answered: the same form sent again on purpose is a new create.
    expect(keyOf(1)).not.toBe(keyOf(0));
    expect(keyOf(2)).toBeUndefined();
  });

  it('sends the same key again when the first send got no answer, and a new one once answered', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    expect((await failure(api.post('/api/clients', { name: 'Client A' }))).code).toBe('network');
    fetchMock.mockResolvedValueOnce(jsonResponse(503, { error: { code: 'database_unavailable', message: 'Try again shortly.' } }));
    await failure(api.post('/api/clients', { name: 'Client A' }));
    fetchMock.mockResolvedValueOnce(jsonResponse(409, { error: { code: 'idempotency_in_progress', message: 'still being carried out', field: 'Idempotency-Key' } }));
    await failure(api.post('/api/clients', { name: 'Client A' }));
    fetchMock.mockResolvedValueOnce(jsonResponse(201, { id: 'c1' }));
    expect(await api.post('/api/clients', { name: 'Client A' })).toEqual({ id: 'c1' });
    expect(new Set([keyOf(0), keyOf(1), keyOf(2), keyOf(3)]).size).toBe(1);
    // Another body (the user changed the form) is another request.
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 'c2' }));
    await api.post('/api/clients', { name: 'Client B' });
    expect(keyOf(4)).not.toBe(keyOf(0));
    // The first, answered, gets a new key if sent again.
    await api.post('/api/clients', { name: 'Client A' });
    expect(keyOf(5)).not.toBe(keyOf(0));
  });

  it('retires the key of a refused request (4xx): fixing the form and sending it again is a new request', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(400, { error: { code: 'invalid', message: 'name: required', field: 'name' } }));
    await failure(api.post('/api/agencies', { name: '' }));
    fetchMock.mockResolvedValueOnce(jsonResponse(201, { id: 'a2' }));
    await api.post('/api/agencies', { name: '' });
    expect(keyOf(1)).not.toBe(keyOf(0));
  });
});

describe('api client: errors', () => {
  it('turns an error body into an ApiError with code, message, field and status', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(400, { error: { code: 'invalid', message: 'newPassword: is a commonly used password; choose another', field: 'newPassword' } }),
    );
    const error = await failure(api.post('/api/account/password', { currentPassword: 'x', newPassword: 'y' }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid');
    expect(error.field).toBe('newPassword');
    expect(error.message).toBe('newPassword: is a commonly used password; choose another');
    expect(error.fromServer).toBe(true);
  });

  it('keeps the request id of a server error', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(500, { error: { code: 'internal', message: 'Something went wrong on our side.', requestId: 'r-123' } }));
    const error = await failure(api.get('/api/agencies'));
    expect(error.requestId).toBe('r-123');
  });

  it('makes up an error for a response without an error body', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    const error = await failure(api.get('/api/agencies'));
    expect(error.status).toBe(502);
    expect(error.code).toBe('server_error');
    expect(error.fromServer).toBe(false);
  });

  it('reports a network failure as status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const error = await failure(api.get('/api/agencies'));
    expect(error.status).toBe(0);
    expect(error.code).toBe('network');
  });

  it.each([
    ['unauthenticated', 'sign-in'],
    ['session_expired', 'sign-in'],
    ['mfa_required', 'mfa'],
    ['enrolment_required', 'enrol'],
  ] as const)('a 401 %s sends the user to %s', async (code, step) => {
    const handler = vi.fn();
    setAuthErrorHandler(handler);
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code, message: 'Sign in.' } }));
    const error = await failure(api.get('/api/users'));
    expect(authStepFor(error)).toBe(step);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]![0]).toBe(step);
  });

  it('does not redirect where the caller handles the 401 (sign-in forms)', async () => {
    const handler = vi.fn();
    setAuthErrorHandler(handler);
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Wrong email or password.' } }));
    await failure(api.post('/api/auth/login', {}, { authRedirect: false }));
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'unauthenticated', message: 'Sign in.' } }));
    await failure(api.get('/api/me', { authRedirect: false }));
    expect(handler).not.toHaveBeenCalled();
  });

  it('does not treat a wrong MFA code (401 invalid_code) or a 403 as a reason to sign in', async () => {
    const handler = vi.fn();
    setAuthErrorHandler(handler);
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'invalid_code', message: 'That code is not right.', field: 'code' } }));
    await failure(api.post('/api/account/recovery-codes', { code: '000000' }));
    fetchMock.mockResolvedValueOnce(jsonResponse(403, { error: { code: 'forbidden', message: 'You are not allowed to do that.' } }));
    await failure(api.get('/api/audit'));
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('field messages', () => {
  const err = (field: string, message: string) => new ApiError(400, 'invalid', message, field);

  it('names the field from a path', () => {
    expect(errorField(err('body.newPassword', 'x'))).toBe('newPassword');
    expect(errorField(err('counties.3', 'x'))).toBe('counties');
    expect(errorField(new ApiError(400, 'invalid', 'x'))).toBeUndefined();
  });

  it('reads as a sentence beside the field', () => {
    expect(fieldMessage('New password', err('newPassword', 'newPassword: must be at least 15 characters'))).toBe(
      'New password must be at least 15 characters.',
    );
    expect(fieldMessage('New password', err('newPassword', 'newPassword: repeats too few different characters'))).toBe(
      'New password repeats too few different characters.',
    );
    expect(fieldMessage('Agency name', err('name', 'name: an agency with this name already exists'))).toBe(
      'An agency with this name already exists.',
    );
    expect(fieldMessage('Code', err('code', 'That code was already used. Wait for the next one.'))).toBe(
      'That code was already used. Wait for the next one.',
    );
  });
});
