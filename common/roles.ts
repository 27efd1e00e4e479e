/** Roles are held per agency membership (DESIGN.md §1). */
export const ROLES = ['admin', 'coordinator', 'officer', 'analyst', 'advocate', 'caseworker', 'pio'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Agency administrator',
  coordinator: 'Task-force coordinator',
  officer: 'Officer',
  analyst: 'Analyst',
  advocate: 'Victim advocate',
  caseworker: 'Child-welfare caseworker',
  pio: 'Public-information officer',
};

export const AGENCY_KINDS = ['law_enforcement', 'prosecutor', 'child_welfare', 'victim_services', 'federal'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  law_enforcement: 'Law enforcement',
  prosecutor: 'Prosecutor',
  child_welfare: 'Child welfare',
  victim_services: 'Victim services',
  federal: 'Federal',
};

/**
 * Which kinds of agency may hold each role. An advocate's role exists only in victim-services (or a
 * prosecutor's victim-witness unit), so a police account can never be an advocate and reach the
 * advocates' compartment; a caseworker exists only in child welfare.
 */
export const ROLE_AGENCY_KINDS: Record<Role, readonly AgencyKind[]> = {
  admin: AGENCY_KINDS,
  coordinator: ['law_enforcement', 'prosecutor', 'federal'],
  officer: ['law_enforcement', 'prosecutor', 'federal'],
  analyst: AGENCY_KINDS,
  advocate: ['victim_services', 'prosecutor'],
  caseworker: ['child_welfare'],
  pio: AGENCY_KINDS,
};
