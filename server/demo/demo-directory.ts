import type { AgencyKind, Role } from '../../common/roles.ts';

/**
 * The agencies of the October 2020 Oak Grove, Missouri operation (shared/context/press-report-2020-10.txt).
 * Counties are FIPS codes; an empty list means statewide or national reach.
 */
/** The demo's state (LANTERN_STATE): the story happened in Missouri. */
export const DEMO_STATE = 'MO';

export const DEMO_AGENCIES: { key: string; name: string; shortName: string; kind: AgencyKind; counties: string[]; otherTaskForce?: true }[] = [
  { key: 'oakgrove', name: 'Oak Grove Police Department', shortName: 'Oak Grove PD', kind: 'law_enforcement', counties: ['29095', '29107'] },
  { key: 'mshp', name: 'Missouri State Highway Patrol', shortName: 'MSHP', kind: 'law_enforcement', counties: [] },
  { key: 'ago', name: "Missouri Attorney General's Human Trafficking Task Force", shortName: 'AGO HT Task Force', kind: 'prosecutor', counties: [] },
  { key: 'jackson', name: "Jackson County Sheriff's Office", shortName: 'Jackson Co. SO', kind: 'law_enforcement', counties: ['29095'] },
  { key: 'johnson', name: "Johnson County (MO) Sheriff's Office", shortName: 'Johnson Co. SO', kind: 'law_enforcement', counties: ['29101'] },
  { key: 'stjoseph', name: 'St. Joseph Police Department', shortName: 'St. Joseph PD', kind: 'law_enforcement', counties: ['29021'] },
  { key: 'kcpd', name: 'Kansas City Missouri Police Department', shortName: 'KCPD', kind: 'law_enforcement', counties: ['29095', '29047', '29165', '29037'] },
  { key: 'fbi', name: 'Federal Bureau of Investigation', shortName: 'FBI', kind: 'federal', counties: [] },
  { key: 'dhs', name: 'U.S. Department of Homeland Security', shortName: 'DHS', kind: 'federal', counties: [] },
  { key: 'irs', name: 'Internal Revenue Service', shortName: 'IRS', kind: 'federal', counties: [] },
  { key: 'usms', name: 'U.S. Marshals Service', shortName: 'USMS', kind: 'federal', counties: [] },
  { key: 'rise', name: 'RISE Coalition', shortName: 'RISE', kind: 'victim_services', counties: [] },
  { key: 'relentless', name: 'Relentless Pursuit', shortName: 'Relentless Pursuit', kind: 'victim_services', counties: [] },
  { key: 'cmsht', name: 'Central Missouri Stop Human Trafficking Coalition', shortName: 'CMSHTC', kind: 'victim_services', counties: ['29051', '29019'] },
  { key: 'dss', name: "Missouri DSS Children's Division", shortName: "Children's Division", kind: 'child_welfare', counties: [] },
  // Another task force's agency, to show what a partner outside the task force does not see (issue #10).
  { key: 'springfield', name: 'Springfield Police Department', shortName: 'Springfield PD', kind: 'law_enforcement', counties: ['29077'], otherTaskForce: true },
];

export const DEMO_TASK_FORCE = {
  name: 'West Missouri Human Trafficking Task Force',
  description: 'Demo task force: the agencies and advocate groups of the October 2020 Oak Grove operation.',
  leadKey: 'ago',
};

/** A second, smaller task force in the south-west of the state: its tips and operations are its own. */
export const DEMO_OTHER_TASK_FORCE = {
  name: 'Southwest Missouri Human Trafficking Task Force',
  description: 'Demo task force of another region: it shares the platform, not its records.',
  leadKey: 'springfield',
};

export const DEMO_EMAIL_DOMAIN = 'demo.lantern.test';

/** One demo account per role, plus the platform administrator; names are plainly fictional. */
export const DEMO_USERS: { local: string; name: string; agencyKey: string; roles: Role[]; platformAdmin?: boolean }[] = [
  { local: 'admin', name: 'Alex Admin (demo)', agencyKey: 'oakgrove', roles: ['admin'] },
  { local: 'coordinator', name: 'Corey Coordinator (demo)', agencyKey: 'oakgrove', roles: ['coordinator'] },
  { local: 'officer', name: 'Olivia Officer (demo)', agencyKey: 'oakgrove', roles: ['officer'] },
  { local: 'analyst', name: 'Andy Analyst (demo)', agencyKey: 'mshp', roles: ['analyst'] },
  { local: 'advocate', name: 'Ava Advocate (demo)', agencyKey: 'rise', roles: ['advocate'] },
  { local: 'caseworker', name: 'Cameron Caseworker (demo)', agencyKey: 'dss', roles: ['caseworker'] },
  { local: 'pio', name: 'Pat Information (demo)', agencyKey: 'oakgrove', roles: ['pio'] },
  { local: 'kcpd-coordinator', name: 'Kendall Coordinator (demo)', agencyKey: 'kcpd', roles: ['coordinator'] },
  { local: 'kcpd-officer', name: 'Kim Officer (demo)', agencyKey: 'kcpd', roles: ['officer'] },
  { local: 'mshp-officer', name: 'Morgan Trooper (demo)', agencyKey: 'mshp', roles: ['officer'] },
  { local: 'relentless-advocate', name: 'Riley Advocate (demo)', agencyKey: 'relentless', roles: ['advocate'] },
  { local: 'cmsht-advocate', name: 'Casey Advocate (demo)', agencyKey: 'cmsht', roles: ['advocate'] },
  { local: 'oakgrove-analyst', name: 'Avery Analyst (demo)', agencyKey: 'oakgrove', roles: ['analyst'] },
  { local: 'ago-analyst', name: 'Addison Attorney-General Analyst (demo)', agencyKey: 'ago', roles: ['analyst'] },
  { local: 'springfield-analyst', name: 'Sam Analyst (demo)', agencyKey: 'springfield', roles: ['analyst'] },
  // Last, so a search for the first "admin" account finds the agency administrator.
  { local: 'platform', name: 'Parker Platform (demo)', agencyKey: 'ago', roles: ['admin'], platformAdmin: true },
];
