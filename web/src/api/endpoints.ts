/** One typed function per API route the staff app calls. */
import { api, toQueryString } from './client.ts';
import type { GeocodeResponse, MapSettingsDto } from '../../../common/schemas/geocoding.ts';
import type { TaskForceContactsDto } from '../../../common/schemas/directory.ts';
import type { DemoStatusDto } from '../../../common/schemas/demo.ts';
import type {
  AgencyDto,
  ContactDto,
  ContactListDto,
  CustodyDto,
  CustodyList,
  CustodyReceiptInput,
  HandOffInput,
  InboxList,
  OperationDto,
  OperationList,
  OutcomeDto,
  ParentNotificationInput,
  PlanOperationInput,
  RecordContactInput,
  RecordedContactDto,
  ReferContactInput,
  ReferralDto,
  ReferralList,
  ReferralQuery,
  SentReferralDto,
  UpdateContactInput,
  UpdateCustodyInput,
  UpdateOperationInput,
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
  CorrectPressReleaseInput,
  HotlineDto,
  JurisdictionDto,
  PressReleaseDto,
  PressReleaseList,
  StatisticsJobDto,
  StatisticsJobKind,
  StatisticsJobList,
  StatisticsPreviewDto,
  StatisticsReleaseDto,
  StatisticsReleaseList,
  UpdateHotlineInput,
  UpdatePressReleaseInput,
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
  demo: (signal?: AbortSignal) => api.get<DemoStatusDto>('/api/demo', { signal, authRedirect: false }),
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
  contacts: (id: string, signal?: AbortSignal) => api.get<TaskForceContactsDto>(`/api/task-forces/${enc(id)}/contacts`, { signal }),
};

