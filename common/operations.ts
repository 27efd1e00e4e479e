/** Vocabulary of operations, contacts, referrals and custody hand-offs (DESIGN.md §2 item 2). */

export const OPERATION_TYPES = ['buyer_sting', 'victim_recovery', 'massage_inspection', 'warrant_service', 'other'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];
export const OPERATION_TYPE_LABELS: Record<OperationType, string> = {
  buyer_sting: 'Buyer-focused sting',
  victim_recovery: 'Victim-recovery operation',
  massage_inspection: 'Massage-business inspection',
  warrant_service: 'Warrant service',
  other: 'Other',
};
/** Deconfliction radius when the planner gives none: a sting spreads wider than a warrant service. */
export const DEFAULT_RADIUS_M: Record<OperationType, number> = {
  buyer_sting: 800,
  victim_recovery: 800,
  massage_inspection: 300,
  warrant_service: 300,
  other: 500,
};
export const MAX_RADIUS_M = 10_000;
/** Two windows conflict when they come within two hours of each other. */
export const DECONFLICTION_BUFFER_MS = 2 * 60 * 60_000;

export const OPERATION_STATUSES = ['draft', 'approved', 'active', 'closed'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const PARTICIPANT_ROLES = ['lead', 'participant', 'victim_services', 'child_welfare'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const PARTICIPANT_ROLE_LABELS: Record<ParticipantRole, string> = {
  lead: 'Lead agency',
  participant: 'Participant',
  victim_services: 'Victim services',
  child_welfare: 'Child welfare',
};

export const SUBJECT_KINDS = ['phone', 'plate', 'address', 'business', 'handle'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const CONTACT_ROLES = ['suspect', 'adult_victim', 'minor', 'witness'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];
export const CONTACT_ROLE_LABELS: Record<ContactRole, string> = {
  suspect: 'Suspect',
  adult_victim: 'Adult potential victim',
  minor: 'Minor',
  witness: 'Witness',
};
export const SUSPECT_TYPES = ['buyer', 'facilitator', 'trafficker'] as const;
export type SuspectType = (typeof SUSPECT_TYPES)[number];

export const SEXES = ['female', 'male', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const MINOR_AGE_BANDS = ['under_5', '5_to_11', '12_to_14', '15_to_17'] as const;
export const ADULT_AGE_BANDS = ['18_to_24', '25_to_34', '35_to_49', '50_plus'] as const;
export const AGE_BANDS = [...MINOR_AGE_BANDS, ...ADULT_AGE_BANDS, 'unknown'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const AGE_BAND_LABELS: Record<AgeBand, string> = {
  under_5: 'Under 5',
  '5_to_11': '5–11',
  '12_to_14': '12–14',
  '15_to_17': '15–17',
  '18_to_24': '18–24',
  '25_to_34': '25–34',
  '35_to_49': '35–49',
  '50_plus': '50 and over',
  unknown: 'Unknown',
};
/** Inclusive age range of each band, for checking a band against a date of birth. */
export const AGE_BAND_RANGE: Record<Exclude<AgeBand, 'unknown'>, [number, number]> = {
  under_5: [0, 4],
  '5_to_11': [5, 11],
  '12_to_14': [12, 14],
  '15_to_17': [15, 17],
  '18_to_24': [18, 24],
  '25_to_34': [25, 34],
  '35_to_49': [35, 49],
  '50_plus': [50, 130],
};

export const DISPOSITIONS = ['detained', 'arrested', 'cited', 'released', 'offered_services', 'protective_custody'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_LABELS: Record<Disposition, string> = {
  detained: 'Detained',
  arrested: 'Arrested with charges',
  cited: 'Cited',
  released: 'Released',
  offered_services: 'Offered services',
  protective_custody: 'Protective custody',
};

/** The story's services first (food, lodging, onsite medical, counseling/therapy, drug rehabilitation), then the usual others. */
export const SERVICES = [
  'food',
  'lodging',
  'medical',
  'counseling',
  'drug_rehabilitation',
  'shelter',
  'legal',
  'interpreter',
  'immigration_relief',
  'transportation',
  'safety_planning',
] as const;
export type Service = (typeof SERVICES)[number];
export const SERVICE_LABELS: Record<Service, string> = {
  food: 'Food',
  lodging: 'Lodging',
  medical: 'Onsite medical services',
  counseling: 'Counseling/therapy',
  drug_rehabilitation: 'Drug rehabilitation',
  shelter: 'Shelter',
  legal: 'Legal services',
  interpreter: 'Interpreter',
  immigration_relief: 'Immigration relief',
  transportation: 'Transportation',
  safety_planning: 'Safety planning',
};
/** Substance-use services: a referral carrying one gets the 42 CFR Part 2 notice. */
export const PART2_SERVICES: readonly Service[] = ['drug_rehabilitation'];

export const SCREENING_TOOLS = ['vera_tvit', 'vera_tvit_short', 'htiam_14', 'qyit', 'other'] as const;
export const SCREENING_TOOL_LABELS: Record<(typeof SCREENING_TOOLS)[number], string> = {
  vera_tvit: 'Vera Trafficking Victim Identification Tool (TVIT)',
  vera_tvit_short: 'Vera TVIT, short version',
  htiam_14: 'HTIAM-14',
  qyit: 'Quick Youth Indicators for Trafficking (QYIT)',
  other: 'Other',
};
export const SCREENING_RESULTS = ['positive', 'negative', 'inconclusive', 'declined'] as const;

export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** RSMo 210.125: grounds for taking a child into protective custody without a court order. */
export const CUSTODY_REASONS = ['imminent_danger', 'trafficking_victim', 'no_caregiver_available', 'other'] as const;
export const CUSTODY_REASON_LABELS: Record<(typeof CUSTODY_REASONS)[number], string> = {
  imminent_danger: 'Imminent danger of serious physical harm or threat to life (RSMo 210.125.1)',
  trafficking_victim: 'Suspected child trafficking victim',
  no_caregiver_available: 'No parent, guardian or custodian available',
  other: 'Other (explain)',
};
/** RSMo 210.125.2: the officer's written statement to the juvenile officer is due within 12 hours. */
export const CUSTODY_STATEMENT_HOURS = 12;
export const PLACEMENT_TYPES = ['foster_home', 'relative_kinship', 'emergency_shelter', 'residential_treatment', 'hospital', 'other'] as const;
export const PARENT_NOTIFICATION_METHODS = ['phone', 'in_person', 'text', 'voicemail', 'other'] as const;
export const PARENT_NOTIFICATION_OUTCOMES = ['reached', 'no_answer', 'message_left', 'wrong_number', 'other'] as const;
