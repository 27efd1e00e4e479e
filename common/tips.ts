/**
 * Tips (issue #10, DESIGN.md §2 item 4): the words both sides agree on. A tip arrives by the public web
 * form, by phone (entered by staff) or forwarded by the national hotline (CSV import); it is routed to the
 * queue of the agency whose jurisdiction it concerns and moves through the triage states below.
 */
export const TIP_SOURCES = ['web', 'phone', 'hotline'] as const;
export type TipSource = (typeof TIP_SOURCES)[number];

/** new → assigned → under_review → linked / referred / closed (closed carries a reason). */
export const TIP_STATUSES = ['new', 'assigned', 'under_review', 'linked', 'referred', 'closed'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];

/** The next states a tip may take from each state: anything else is refused, naming these. */
export const TIP_TRANSITIONS: Record<TipStatus, readonly TipStatus[]> = {
  new: ['assigned', 'closed'],
  assigned: ['under_review', 'assigned', 'closed'],
  under_review: ['linked', 'referred', 'closed', 'assigned'],
  linked: ['under_review', 'closed'],
  referred: ['under_review', 'closed'],
  closed: ['under_review'],
};

export const TIP_CLOSE_REASONS = ['no_trafficking_indicated', 'insufficient_information', 'duplicate', 'outside_jurisdiction', 'investigation_complete', 'other'] as const;
export type TipCloseReason = (typeof TIP_CLOSE_REASONS)[number];

/**
 * What the tipster may read about their tip: three words, never a detail of the investigation.
 * Linked and referred tips read as "under review" to the tipster.
 */
export const TIPSTER_STATUSES = ['received', 'under_review', 'closed'] as const;
export type TipsterStatus = (typeof TIPSTER_STATUSES)[number];
export function tipsterStatusOf(status: TipStatus): TipsterStatus {
  if (status === 'closed') return 'closed';
  if (status === 'new' || status === 'assigned') return 'received';
  return 'under_review';
}

/** How the tipster says it is safe to reach them (only when they gave contact details). */
export const SAFE_CONTACT_METHODS = ['phone_call', 'text_message', 'email', 'do_not_contact'] as const;
export type SafeContactMethod = (typeof SAFE_CONTACT_METHODS)[number];

/** Kinds of identifier in the shared index: operations' subject kinds plus email. */
export const IDENTIFIER_KINDS = ['phone', 'email', 'plate', 'address', 'business', 'handle'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/**
 * Record types whose identifiers are in the index. A `release` row is a client's phone, indexed only for
 * the recipient of a release whose share carried contact details (issue #12, item 4), and only while it is in effect.
 */
export const INDEXED_RECORD_TYPES = ['tip', 'operation_subject', 'contact', 'business', 'release'] as const;
export type IndexedRecordType = (typeof INDEXED_RECORD_TYPES)[number];

/** Limits of a tip, shared by the server's validation and the form. */
export const TIP_LIMITS = {
  narrative: 8000,
  shortText: 300,
  mediumText: 2000,
  /** Phones, emails, websites and handles, businesses: each list. */
  listItems: 20,
  listItemLength: 300,
  message: 4000,
  /** A whole submission, bytes: the public route refuses a bigger body before parsing it. */
  bodyBytes: 64 * 1024,
  /** Digits in a receipt (grouped in fours for reading aloud). */
  receiptDigits: 20,
} as const;

/**
 * Triage counts the other tips sharing an identifier up to this many: a number shared by thousands of
 * tips (a hotline's own, say) must not make each new tip slower than the last; the score stops rising
 * long before.
 */
export const TRIAGE_REPEATS_COUNTED = 20;

/**
 * Triage reads a tip's first this many identifiers for its counts: a tip can index up to 100 (a narrative
 * full of numbers), and each identifier adds two members to the count's query.
 */
export const TRIAGE_IDENTIFIERS_READ = 40;
