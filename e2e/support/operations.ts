/**
 * Setting the scene for the operations, referrals and press-release tests through the API, when the
 * UI for that step is not what the test is about: planning another agency's operation, running one
 * to the point where a person can be referred, finding the demo's operations.
 */
import { expect, type APIRequestContext } from '@playwright/test';

/** Where the demo's users plan, as the app's `datetime-local` fields read it (Playwright runs the browser in Chicago time). */
export const TIME_ZONE = 'America/Chicago';

/** A `datetime-local` value (YYYY-MM-DDTHH:mm) for an instant, in Chicago time. */
export function localInput(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A window that is running now: from an hour ago (to the minute) for `hours` hours. */
export function windowAroundNow(hours = 6): { startsMs: number; endsMs: number; startsAt: string; endsAt: string } {
  const startsMs = Math.floor((Date.now() - 60 * 60_000) / 60_000) * 60_000;
  const endsMs = startsMs + hours * 60 * 60_000;
  return { startsMs, endsMs, startsAt: new Date(startsMs).toISOString(), endsAt: new Date(endsMs).toISOString() };
}

/** Places in Missouri that no demo operation uses, each inside its county (the server checks). */
export const PLACES = {
  lexington: { label: 'Riverfront motel, Lexington (e2e)', countyFips: '29107', countyOption: 'Lafayette (29107)', lat: 39.1847, lng: -93.8799 },
  sedalia: { label: 'Truck stop on US-65, Sedalia (e2e)', countyFips: '29159', countyOption: 'Pettis (29159)', lat: 38.7045, lng: -93.2283 },
} as const;

export interface OperationSummary {
  id: string;
  name: string;
  status: string;
  leadAgency: { id: string; name: string };
}

export interface Me {
  user: { id: string; displayName: string };
  agency: { id: string; name: string };
  taskForces: { id: string; name: string }[];
}

export async function whoAmI(api: APIRequestContext): Promise<Me> {
  const res = await api.get('/api/me');
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Me;
}

/** Agencies of the caller's (only) task force, by name. */
export async function taskForceMembers(api: APIRequestContext, taskForceId: string): Promise<Map<string, { agencyId: string; kind: string }>> {
  const res = await api.get(`/api/task-forces/${taskForceId}`);
  expect(res.status(), await res.text()).toBe(200);
  const { members } = (await res.json()) as { members: { agencyId: string; name: string; kind: string }[] };
  return new Map(members.map((m) => [m.name, { agencyId: m.agencyId, kind: m.kind }]));
}

export async function findOperation(api: APIRequestContext, name: string): Promise<OperationSummary> {
  const res = await api.get('/api/operations', { params: { q: name } });
  expect(res.status(), await res.text()).toBe(200);
  const { operations } = (await res.json()) as { operations: OperationSummary[] };
  const op = operations.find((o) => o.name === name);
  if (!op) throw new Error(`GET /api/operations?q=${name} did not list "${name}"`);
  return op;
}

export async function post<T>(api: APIRequestContext, url: string, data: unknown, status = 200): Promise<T> {
  const res = await api.post(url, { data: data as Record<string, unknown> });
  expect(res.status(), `POST ${url}: ${await res.text()}`).toBe(status);
  return (await res.json()) as T;
}

/** What a browser test needs to say about an operation it plans through the API. */
export interface OperationPlan {
  taskForceId: string;
  name: string;
  type?: string;
  startsMs: number;
  hours: number;
  location: { label: string; countyFips: string; lat: number; lng: number };
  commander: { name: string; phone: string };
  assignedUserIds: string[];
  participants?: { agencyId: string; role: string }[];
  briefing?: string;
}

/**
 * Plans an operation as a coordinator and approves it, returning its id: the set-up of flows that start
 * after planning (a press release, a hand-off, a referral).
 */
export async function planApprovedOperation(coordinator: APIRequestContext, plan: OperationPlan): Promise<string> {
  const { id } = await post<{ id: string }>(
    coordinator,
    '/api/operations',
    {
      taskForceId: plan.taskForceId,
      name: plan.name,
      type: plan.type ?? 'buyer_sting',
      startsAt: new Date(plan.startsMs).toISOString(),
      endsAt: new Date(plan.startsMs + plan.hours * 3_600_000).toISOString(),
      locations: [{ label: plan.location.label, countyFips: plan.location.countyFips, lat: plan.location.lat, lng: plan.location.lng }],
      commander: plan.commander,
      assignedUserIds: plan.assignedUserIds,
      ...(plan.participants ? { participants: plan.participants } : {}),
      ...(plan.briefing ? { briefing: plan.briefing } : {}),
    },
    201,
  );
  await post(coordinator, `/api/operations/${id}/approve`, {});
  return id;
}

/** As {@link planApprovedOperation}, then started: its field log is open. */
export async function startOperation(coordinator: APIRequestContext, plan: OperationPlan): Promise<string> {
  const id = await planApprovedOperation(coordinator, plan);
  await post(coordinator, `/api/operations/${id}/activate`, {});
  return id;
}
