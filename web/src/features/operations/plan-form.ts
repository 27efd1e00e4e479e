/** The plan form's state, its checks before sending, and what it sends (pure: tested without a DOM). */
import type { OperationType, SubjectKind } from '../../../../common/operations.ts';
import { locationInput, phoneNumber } from '../../../../common/schemas/operations.ts';
import type { AgencyKind } from '../../../../common/roles.ts';
import type { OperationDto, PlanOperationInput, UpdateOperationInput } from '../../api/types.ts';
import { isoToLocalInput, localInputToIso } from '../../components/format.ts';

export interface LocationDraft {
  key: string;
  label: string;
  countyFips: string;
  lat: string;
  lng: string;
  radiusM: string;
}

export interface SubjectDraft {
  key: string;
  kind: SubjectKind;
  value: string;
}

export interface PlanDraft {
  name: string;
  type: OperationType | '';
  /** `datetime-local` values, in the planner's time zone. */
  startsAt: string;
  endsAt: string;
  taskForceId: string;
  locations: LocationDraft[];
  /** Partner agencies taking part (the lead is implicit); each takes the role its kind of agency fills. */
  participantIds: string[];
  commanderUserId: string;
  commanderName: string;
  commanderPhone: string;
  assignedUserIds: string[];
  subjects: SubjectDraft[];
  briefing: string;
  investigationHold: boolean;
}

let counter = 0;
/** A key for a repeatable row, stable across re-renders (React lists) and unique in the page. */
export const rowKey = () => `row-${++counter}`;

export const blankLocation = (): LocationDraft => ({ key: rowKey(), label: '', countyFips: '', lat: '', lng: '', radiusM: '' });
export const blankSubject = (): SubjectDraft => ({ key: rowKey(), kind: 'phone', value: '' });

export function emptyDraft(taskForceId: string): PlanDraft {
  return {
    name: '',
    type: '',
    startsAt: '',
    endsAt: '',
    taskForceId,
    locations: [blankLocation()],
    participantIds: [],
    commanderUserId: '',
    commanderName: '',
    commanderPhone: '',
    assignedUserIds: [],
    subjects: [],
    briefing: '',
    // Issue #3: the investigation hold is on unless the planner turns it off.
    investigationHold: true,
  };
}

export function draftFromOperation(op: OperationDto): PlanDraft {
  return {
    name: op.name,
    type: op.type,
    startsAt: isoToLocalInput(op.startsAt),
    endsAt: isoToLocalInput(op.endsAt),
    taskForceId: op.taskForce.id,
    locations: op.locations.map((l) => ({
      key: rowKey(),
      label: l.label,
      countyFips: l.countyFips,
      lat: String(l.lat),
      lng: String(l.lng),
      radiusM: String(l.radiusM),
    })),
    participantIds: op.participants.filter((p) => p.role !== 'lead').map((p) => p.agencyId),
    commanderUserId: op.commander.userId ?? '',
    commanderName: op.commander.name,
    commanderPhone: op.commander.phone,
    assignedUserIds: op.assignments.map((a) => a.userId),
    subjects: (op.subjects ?? []).map((s) => ({ key: rowKey(), kind: s.kind, value: s.value })),
    briefing: op.briefing ?? '',
    investigationHold: op.investigationHold,
  };
}

/** The role a partner agency takes in an operation follows from its kind (the server checks the same). */
export function participantRole(kind: AgencyKind): 'participant' | 'victim_services' | 'child_welfare' {
  if (kind === 'victim_services') return 'victim_services';
  if (kind === 'child_welfare') return 'child_welfare';
  return 'participant';
}

/** Agencies whose users may be assigned: the lead and participating law-enforcement or prosecuting agencies. */
export const staffsOperations = (kind: AgencyKind) => participantRole(kind) === 'participant';

export type PlanProblem =
  | 'required'
  | 'endBeforeStart'
  | 'latitude'
  | 'longitude'
  | 'radius'
  | 'phone'
  | 'locationsRequired';

function number(value: string): number | undefined {
  if (!value.trim()) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : Number.NaN;
}

/**
 * Problems the planner can fix before sending, by field path (`locations.0.lat`, the server's paths);
 * coordinates, radius and phone are checked with the server's own schemas (common/schemas/operations.ts).
 */
