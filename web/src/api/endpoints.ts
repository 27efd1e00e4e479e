/** One typed function per API route the staff app calls. */
import { api, toQueryString } from './client.ts';
import type {
  AgencyDto,
  AgencyList,
  AuditPageDto,
  AuditSearch,
  CreateAgencyInput,
  CreateTaskForceInput,
  CreateUserInput,
  CreatedUserDto,
  EnrolmentResponse,
  LoginInput,
  LoginResponse,
  MeDto,
  MfaResponse,
  PasswordChangeInput,
  RecoveryCodesResponse,
  SessionList,
  TaskForceDto,
  TaskForceList,
  UpdateAgencyInput,
  UpdateUserInput,
  UserDto,
  UserList,
} from './types.ts';

const enc = encodeURIComponent;

export const auth = {
  /** The initial check decides between the app and sign-in itself, so it never redirects. */
  me: (signal?: AbortSignal) => api.get<MeDto>('/api/me', { signal, authRedirect: false }),
  login: (input: LoginInput) => api.post<LoginResponse>('/api/auth/login', input, { authRedirect: false }),
  /** Both the sign-in challenge and the confirmation of a new enrolment. */
  mfa: (code: string) => api.post<MfaResponse>('/api/auth/mfa', { code }, { authRedirect: false }),
  startEnrolment: () => api.post<EnrolmentResponse>('/api/auth/mfa/enrolment', undefined, { authRedirect: false }),
  logout: () => api.post<unknown>('/api/auth/logout', undefined, { authRedirect: false }),
};

export const account = {
  changePassword: (input: PasswordChangeInput) => api.post<unknown>('/api/account/password', input),
  sessions: (signal?: AbortSignal) => api.get<SessionList>('/api/account/sessions', { signal }),
  revokeOtherSessions: () => api.post<unknown>('/api/account/sessions/revoke-others'),
  revokeSession: (id: string) => api.delete<unknown>(`/api/account/sessions/${enc(id)}`),
  regenerateRecoveryCodes: (code: string) => api.post<RecoveryCodesResponse>('/api/account/recovery-codes', { code }),
};

export const agencies = {
  list: (signal?: AbortSignal) => api.get<AgencyList>('/api/agencies', { signal }),
  get: (id: string, signal?: AbortSignal) => api.get<AgencyDto>(`/api/agencies/${enc(id)}`, { signal }),
  create: (input: CreateAgencyInput) => api.post<AgencyDto>('/api/agencies', input),
  update: (id: string, input: UpdateAgencyInput) => api.patch<AgencyDto>(`/api/agencies/${enc(id)}`, input),
};

export const taskForces = {
  list: (signal?: AbortSignal) => api.get<TaskForceList>('/api/task-forces', { signal }),
  get: (id: string, signal?: AbortSignal) => api.get<TaskForceDto>(`/api/task-forces/${enc(id)}`, { signal }),
  create: (input: CreateTaskForceInput) => api.post<TaskForceDto>('/api/task-forces', input),
  addAgency: (id: string, agencyId: string) => api.post<TaskForceDto>(`/api/task-forces/${enc(id)}/agencies`, { agencyId }),
  removeAgency: (id: string, agencyId: string) =>
    api.delete<TaskForceDto>(`/api/task-forces/${enc(id)}/agencies/${enc(agencyId)}`),
};

export const users = {
  list: (query: { agencyId?: string; q?: string }, signal?: AbortSignal) =>
    api.get<UserList>('/api/users', { query, signal }),
  get: (id: string, signal?: AbortSignal) => api.get<UserDto>(`/api/users/${enc(id)}`, { signal }),
  create: (input: CreateUserInput) => api.post<CreatedUserDto>('/api/users', input),
  update: (id: string, input: UpdateUserInput) => api.patch<UserDto>(`/api/users/${enc(id)}`, input),
  unlock: (id: string) => api.post<UserDto>(`/api/users/${enc(id)}/unlock`),
  resetMfa: (id: string) => api.post<UserDto>(`/api/users/${enc(id)}/reset-mfa`),
  resetPassword: (id: string) => api.post<{ temporaryPassword: string }>(`/api/users/${enc(id)}/reset-password`),
};

export const audit = {
  search: (search: AuditSearch, before: string | undefined, signal?: AbortSignal) =>
    api.get<AuditPageDto>('/api/audit', { query: { ...search, before }, signal }),
  /** A plain link: the browser downloads the file with the session cookie. */
  exportUrl: (search: AuditSearch) => `/api/audit/export.csv${toQueryString({ ...search })}`,
};
