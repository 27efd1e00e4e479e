import { BUSINESS_FACT_KINDS, type BusinessFactKind, type OperatorKind, type OperatorRole } from '../../../../common/businesses.ts';
import type { NewBusinessInput } from './api.ts';

/** One repeatable fact as typed: a phone, a website, an ad or review handle, a former name. */
export interface FactRow {
  value: string;
  source: string;
}

export interface OperatorRow {
  kind: OperatorKind;
  role: OperatorRole;
  name: string;
  detail: string;
  source: string;
}

export interface BusinessDraft {
  name: string;
  address: string;
  city: string;
  zip: string;
  countyFips: string;
  hours: string;
  licenseNumber: string;
  licenseIssuer: string;
  licenseIssued: string;
  licenseExpires: string;
  licenseStatus: string;
  source: string;
  /** The campaign's task force: asked only of users in several. */
  taskForceId: string;
  facts: Record<BusinessFactKind, FactRow[]>;
  operators: OperatorRow[];
}

export const EMPTY_FACT: FactRow = { value: '', source: '' };
export const EMPTY_OPERATOR: OperatorRow = { kind: 'person', role: 'operator', name: '', detail: '', source: '' };

export function emptyDraft(): BusinessDraft {
  return {
    name: '',
    address: '',
    city: '',
    zip: '',
    countyFips: '',
    hours: '',
    licenseNumber: '',
    licenseIssuer: '',
    licenseIssued: '',
    licenseExpires: '',
    licenseStatus: '',
    source: '',
    taskForceId: '',
    facts: { former_name: [], phone: [{ ...EMPTY_FACT }], website: [], handle: [] },
    operators: [],
  };
}

const opt = (v: string) => (v.trim() ? v.trim() : undefined);

/** Where each fact of the request came from in the form: `facts.3` of the request is this row's input. */
export interface FactPlace {
  kind: BusinessFactKind;
  row: number;
}

/**
 * The request for a draft, and where each of its facts sits in the form. Empty rows are left out; a
 * fact or operator without its own source takes the business's source (what the user typed first).
 */
export function newBusinessInputOf(d: BusinessDraft): { input: NewBusinessInput; places: FactPlace[]; operatorRows: number[] } {
  const source = d.source.trim();
  const places: FactPlace[] = [];
  const facts: NonNullable<NewBusinessInput['facts']> = [];
  for (const kind of BUSINESS_FACT_KINDS) {
    d.facts[kind].forEach((f, row) => {
      if (!f.value.trim()) return;
      facts.push({ kind, value: f.value.trim(), source: opt(f.source) ?? source });
      places.push({ kind, row });
    });
  }
  const operatorRows: number[] = [];
  const operators: NonNullable<NewBusinessInput['operators']> = [];
  d.operators.forEach((o, row) => {
    if (!o.name.trim()) return;
    operators.push({ kind: o.kind, role: o.role, name: o.name.trim(), ...(opt(o.detail) ? { detail: opt(o.detail) } : {}), source: opt(o.source) ?? source });
    operatorRows.push(row);
  });
  const license = {
    ...(opt(d.licenseNumber) ? { number: opt(d.licenseNumber) } : {}),
    ...(opt(d.licenseIssuer) ? { issuer: opt(d.licenseIssuer) } : {}),
    ...(d.licenseIssued ? { issued: d.licenseIssued } : {}),
    ...(d.licenseExpires ? { expires: d.licenseExpires } : {}),
    ...(opt(d.licenseStatus) ? { status: opt(d.licenseStatus) } : {}),
  };
  return {
    input: {
      name: d.name.trim(),
      address: d.address.trim(),
      city: d.city.trim(),
      ...(opt(d.zip) ? { zip: d.zip.trim() } : {}),
      ...(d.countyFips ? { countyFips: d.countyFips } : {}),
      ...(opt(d.hours) ? { hours: opt(d.hours) } : {}),
      ...(Object.keys(license).length ? { license } : {}),
      source,
      facts,
      operators,
      ...(d.taskForceId ? { taskForceId: d.taskForceId } : {}),
    },
    places,
    operatorRows,
  };
}

const LICENSE_INPUTS: Record<string, string> = { number: 'licenseNumber', issuer: 'licenseIssuer', issued: 'licenseIssued', expires: 'licenseExpires', status: 'licenseStatus' };
const TOP_INPUTS = new Set(['name', 'address', 'city', 'zip', 'countyFips', 'hours', 'source', 'taskForceId']);

/** The id of a fact row's input (`value` or `source`). */
export const factInputId = (kind: BusinessFactKind, row: number, field: 'value' | 'source') => `business-fact-${kind}-${row}-${field}`;
/** The id of an operator row's input. */
export const operatorInputId = (row: number, field: keyof OperatorRow) => `business-operator-${row}-${field}`;

/**
 * The form input a server error's path belongs to: `name` → business-name, `license.issued` →
 * business-licenseIssued, `facts.3.value` → the input of the fourth fact sent (wherever it sits in the
 * form), `operators.1.name` → that operator's name. Undefined when the form has no such input.
 */
export function inputIdOfPath(path: string, places: FactPlace[], operatorRows: number[]): string | undefined {
  const [head, second, third] = path.split('.');
  if (!head) return undefined;
  if (TOP_INPUTS.has(head)) return `business-${head}`;
  if (head === 'license') return `business-${second && LICENSE_INPUTS[second] ? LICENSE_INPUTS[second] : 'licenseNumber'}`;
  if (head === 'facts') {
    const place = places[Number(second)];
    if (!place) return undefined;
    return factInputId(place.kind, place.row, third === 'source' ? 'source' : 'value');
  }
  if (head === 'operators') {
    const row = operatorRows[Number(second)];
    if (row === undefined) return undefined;
    const field = (['kind', 'role', 'name', 'detail', 'source'] as const).find((f) => f === third) ?? 'name';
    return operatorInputId(row, field);
  }
  return undefined;
}