/** Address and place search (the operator's geocoder), and the maps' tile settings. */
export const geocoding = {
  search: (q: string, signal?: AbortSignal) => api.get<GeocodeResponse>('/api/geocode', { signal, query: { q } }),
  settings: (signal?: AbortSignal) => api.get<MapSettingsDto>('/api/geocode/settings', { signal }),
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

export interface OperationFilter {
  status?: string;
  q?: string;
  from?: string;
  to?: string;
  agencyId?: string;
  county?: string;
}

export const operations = {
  list: (filter: OperationFilter, signal?: AbortSignal) => api.get<OperationList>('/api/operations', { query: { ...filter }, signal }),
  get: (id: string, signal?: AbortSignal) => api.get<OperationDto>(`/api/operations/${enc(id)}`, { signal }),
  plan: (input: PlanOperationInput) => api.post<OperationDto>('/api/operations', input),
  update: (id: string, input: UpdateOperationInput) => api.patch<OperationDto>(`/api/operations/${enc(id)}`, input),
  approve: (id: string) => api.post<OperationDto>(`/api/operations/${enc(id)}/approve`),
  activate: (id: string) => api.post<OperationDto>(`/api/operations/${enc(id)}/activate`),
  close: (id: string) => api.post<OperationDto>(`/api/operations/${enc(id)}/close`),
  waive: (id: string, reason: string) => api.post<OperationDto>(`/api/operations/${enc(id)}/waiver`, { reason }),
  resolveConflict: (id: string, conflictId: string, note: string) =>
    api.post<OperationDto>(`/api/operations/${enc(id)}/conflicts/${enc(conflictId)}/resolve`, { note }),
  outcome: (id: string, signal?: AbortSignal) => api.get<OutcomeDto>(`/api/operations/${enc(id)}/outcome`, { signal }),
  /** The field log; `since` (the previous answer's `nextSince`) returns only rows changed after it. */
  contacts: (id: string, since: string | undefined, signal?: AbortSignal) =>
    api.get<ContactListDto>(`/api/operations/${enc(id)}/contacts`, { query: { since }, signal }),
  recordContact: (id: string, input: RecordContactInput) => api.post<RecordedContactDto>(`/api/operations/${enc(id)}/contacts`, input),
  /** The after-action report: plain links, the browser opens them with the session cookie. */
  afterActionUrl: (id: string) => `/api/operations/${enc(id)}/after-action`,
  afterActionPdfUrl: (id: string) => `/api/operations/${enc(id)}/after-action.pdf`,
};

export const contacts = {
  get: (id: string, signal?: AbortSignal) => api.get<ContactDto>(`/api/contacts/${enc(id)}`, { signal }),
  update: (id: string, input: UpdateContactInput) => api.patch<RecordedContactDto>(`/api/contacts/${enc(id)}`, input),
};

export const referrals = {
  create: (contactId: string, input: ReferContactInput) => api.post<SentReferralDto>(`/api/contacts/${enc(contactId)}/referrals`, input),
  list: (query: ReferralQuery, signal?: AbortSignal) => api.get<ReferralList>('/api/referrals', { query: { ...query }, signal }),
  get: (id: string, signal?: AbortSignal) => api.get<ReferralDto>(`/api/referrals/${enc(id)}`, { signal }),
  accept: (id: string, note?: string) => api.post<ReferralDto>(`/api/referrals/${enc(id)}/accept`, note ? { note } : {}),
  decline: (id: string, note?: string) => api.post<ReferralDto>(`/api/referrals/${enc(id)}/decline`, note ? { note } : {}),
  addNote: (id: string, text: string) => api.post<ReferralDto>(`/api/referrals/${enc(id)}/notes`, { text }),
};

export const custody = {
  handOff: (contactId: string, input: HandOffInput) => api.post<CustodyDto>(`/api/contacts/${enc(contactId)}/custody`, input),
  list: (query: { operationId?: string }, signal?: AbortSignal) => api.get<CustodyList>('/api/custody', { query: { ...query }, signal }),
  get: (id: string, signal?: AbortSignal) => api.get<CustodyDto>(`/api/custody/${enc(id)}`, { signal }),
  update: (id: string, input: UpdateCustodyInput) => api.patch<CustodyDto>(`/api/custody/${enc(id)}`, input),
  addParentNotification: (id: string, input: ParentNotificationInput) => api.post<CustodyDto>(`/api/custody/${enc(id)}/parent-notifications`, input),
  recordReceipt: (id: string, input: CustodyReceiptInput) => api.post<CustodyDto>(`/api/custody/${enc(id)}/receipt`, input),
};

export const inbox = {
  list: (unreadOnly: boolean, signal?: AbortSignal) => api.get<InboxList>('/api/inbox', { query: { unread: unreadOnly ? 'true' : undefined }, signal }),
  markRead: (id: string) => api.post<{ ok: true }>(`/api/inbox/${enc(id)}/read`),
};

export const pressReleases = {
  list: (query: { operationId?: string; awaitingMyApproval?: 'true' }, signal?: AbortSignal) => api.get<PressReleaseList>('/api/press-releases', { query: { ...query }, signal }),
  get: (id: string, signal?: AbortSignal) => api.get<PressReleaseDto>(`/api/press-releases/${enc(id)}`, { signal }),
  /** Drafted by the server from the operation's outcome, in English and Spanish. */
  draft: (operationId: string, datelineCity?: string) =>
    api.post<PressReleaseDto>(`/api/operations/${enc(operationId)}/press-releases`, datelineCity ? { datelineCity } : {}),
  update: (id: string, input: UpdatePressReleaseInput) => api.patch<PressReleaseDto>(`/api/press-releases/${enc(id)}`, input),
  approve: (id: string, as?: 'pio' | 'coordinator') => api.post<PressReleaseDto>(`/api/press-releases/${enc(id)}/approve`, as ? { as } : {}),
  publish: (id: string) => api.post<PressReleaseDto>(`/api/press-releases/${enc(id)}/publish`),
  correct: (id: string, input: CorrectPressReleaseInput) => api.post<PressReleaseDto>(`/api/press-releases/${enc(id)}/corrections`, input),
};

/** The public pages of a published release (server-rendered, outside the app): plain links. */
export const newsUrls = (slug: string) => ({
  pageEn: `/news/${enc(slug)}`,
  pageEs: `/news/${enc(slug)}?lang=es`,
  pdfEn: `/news/${enc(slug)}.pdf`,
  pdfEs: `/news/${enc(slug)}.pdf?lang=es`,
});

export const settings = {
  hotline: (signal?: AbortSignal) => api.get<HotlineDto>('/api/settings/hotline', { signal }),
  setHotline: (input: UpdateHotlineInput) => api.put<HotlineDto>('/api/settings/hotline', input),
};

/** The task force's state, time zone and counties (LANTERN_STATE on the server); the county map on its own. */
export const jurisdiction = {
  get: (signal?: AbortSignal) => api.get<JurisdictionDto>('/api/jurisdiction', { signal, cache: 'default' }),
  map: (signal?: AbortSignal) => api.get<unknown>('/api/jurisdiction/map', { signal, cache: 'default' }),
};

export const statistics = {
  releases: (signal?: AbortSignal) => api.get<StatisticsReleaseList>('/api/statistics/releases', { signal }),
  /** What publishing now would release; publishes nothing. */
  preview: () => api.post<StatisticsPreviewDto>('/api/statistics/releases/preview'),
  publish: () => api.post<StatisticsReleaseDto>('/api/statistics/releases'),
  /** Starts a preview or a publication that runs on the server after the answer (issue #8). */
  startJob: (kind: StatisticsJobKind) => api.post<StatisticsJobDto>('/api/statistics/jobs', { kind }),
  job: (id: string, signal?: AbortSignal) => api.get<StatisticsJobDto>(`/api/statistics/jobs/${enc(id)}`, { signal }),
  /** The jobs still running, to pick up a progress bar on coming back to the page. */
  activeJobs: (signal?: AbortSignal) => api.get<StatisticsJobList>('/api/statistics/jobs', { signal, query: { active: 1 } }),
  /** The public page, server-rendered outside the app. */
  publicPageUrl: '/statistics',
};
