import type { Selectable } from 'kysely';

/** A tip (issue #10): owned by the agency whose queue holds it. */
export interface TipTable {
  id: string;
  agency_id: string;
  task_force_id: string | null;
  source: string;
  status: string;
  version: number;
  urgent: number;
  minor_involved: number;
  immediate_danger: number;
  language: string;
  zip: string | null;
  county_fips: string | null;
  score: number;
  /** JSON array of the indicators behind the score; never tip text. */
  score_reasons: string;
  /** JSON: how routing chose the queue. */
  routing: string;
  /** Encrypted. */
  narrative: string;
  /** Encrypted JSON of the rest of the tip. */
  details: string;
  /** Encrypted JSON of the tipster's contact details; null: shown as "Tipster". */
  contact: string | null;
  receipt_hash: string | null;
  external_ref: string | null;
  assigned_user_id: string | null;
  close_reason: string | null;
  closed_at: string | null;
  received_at: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type TipRow = Selectable<TipTable>;

export interface TipEventTable {
  id: string;
  tip_id: string;
  agency_id: string;
  at: string;
  kind: string;
  actor_user_id: string | null;
  detail: string;
}
export type TipEventRow = Selectable<TipEventTable>;

export interface TipMessageTable {
  id: string;
  tip_id: string;
  agency_id: string;
  at: string;
  from_tipster: number;
  user_id: string | null;
  /** Encrypted. */
  body: string;
  read_at: string | null;
}
export type TipMessageRow = Selectable<TipMessageTable>;

export interface TipShareTable {
  tip_id: string;
  agency_id: string;
  shared_by: string;
  shared_at: string;
  reason: string;
}

/** The identifier index shared by tips, operations' subjects and contacts. */
export interface RecordIdentifierTable {
  id: string;
  record_type: string;
  record_id: string;
  parent_id: string;
  agency_id: string;
  kind: string;
  blind: string;
  created_at: string;
  /** Sealed masked value of a tip's identifier (migration 0014); null on other records' rows. */
  hint: string | null;
}
export type RecordIdentifierRow = Selectable<RecordIdentifierTable>;

export interface TipChallengeSpentTable {
  challenge: string;
  expires_at: string;
}

export interface TipIntakeQueueTable {
  id: string;
  receipt_hash: string;
  payload: string;
  queued_at: string;
  attempts: number;
  claim: string | null;
  error: string | null;
}

/** The day's key of the public tipsters' IP hashes (migration 0013); deleted once its day is over. */
export interface TipIpKeyTable {
  /** The UTC day, YYYY-MM-DD. */
  id: string;
  /** Sealed. */
  secret: string;
}
