import {
  ADULT_AGE_BANDS,
  AGE_BAND_LABELS,
  AGE_BAND_RANGE,
  MINOR_AGE_BANDS,
  type AgeBand,
  type ContactRole,
  type Disposition,
} from './operations.ts';

/**
 * The field log's impossible combinations (issue #3, "Bad input"), as one pure check shared by the
 * server (which refuses them with a 400 naming the field) and the web form (which can say so at once).
 */
export interface ContactFacts {
  role: ContactRole;
  suspectType: string | null;
  ageBand: AgeBand;
  estimatedAge: number | null;
  disposition: Disposition | null;
  charges: readonly string[];
  /** YYYY-MM-DD. */
  dob: string | null;
  screening: { tool: string; result: string } | null;
  services: readonly { service: string; offered: boolean; accepted: boolean }[];
}

export interface ContactProblem {
  field: string;
  message: string;
}

const MINOR_BANDS: readonly string[] = MINOR_AGE_BANDS;
const ADULT_BANDS: readonly string[] = ADULT_AGE_BANDS;

export const isMinorBand = (band: string) => MINOR_BANDS.includes(band);

/** Whole years between a date of birth and a day (both YYYY-MM-DD). */
export function ageOn(dob: string, day: string): number {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [dy, dm, dd] = day.split('-').map(Number) as [number, number, number];
  return dy - by - (dm < bm || (dm === bm && dd < bd) ? 1 : 0);
}

/** The age band a known age falls in. */
export function bandForAge(age: number): AgeBand {
  for (const [band, [lo, hi]] of Object.entries(AGE_BAND_RANGE)) if (age >= lo && age <= hi) return band as AgeBand;
  return 'unknown';
}

const bandText = (band: AgeBand) => AGE_BAND_LABELS[band];

/**
 * The first impossible combination in a contact, or null. `operationDay` (YYYY-MM-DD) is the operation's
 * start, the day a date of birth is measured against; `today` is the day a date of birth may not pass.
 */
export function contactProblem(c: ContactFacts, opts: { operationDay: string; today: string }): ContactProblem | null {
  if (c.suspectType && c.role !== 'suspect') return { field: 'suspectType', message: 'only a suspect has a suspect type (buyer, facilitator or trafficker)' };
  if (c.role === 'minor' && ADULT_BANDS.includes(c.ageBand)) return { field: 'ageBand', message: `a minor cannot be in the adult age band ${bandText(c.ageBand)}` };
  if (c.role === 'adult_victim' && MINOR_BANDS.includes(c.ageBand)) {
    return { field: 'ageBand', message: `an adult potential victim cannot be in the age band ${bandText(c.ageBand)}: record the person as a minor` };
  }
  if (c.estimatedAge != null) {
    if (c.role !== 'minor') return { field: 'estimatedAge', message: 'an estimated age is recorded for minors only' };
    if (c.ageBand !== 'unknown') {
      const [lo, hi] = AGE_BAND_RANGE[c.ageBand];
      if (c.estimatedAge < lo || c.estimatedAge > hi) return { field: 'estimatedAge', message: `${c.estimatedAge} is outside the age band ${bandText(c.ageBand)}` };
    }
  }
  if (c.dob) {
    if (c.dob > opts.today) return { field: 'dob', message: 'is in the future' };
    const age = ageOn(c.dob, opts.operationDay);
    if (age < 0) return { field: 'dob', message: `is after the operation's start (${opts.operationDay})` };
    if (c.ageBand !== 'unknown') {
      const [lo, hi] = AGE_BAND_RANGE[c.ageBand];
      if (age < lo || age > hi) {
        return { field: 'ageBand', message: `${bandText(c.ageBand)} contradicts the date of birth: the person was ${age} on ${opts.operationDay}` };
      }
    }
    if (c.role === 'minor' && age >= 18) return { field: 'dob', message: `makes the person ${age} on ${opts.operationDay}: not a minor` };
    if (c.role === 'adult_victim' && age < 18) return { field: 'dob', message: `makes the person ${age} on ${opts.operationDay}: record the person as a minor` };
  }
  if (c.disposition === 'protective_custody' && c.role !== 'minor') return { field: 'disposition', message: 'protective custody is for minors only' };
  if (c.charges.length > 0 && c.disposition !== 'arrested') return { field: 'charges', message: 'charges are recorded only with the disposition arrested' };
  if (c.disposition === 'arrested' && c.charges.length === 0) return { field: 'charges', message: 'an arrest needs at least one charge' };
  if (c.screening && c.role !== 'adult_victim') return { field: 'screening', message: 'screening is recorded for an adult potential victim only' };
  if (c.services.length > 0 && c.role !== 'adult_victim') return { field: 'services', message: 'services are recorded for an adult potential victim only' };
  const seen = new Set<string>();
  for (const [i, s] of c.services.entries()) {
    if (seen.has(s.service)) return { field: `services.${i}.service`, message: `${s.service} is listed twice` };
    seen.add(s.service);
    if (s.accepted && !s.offered) return { field: `services.${i}.accepted`, message: 'a service must be offered before it is accepted' };
  }
  if (c.disposition === 'offered_services' && !c.services.some((s) => s.offered)) {
    return { field: 'services', message: 'the disposition offered services needs at least one service offered' };
  }
  return null;
}
