import type { Selectable } from 'kysely';

/** A client of a victim-services agency (issue #12; migration 0018): the advocates' compartment. */
export interface ClientTable {
  id: string;
  agency_id: string;
  referral_id: string | null;
  intake: string;
  /** Encrypted. */
  name: string;
  /** Encrypted. */
  phone: string | null;
  language: string | null;
  trafficking_type: string;
  nationality: string;
  /** JSON list of service categories. */
  needs: string;
  /** Encrypted. */
  safety_plan: string | null;
  safety_plan_updated_at: string | null;
  status: string;
  opened_at: string;
  closed_at: string | null;
  close_reason: string | null;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export type ClientRow = Selectable<ClientTable>;

export interface ClientAssignmentTable {
  client_id: string;
  user_id: string;
  assigned_by: string;
  assigned_at: string;
}

export interface ClientServiceTable {
  id: string;
  client_id: string;
  agency_id: string;
  category: string;
  provided_on: string;
  /** Encrypted. */
  note: string | null;
  part2: number;
  created_by: string;
  created_at: string;
}

export interface ClientNoteTable {
  id: string;
  client_id: string;
  agency_id: string;
  /** Encrypted. */
  body: string;
  created_by: string;
  created_at: string;
}

export interface ClientDocumentTable {
  id: string;
  client_id: string;
  agency_id: string;
  name: string;
  mime: string;
  size: number;
  /** Encrypted, base64. */
  content: string;
  created_by: string;
  created_at: string;
}

export interface ClientReleaseTable {
  id: string;
  client_id: string;
  agency_id: string;
  recipient_agency_id: string;
  recipient_user_id: string | null;
  /** JSON list of scopes. */
  scopes: string;
  purpose: string;
  /** Encrypted. */
  subject_name: string;
  consent_method: string;
  /** Encrypted. */
  signature: string | null;
  scan_document_id: string | null;
  starts_at: string;
  expires_at: string;
  status: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revocation_method: string | null;
  /** Encrypted. */
  revocation_note: string | null;
  expiry_recorded_at: string | null;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export type ClientReleaseRow = Selectable<ClientReleaseTable>;

export interface ClientShareTable {
  id: string;
  release_id: string;
  client_id: string;
  agency_id: string;
  recipient_agency_id: string;
  /** JSON list of scopes. */
  scopes: string;
  /** Encrypted JSON extract. */
  extract: string;
  part2: number;
  shared_by: string;
  shared_at: string;
}
