/**
 * The business campaign (issue #11, DESIGN.md §2 item 5): the Hope Initiative's work against illicit
 * massage businesses, from the first signs to eviction, and the watch for their return. Shared by the
 * server and the web app.
 */

/**
 * The pipeline's stages, in the order the campaign runs them. `cleared` is not a stage of the pipeline
 * but its exit for a legitimate business: shown as plainly as a flag.
 */
export const BUSINESS_STAGES = [
  'identified',
  'verified',
  'landlord_identified',
  'landlord_notified',
  'landlord_responded',
  'lease_action',
  'closed',
  'civil_action',
  'criminal_referral',
  'cleared',
] as const;
export type BusinessStage = (typeof BUSINESS_STAGES)[number];

export const BUSINESS_STAGE_LABELS: Record<BusinessStage, string> = {
  identified: 'Identified',
  verified: 'Verified',
  landlord_identified: 'Landlord identified',
  landlord_notified: 'Landlord notified',
  landlord_responded: 'Landlord responded',
  lease_action: 'Lease action',
  closed: 'Closed',
  civil_action: 'Civil action',
  criminal_referral: 'Criminal referral',
  cleared: 'Cleared (legitimate)',
};

/**
 * The next stages each stage may move to. The pipeline runs forward; a landlord who refuses or does not
 * answer by the deadline leads to civil action (the Initiative's later phase sued those businesses), and a
 * closed business may still be sued or referred for prosecution. Clearing is its own action, open until
 * the landlord is notified (after that the letter has gone out on evidence a second person verified).
 */
export const BUSINESS_TRANSITIONS: Record<BusinessStage, readonly BusinessStage[]> = {
  identified: ['verified'],
  verified: ['landlord_identified'],
  landlord_identified: ['landlord_notified'],
  landlord_notified: ['landlord_responded'],
  landlord_responded: ['lease_action', 'civil_action', 'criminal_referral'],
  lease_action: ['closed'],
  closed: ['civil_action', 'criminal_referral'],
  civil_action: ['criminal_referral', 'closed'],
  criminal_referral: ['closed'],
  cleared: [],
};

/** Stages from which a business may be cleared as legitimate. */
export const CLEARABLE_STAGES: readonly BusinessStage[] = ['identified', 'verified', 'landlord_identified'];

/** What the landlord answered (stage landlord_responded); `no_response` is recorded once the deadline passed. */
export const LANDLORD_RESPONSES = ['committed', 'refused', 'no_response'] as const;
export type LandlordResponse = (typeof LANDLORD_RESPONSES)[number];

/** The lease action taken (stage lease_action). */
export const LEASE_ACTIONS = ['non_renewal', 'termination', 'eviction_filed'] as const;
export type LeaseAction = (typeof LEASE_ACTIONS)[number];

/** How a business closed (stage closed). */
export const CLOSURES = ['evicted', 'vacated'] as const;
export type Closure = (typeof CLOSURES)[number];

/** The outcome a stage change must name, for the stages that have one. */
export const STAGE_OUTCOMES: Partial<Record<BusinessStage, readonly string[]>> = {
  landlord_responded: LANDLORD_RESPONSES,
  lease_action: LEASE_ACTIONS,
  closed: CLOSURES,
};

/**
 * "Evicted or in some phase of eviction" (the attorney general's sentence): every business that reached
 * a lease action, whatever came after (closed, then sued or referred).
 */
export const EVICTION_STAGES: readonly BusinessStage[] = ['lease_action', 'closed'];

/** Businesses the re-opening watch keeps an eye on: those that closed (and any later legal stage). */
export const WATCHED_STAGES: readonly BusinessStage[] = ['closed', 'civil_action', 'criminal_referral'];

/** Stages at or after the landlord's notice (for "landlords notified"). */
export const NOTIFIED_STAGES: readonly BusinessStage[] = ['landlord_notified', 'landlord_responded', 'lease_action', 'closed', 'civil_action', 'criminal_referral'];

/**
 * Polaris's typology of illicit massage businesses (Polaris, "Human Trafficking in Illicit Massage
 * Businesses", 2018): the signs an investigator records, each with evidence.
 */
export const BUSINESS_INDICATORS = [
  'below_market_prices',
  'male_only_clientele',
  'locked_door',
  'covered_windows',
  'workers_living_on_site',
  'ads_on_sex_buyer_sites',
  'reviews_describe_sex_acts',
  'late_hours',
  'cash_only',
] as const;
export type BusinessIndicator = (typeof BUSINESS_INDICATORS)[number];

export const BUSINESS_INDICATOR_LABELS: Record<BusinessIndicator, string> = {
  below_market_prices: 'Prices well below the local market',
  male_only_clientele: 'Male-only clientele',
  locked_door: 'Buzz-in or locked front door',
  covered_windows: 'Covered or blacked-out windows',
  workers_living_on_site: 'Workers living on site',
  ads_on_sex_buyer_sites: 'Ads on sex-buyer websites',
  reviews_describe_sex_acts: 'Reviews describing sex acts',
  late_hours: 'Open very late hours',
  cash_only: 'Cash only',
};

/**
 * Each indicator's weight in the score. Reviews describing sex acts and ads on sex-buyer sites are the
 * strongest single signs in Polaris's data; the others count most together.
 */
export const BUSINESS_INDICATOR_WEIGHTS: Record<BusinessIndicator, number> = {
  below_market_prices: 1,
  male_only_clientele: 2,
  locked_door: 1,
  covered_windows: 1,
  workers_living_on_site: 3,
  ads_on_sex_buyer_sites: 3,
  reviews_describe_sex_acts: 4,
  late_hours: 1,
  cash_only: 1,
};

/** Evidence older than this counts half in the score: a business can change hands. */
export const INDICATOR_RECENT_DAYS = 180;

/** Facts of a business kept as a list, each with its source. */
export const BUSINESS_FACT_KINDS = ['former_name', 'phone', 'website', 'handle'] as const;
export type BusinessFactKind = (typeof BUSINESS_FACT_KINDS)[number];

/** Who runs or owns a business: people and companies (their names are encrypted). */
export const OPERATOR_KINDS = ['person', 'company'] as const;
export type OperatorKind = (typeof OPERATOR_KINDS)[number];
export const OPERATOR_ROLES = ['operator', 'owner', 'manager', 'registered_agent'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** How a notice letter was sent, and how a landlord was contacted. */
export const DELIVERY_METHODS = ['certified_mail', 'first_class_mail', 'email', 'hand_delivered', 'process_server'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];
export const CONTACT_CHANNELS = ['letter', 'phone', 'email', 'in_person'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** The merge fields a notice template may use; a letter with any of them empty is refused, naming it. */
export const LETTER_MERGE_FIELDS = ['owner', 'property', 'evidence_summary', 'legal_basis', 'response_deadline', 'letter_number', 'date', 'business_name', 'agent'] as const;
export type LetterMergeField = (typeof LETTER_MERGE_FIELDS)[number];

/** Days a landlord has to answer when the template does not say otherwise. */
export const DEFAULT_RESPONSE_DAYS = 30;

export const BUSINESS_LIMITS = {
  nameMax: 200,
  addressMax: 200,
  cityMax: 100,
  hoursMax: 300,
  factValueMax: 300,
  sourceMax: 300,
  noteMax: 4000,
  reasonMax: 1000,
  factsMax: 50,
  attachmentBytesMax: 5 * 1024 * 1024,
  templateMax: 20000,
  batchMax: 500,
  listMax: 200,
} as const;
