/**
 * The field log's form rules (pure, tested without a DOM): which age bands and dispositions a role
 * offers, what a role change clears, what is required, and what goes to the API. The impossible
 * combinations themselves come from `common/contact-rules.ts`, the same check the server runs.
 */
import { contactProblem } from '../../../../common/contact-rules.ts';
import {
  ADULT_AGE_BANDS,
  MINOR_AGE_BANDS,
  SERVICES,
  type AgeBand,
  type ContactRole,
  type Disposition,
  type Service,
  type Sex,
  type SuspectType,
} from '../../../../common/operations.ts';
import type { ContactDto, RecordContactInput, UpdateContactInput } from '../../api/types.ts';

export interface ContactDraft {
  role: ContactRole | '';
  suspectType: SuspectType | '';
  sex: Sex | '';
  ageBand: AgeBand | '';
  /** Whole years, minors only. */
  estimatedAge: string;
  disposition: Disposition | '';
  /** One charge per line (an arrest). */
  charges: string;
  name: string;
  /** One alias per line. */
  aliases: string;
  /** YYYY-MM-DD. */
  dob: string;
  /** One phone number per line (or separated by commas). */
  phones: string;
  screeningTool: string;
  screeningResult: string;
  offered: Service[];
  accepted: Service[];
}

export const emptyContact = (): ContactDraft => ({
  role: '',
  suspectType: '',
  sex: '',
  ageBand: '',
  estimatedAge: '',
  disposition: '',
  charges: '',
  name: '',
  aliases: '',
  dob: '',
  phones: '',
  screeningTool: '',
  screeningResult: '',
  offered: [],
  accepted: [],
});

/**
 * Age bands offered for a role: a minor's bands only for a minor, an adult's only for an adult
 * potential victim (a younger person is recorded as a minor). A suspect or witness may be any age —
 * a 16-year-old "facilitator" is a juvenile, and their record is sealed like a minor's.
 */
export function bandsFor(role: ContactRole | ''): AgeBand[] {
  switch (role) {
    case 'minor':
      return [...MINOR_AGE_BANDS, 'unknown'];
    case 'adult_victim':
      return [...ADULT_AGE_BANDS, 'unknown'];
    case 'suspect':
    case 'witness':
      return [...ADULT_AGE_BANDS, ...MINOR_AGE_BANDS, 'unknown'];
    default:
      return [];
  }
}

/** Dispositions a role can take, most usual first: protective custody is for minors, services for adult victims. */
export function dispositionsFor(role: ContactRole | ''): Disposition[] {
  switch (role) {
    case 'suspect':
      return ['detained', 'arrested', 'cited', 'released'];
    case 'adult_victim':
      return ['offered_services', 'released', 'detained', 'arrested', 'cited'];
    case 'minor':
      return ['protective_custody', 'released', 'detained', 'arrested', 'cited'];
    case 'witness':
      return ['released', 'detained', 'cited', 'arrested'];
    default:
      return [];
  }
}

/** Changing the role keeps what still fits and clears the rest (a suspect type, a minor's age, services). */
export function withRole(d: ContactDraft, role: ContactRole): ContactDraft {
  return {
    ...d,
    role,
    suspectType: role === 'suspect' ? d.suspectType : '',
    ageBand: d.ageBand && bandsFor(role).includes(d.ageBand) ? d.ageBand : '',
    estimatedAge: role === 'minor' ? d.estimatedAge : '',
    disposition: d.disposition && dispositionsFor(role).includes(d.disposition) ? d.disposition : '',
    screeningTool: role === 'adult_victim' ? d.screeningTool : '',
    screeningResult: role === 'adult_victim' ? d.screeningResult : '',
    offered: role === 'adult_victim' ? d.offered : [],
    accepted: role === 'adult_victim' ? d.accepted : [],
  };
}

/** Offering a service again is a no-op; taking an offer away also takes away its acceptance. */
export function withOffered(d: ContactDraft, service: Service, on: boolean): ContactDraft {
  const offered = on ? [...new Set([...d.offered, service])] : d.offered.filter((s) => s !== service);
  return { ...d, offered: SERVICES.filter((s) => offered.includes(s)), accepted: d.accepted.filter((s) => offered.includes(s)) };
}

export function withAccepted(d: ContactDraft, service: Service, on: boolean): ContactDraft {
  const accepted = on ? [...new Set([...d.accepted, service])] : d.accepted.filter((s) => s !== service);
  return { ...d, accepted: SERVICES.filter((s) => accepted.includes(s) && d.offered.includes(s)) };
}

const lines = (text: string) =>
  text
    .split(/\n/)
    .map((s) => s.trim())
    .filter(Boolean);
const phoneList = (text: string) =>
  text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean);

const PHONE = /^\+?[0-9 ().-]{7,}$/;

/** A problem beside a field: `required`, or the words of the shared rule (server wording). */
export type ContactProblemText = { kind: 'required' } | { kind: 'phone' } | { kind: 'age' } | { kind: 'screening' } | { kind: 'rule'; message: string };

