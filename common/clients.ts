/**
 * The advocates' compartment (issue #12, DESIGN.md §2 item 6): the words the server, the web app and
 * the reports share. A client is a person an advocate agency serves; a release is the client's written,
 * time-limited consent to share a named scope with a named recipient.
 */

/** How the client came to the agency: an accepted referral, or on their own (no police involvement). */
export const CLIENT_INTAKES = ['referral', 'walk_in'] as const;
export type ClientIntake = (typeof CLIENT_INTAKES)[number];

export const CLIENT_STATUSES = ['open', 'closed'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** The OVC TIMS human-trafficking client types. */
export const TRAFFICKING_TYPES = ['sex', 'labor', 'sex_and_labor', 'unknown'] as const;
export type TraffickingType = (typeof TRAFFICKING_TYPES)[number];
export const NATIONALITIES = ['us_citizen_lpr', 'foreign_national', 'unknown'] as const;
export type Nationality = (typeof NATIONALITIES)[number];

/**
 * Service categories, after the OVC TIMS human-trafficking performance measures. Substance-use
 * treatment is 42 CFR Part 2 information (PART2_SERVICE_CATEGORIES).
 */
export const SERVICE_CATEGORIES = [
  'case_management',
  'crisis_intervention',
  'safety_planning',
  'emergency_shelter',
  'transitional_housing',
  'medical',
  'dental',
  'mental_health',
  'substance_use_treatment',
  'legal_immigration',
  'legal_civil',
  'criminal_justice_advocacy',
  'interpretation',
  'education_employment',
  'financial_assistance',
  'transportation',
  'personal_items',
  'family_reunification',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
export const PART2_SERVICE_CATEGORIES: readonly ServiceCategory[] = ['substance_use_treatment'];

export const SERVICE_CATEGORY_LABELS: Record<ServiceCategory, { en: string; es: string }> = {
  case_management: { en: 'Case management', es: 'Gestión de casos' },
  crisis_intervention: { en: 'Crisis intervention', es: 'Intervención en crisis' },
  safety_planning: { en: 'Safety planning', es: 'Plan de seguridad' },
  emergency_shelter: { en: 'Emergency shelter', es: 'Albergue de emergencia' },
  transitional_housing: { en: 'Transitional housing', es: 'Vivienda de transición' },
  medical: { en: 'Medical care', es: 'Atención médica' },
  dental: { en: 'Dental care', es: 'Atención dental' },
  mental_health: { en: 'Mental health and counseling', es: 'Salud mental y consejería' },
  substance_use_treatment: { en: 'Substance-use treatment', es: 'Tratamiento por uso de sustancias' },
  legal_immigration: { en: 'Immigration legal services', es: 'Servicios legales de inmigración' },
  legal_civil: { en: 'Civil legal services', es: 'Servicios legales civiles' },
  criminal_justice_advocacy: { en: 'Criminal-justice advocacy', es: 'Acompañamiento en el proceso penal' },
  interpretation: { en: 'Interpretation and translation', es: 'Interpretación y traducción' },
  education_employment: { en: 'Education and employment', es: 'Educación y empleo' },
  financial_assistance: { en: 'Financial assistance', es: 'Asistencia económica' },
  transportation: { en: 'Transportation', es: 'Transporte' },
  personal_items: { en: 'Food, clothing and personal items', es: 'Comida, ropa y artículos personales' },
  family_reunification: { en: 'Family reunification', es: 'Reunificación familiar' },
};

/**
 * What a release may let the recipient see.
 * - service_status: whether the client is being served, and which services (category and date), never notes;
 * - contact_details: the client's phone and safe way to reach them (and so the identifier index, item 4);
 * - statement: the statement the client asked the advocate to pass on;
 * - substance_use: substance-use treatment (42 CFR Part 2): only under a release that names it.
 */
export const RELEASE_SCOPES = ['service_status', 'contact_details', 'statement', 'substance_use'] as const;
export type ReleaseScope = (typeof RELEASE_SCOPES)[number];

export const RELEASE_SCOPE_LABELS: Record<ReleaseScope, { en: string; es: string }> = {
  service_status: { en: 'Service status only', es: 'Solo el estado de los servicios' },
  contact_details: { en: 'Contact details', es: 'Datos de contacto' },
  statement: { en: 'Statement', es: 'Declaración' },
  substance_use: { en: 'Substance-use treatment (42 CFR Part 2)', es: 'Tratamiento por uso de sustancias (42 CFR parte 2)' },
};

/** How the client gave written consent: signed on the screen (their typed name), or a signed paper form scanned. */
export const CONSENT_METHODS = ['signed_on_screen', 'scan'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** How the client revoked it: told staff (recorded by them), or in writing. */
export const REVOCATION_METHODS = ['oral', 'written'] as const;
export type RevocationMethod = (typeof REVOCATION_METHODS)[number];

export const RELEASE_STATUSES = ['active', 'revoked'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/**
 * A release's length when the form gives no expiry: 90 days, as Washington's rule sets for a release
 * with no date; a jurisdiction may set its own (`LANTERN_RELEASE_DEFAULT_DAYS`).
 */
export const RELEASE_DEFAULT_DAYS = 90;
/** The longest a release may run: a year, after which the client signs again. */
export const RELEASE_MAX_DAYS = 366;

/** Documents kept with a client (a scanned release, an ID, a letter), encrypted at rest. */
export const CLIENT_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;
/** What a client's document may be: a PDF, or a photo of a page (the server checks the bytes match). */
export const CLIENT_DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type ClientDocumentType = (typeof CLIENT_DOCUMENT_TYPES)[number];

/** The needs a referral's requested services become on the client's record (intake from a referral). */
export const NEED_OF_REFERRAL_SERVICE: Record<string, ServiceCategory> = {
  food: 'personal_items',
  lodging: 'emergency_shelter',
  medical: 'medical',
  counseling: 'mental_health',
  drug_rehabilitation: 'substance_use_treatment',
  shelter: 'emergency_shelter',
  legal: 'legal_civil',
  interpreter: 'interpretation',
  immigration_relief: 'legal_immigration',
  transportation: 'transportation',
  safety_planning: 'safety_planning',
};