export function checkDraft(d: PlanDraft, opts: { needsTaskForce: boolean }): Record<string, PlanProblem> {
  const problems: Record<string, PlanProblem> = {};
  if (!d.name.trim()) problems.name = 'required';
  if (!d.type) problems.type = 'required';
  if (opts.needsTaskForce && !d.taskForceId) problems.taskForceId = 'required';
  const start = localInputToIso(d.startsAt);
  const end = localInputToIso(d.endsAt);
  if (!start) problems.startsAt = 'required';
  if (!end) problems.endsAt = 'required';
  else if (start && Date.parse(end) <= Date.parse(start)) problems.endsAt = 'endBeforeStart';
  if (d.locations.length === 0) problems.locations = 'locationsRequired';
  d.locations.forEach((l, i) => {
    if (!l.label.trim()) problems[`locations.${i}.label`] = 'required';
    if (!l.countyFips) problems[`locations.${i}.countyFips`] = 'required';
    const lat = number(l.lat);
    const lng = number(l.lng);
    if (lat === undefined) problems[`locations.${i}.lat`] = 'required';
    else if (!locationInput.shape.lat.safeParse(lat).success) problems[`locations.${i}.lat`] = 'latitude';
    if (lng === undefined) problems[`locations.${i}.lng`] = 'required';
    else if (!locationInput.shape.lng.safeParse(lng).success) problems[`locations.${i}.lng`] = 'longitude';
    const radius = number(l.radiusM);
    if (radius !== undefined && !locationInput.shape.radiusM.safeParse(radius).success) {
      problems[`locations.${i}.radiusM`] = 'radius';
    }
  });
  if (!d.commanderName.trim()) problems['commander.name'] = 'required';
  if (!d.commanderPhone.trim()) problems['commander.phone'] = 'required';
  else if (!phoneNumber.safeParse(d.commanderPhone).success) problems['commander.phone'] = 'phone';
  d.subjects.forEach((s, i) => {
    if (!s.value.trim()) problems[`subjects.${i}.value`] = 'required';
  });
  return problems;
}

type PlanFields = Omit<PlanOperationInput, 'taskForceId'>;

/** The whole plan as the API takes it: instants in ISO (UTC), numbers as numbers, blanks left out. */
export function planFields(d: PlanDraft, kinds: ReadonlyMap<string, AgencyKind>): PlanFields {
  return {
    name: d.name.trim(),
    type: d.type as OperationType,
    startsAt: localInputToIso(d.startsAt)!,
    endsAt: localInputToIso(d.endsAt)!,
    locations: d.locations.map((l) => ({
      label: l.label.trim(),
      countyFips: l.countyFips,
      lat: Number(l.lat),
      lng: Number(l.lng),
      ...(l.radiusM.trim() ? { radiusM: Number(l.radiusM) } : {}),
    })),
    participants: d.participantIds.filter((id) => kinds.has(id)).map((agencyId) => ({ agencyId, role: participantRole(kinds.get(agencyId)!) })),
    commander: { userId: d.commanderUserId || null, name: d.commanderName.trim(), phone: d.commanderPhone.trim() },
    subjects: d.subjects.map((s) => ({ kind: s.kind, value: s.value.trim() })),
    briefing: d.briefing.trim() || null,
    investigationHold: d.investigationHold,
    assignedUserIds: d.assignedUserIds,
  };
}

export function planInput(d: PlanDraft, kinds: ReadonlyMap<string, AgencyKind>): PlanOperationInput {
  return { taskForceId: d.taskForceId, ...planFields(d, kinds) };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only what changed, with the version the planner started from. Locations and subjects are sent only
 * when they changed: the server replaces them as a whole, and a replaced location's conflicts are
 * worked out afresh (a resolved conflict would come back open).
 */
export function updateInput(original: PlanDraft, d: PlanDraft, kinds: ReadonlyMap<string, AgencyKind>, version: number): UpdateOperationInput {
  const before = planFields(original, kinds);
  const after = planFields(d, kinds);
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof PlanFields)[]) {
    if (key === 'participants' || key === 'assignedUserIds') {
      const sortKey = (v: unknown) => JSON.stringify([...(v as unknown[])].map((x) => JSON.stringify(x)).sort());
      if (sortKey(before[key]) !== sortKey(after[key])) changes[key] = after[key];
    } else if (!same(before[key], after[key])) {
      changes[key] = after[key];
    }
  }
  return { ...changes, version } as UpdateOperationInput;
}
