import type { Selectable } from 'kysely';

export interface OperationTable {
  id: string;
  /** The lead agency owns the operation and everything recorded in it. */
  agency_id: string;
  task_force_id: string;
  name: string;
  type: string;
  status: string;
  starts_at: string;
  ends_at: string;
  commander_user_id: string | null;
  commander_name: string;
  /** Encrypted 24/7 phone of the on-scene commander. */
  commander_phone: string;
  /** Encrypted; shown only to users assigned to the operation. */
  briefing: string | null;
  investigation_hold: number;
  created_by: string;
  approved_by: string | null;
  approved_at: string | null;
  activated_at: string | null;
  closed_by: string | null;
  closed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export type OperationRow = Selectable<OperationTable>;

export interface OperationAgencyTable {
  operation_id: string;
  agency_id: string;
  role: string;
}

export interface OperationAssignmentTable {
  operation_id: string;
  user_id: string;
  agency_id: string;
  assigned_at: string;
}

export interface OperationLocationTable {
  id: string;
  operation_id: string;
  agency_id: string;
  label: string;
  county_fips: string;
  lat: number;
  lng: number;
  radius_m: number;
  position: number;
}
export type OperationLocationRow = Selectable<OperationLocationTable>;

export interface OperationLocationCellTable {
  cell: number;
  location_id: string;
  operation_id: string;
}

export interface OperationSubjectTable {
  id: string;
  operation_id: string;
  agency_id: string;
  kind: string;
  /** Encrypted value as the planner typed it. */
  value: string;
  /** Keyed hash of the normalised value: matches across operations without storing it in clear. */
  blind: string;
  position: number;
}
export type OperationSubjectRow = Selectable<OperationSubjectTable>;

export interface DeconflictionConflictTable {
  id: string;
  kind: string;
  operation_a: string;
  item_a: string;
  operation_b: string;
  item_b: string;
  /** open, resolved, waived, cleared (the plans no longer overlap). */
  status: string;
  detected_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
}
export type ConflictRow = Selectable<DeconflictionConflictTable>;

export interface OperationWaiverTable {
  id: string;
  operation_id: string;
  agency_id: string;
  reason: string;
  conflict_ids: string;
  waived_by: string;
  waived_at: string;
}

export interface OperationEventTable {
  id: string;
  operation_id: string;
  agency_id: string;
  at: string;
  kind: string;
  actor_user_id: string | null;
  /** JSON of non-identifying detail: person numbers, roles, dispositions, counts. */
  detail: string;
}

export interface InboxItemTable {
  id: string;
  /** Recipient agency. */
  agency_id: string;
  /** Who in that agency sees it: a role name, or `user` for one person (user_id). */
  audience: string;
  user_id: string | null;
  kind: string;
  record_type: string | null;
  record_id: string | null;
  operation_id: string | null;
  title: string;
  body: string;
  /** Keeps a repeated check (a countdown alert from several processes) from filing twice. */
  dedupe_key: string | null;
  created_at: string;
  /** When the work the notice asks for was done (it then reads as read for everyone); null while it waits. */
  settled_at: string | null;
}

export interface InboxReadTable {
  item_id: string;
  user_id: string;
  read_at: string;
}

export interface ContactTable {
  id: string;
  operation_id: string;
  agency_id: string;
  /** "Person 7": the contact's number within its operation. */
  person_number: number;
  /** The recording device's id for this entry, so a retried submission is not recorded twice. */
  client_ref: string | null;
  role: string;
  suspect_type: string | null;
  sex: string;
  age_band: string;
  estimated_age: number | null;
  disposition: string | null;
  /** Encrypted JSON list. */
  charges: string | null;
  name: string | null;
  aliases: string | null;
  dob: string | null;
  phones: string | null;
  screening_tool: string | null;
  screening_result: string | null;
  recorded_by: string;
  recorded_by_agency_id: string;
  recorded_at: string;
  updated_at: string;
  version: number;
}
export type ContactRow = Selectable<ContactTable>;

export interface ContactServiceTable {
  contact_id: string;
  service: string;
  offered: number;
  accepted: number;
}

export interface ReferralTable {
  id: string;
  contact_id: string;
  operation_id: string;
  /** The referring (lead) agency. */
  agency_id: string;
  to_agency_id: string;
  /** Encrypted: first name or alias only. */
  first_name: string;
  language: string;
  /** JSON list of services wanted. */
  services: string;
  /** Encrypted: how to reach the person safely. */
  safe_contact: string;
  part2: number;
  status: string;
  sent_by: string;
  sent_at: string;
  responded_by: string | null;
  responded_at: string | null;
  /**
   * Encrypted; the receiving advocates' single notes field from before issue #9. Since migration 0011 it
   * is only the text of the referral's legacy first note (`referral_note.legacy`); new notes go to
   * `referral_note`.
   */
  advocate_notes: string | null;
  updated_at: string;
  /** Encrypted: the callback number the referring officer gave; null on referrals made before issue #9. */
  callback_phone: string | null;
}
export type ReferralRow = Selectable<ReferralTable>;

/** One dated note of the receiving advocates on a referral: append-only, never shown to the referring side. */
export interface ReferralNoteTable {
  id: string;
  referral_id: string;
  /** The receiving agency. */
  agency_id: string;
  author_user_id: string | null;
  created_at: string;
  /** Encrypted text; null on the legacy note (its text is `referral.advocate_notes`). */
  body: string | null;
  legacy: number;
}
export type ReferralNoteRow = Selectable<ReferralNoteTable>;

export interface CustodyHandoffTable {
  id: string;
  contact_id: string;
  operation_id: string;
  agency_id: string;
  to_agency_id: string;
  taken_at: string;
  officer_user_id: string;
  reason: string;
  /** Encrypted narrative. */
  reason_detail: string | null;
  juvenile_officer_notified_at: string | null;
  childrens_division_notified_at: string | null;
  statement_due_at: string;
  statement_filed_at: string | null;
  /** Encrypted. */
  receipt_caseworker_name: string | null;
  receipt_at: string | null;
  placement_type: string | null;
  received_by: string | null;
  created_at: string;
  updated_at: string;
  /** Encrypted: the officer's phone for the caseworker, given at hand-off or taken from their account. */
  officer_phone: string | null;
  /** Encrypted: the placement's name, recorded with the receipt. */
  placement_name: string | null;
}
export type CustodyHandoffRow = Selectable<CustodyHandoffTable>;

export interface ParentNotificationTable {
  id: string;
  handoff_id: string;
  agency_id: string;
  at: string;
  method: string;
  outcome: string;
  /** Encrypted. */
  note: string | null;
  recorded_by: string;
}