/** The form's field for a rule's path (`services.2.accepted` is shown beside the services). */
export function fieldOf(path: string): string {
  if (path.startsWith('services')) return 'services';
  if (path.startsWith('screening')) return 'screening';
  if (path.startsWith('phones')) return 'phones';
  if (path.startsWith('aliases')) return 'aliases';
  if (path.startsWith('charges')) return 'charges';
  return path;
}

function estimatedAge(d: ContactDraft): number | null | undefined {
  if (!d.estimatedAge.trim()) return null;
  const n = Number(d.estimatedAge.trim());
  return Number.isInteger(n) && n >= 0 && n <= 17 ? n : undefined;
}

/**
 * What must be fixed before sending: role, sex and age band are required (everything else can wait);
 * then the shared impossible-combination rules, on the day the operation started.
 */
export function checkContact(d: ContactDraft, opts: { operationDay: string; today: string }): Record<string, ContactProblemText> {
  const problems: Record<string, ContactProblemText> = {};
  if (!d.role) problems.role = { kind: 'required' };
  if (!d.sex) problems.sex = { kind: 'required' };
  if (!d.ageBand) problems.ageBand = { kind: 'required' };
  const age = estimatedAge(d);
  if (age === undefined) problems.estimatedAge = { kind: 'age' };
  if (phoneList(d.phones).some((p) => !PHONE.test(p))) problems.phones = { kind: 'phone' };
  if (Boolean(d.screeningTool) !== Boolean(d.screeningResult)) problems.screening = { kind: 'screening' };
  if (Object.keys(problems).length > 0 || !d.role || !d.ageBand) return problems;
  const rule = contactProblem(
    {
      role: d.role,
      suspectType: d.suspectType || null,
      ageBand: d.ageBand,
      estimatedAge: age ?? null,
      disposition: d.disposition || null,
      charges: d.disposition === 'arrested' ? lines(d.charges) : [],
      dob: d.dob || null,
      screening: d.screeningTool && d.screeningResult ? { tool: d.screeningTool, result: d.screeningResult } : null,
      services: servicesOf(d),
    },
    opts,
  );
  if (rule) problems[fieldOf(rule.field)] = { kind: 'rule', message: rule.message };
  return problems;
}

function servicesOf(d: ContactDraft) {
  return d.role === 'adult_victim' ? d.offered.map((service) => ({ service, offered: true, accepted: d.accepted.includes(service) })) : [];
}

/** The contact as the field log records it; `clientRef` makes a retry after a network error safe. */
export function recordInput(d: ContactDraft, clientRef: string): RecordContactInput {
  const role = d.role as ContactRole;
  return {
    clientRef,
    role,
    ...(role === 'suspect' && d.suspectType ? { suspectType: d.suspectType } : {}),
    sex: d.sex as Sex,
    ageBand: d.ageBand as AgeBand,
    ...(role === 'minor' && d.estimatedAge.trim() ? { estimatedAge: Number(d.estimatedAge) } : {}),
    ...(d.disposition ? { disposition: d.disposition } : {}),
    charges: d.disposition === 'arrested' ? lines(d.charges) : [],
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
    aliases: lines(d.aliases),
    ...(d.dob ? { dob: d.dob } : {}),
    phones: phoneList(d.phones),
    ...(role === 'adult_victim' && d.screeningTool && d.screeningResult ? { screening: { tool: d.screeningTool, result: d.screeningResult } as RecordContactInput['screening'] } : {}),
    services: servicesOf(d),
  };
}

/** A change to a recorded contact: every field as it now stands, with the version it was read at. */
export function updateInput(d: ContactDraft, version: number, correctionReason?: string): UpdateContactInput {
  const role = d.role as ContactRole;
  return {
    role,
    suspectType: role === 'suspect' && d.suspectType ? d.suspectType : null,
    sex: d.sex as Sex,
    ageBand: d.ageBand as AgeBand,
    estimatedAge: role === 'minor' && d.estimatedAge.trim() ? Number(d.estimatedAge) : null,
    disposition: d.disposition || null,
    charges: d.disposition === 'arrested' ? lines(d.charges) : [],
    name: d.name.trim() || null,
    aliases: lines(d.aliases),
    dob: d.dob || null,
    phones: phoneList(d.phones),
    screening: role === 'adult_victim' && d.screeningTool && d.screeningResult ? ({ tool: d.screeningTool, result: d.screeningResult } as UpdateContactInput['screening']) : null,
    services: servicesOf(d),
    version,
    ...(correctionReason ? { correctionReason } : {}),
  };
}

export function draftFromContact(c: ContactDto): ContactDraft {
  return {
    role: c.role,
    suspectType: c.suspectType ?? '',
    sex: c.sex,
    ageBand: c.ageBand,
    estimatedAge: c.estimatedAge == null ? '' : String(c.estimatedAge),
    disposition: c.disposition ?? '',
    charges: c.charges.join('\n'),
    name: c.name ?? '',
    aliases: c.aliases.join('\n'),
    dob: c.dob ?? '',
    phones: c.phones.join('\n'),
    screeningTool: c.screening?.tool ?? '',
    screeningResult: c.screening?.result ?? '',
    offered: SERVICES.filter((s) => c.services.some((x) => x.service === s && x.offered)),
    accepted: SERVICES.filter((s) => c.services.some((x) => x.service === s && x.accepted)),
  };
}
