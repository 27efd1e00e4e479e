import { expect, type APIRequestContext } from '@playwright/test';

export interface ListedUser {
  id: string;
  email: string;
  displayName: string;
  locked: boolean;
}

/** A user found by exact email through `GET /api/users`, as the signed-in caller sees it. */
export async function findUser(api: APIRequestContext, email: string): Promise<ListedUser> {
  const res = await api.get('/api/users', { params: { q: email } });
  expect(res.status(), await res.text()).toBe(200);
  const { users } = (await res.json()) as { users: ListedUser[] };
  const user = users.find((u) => u.email === email);
  if (!user) throw new Error(`GET /api/users?q=${email} did not list ${email}`);
  return user;
}

/** Opens an account through `POST /api/users`; answers with its id and temporary password. */
export async function createUser(
  api: APIRequestContext,
  input: { email: string; displayName: string; agencyId: string; roles: string[] },
): Promise<{ id: string; temporaryPassword: string }> {
  const res = await api.post('/api/users', { data: input });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; temporaryPassword: string };
}

/** The signed-in caller's `GET /api/me`. */
export async function me(api: APIRequestContext): Promise<{ user: { id: string }; agency: { id: string; name: string } }> {
  const res = await api.get('/api/me');
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { user: { id: string }; agency: { id: string; name: string } };
}
