export interface AuditEventTable {
  id: string;
  chain_id: string;
  /** Position in its chain, from 1. */
  seq: number;
  at: string;
  actor_user_id: string | null;
  actor_agency_id: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  /** The agency that owns the record, so that agency's administrator can review access to it. */
  record_agency_id: string | null;
  outcome: string;
  /** JSON array of field names (never values). */
  changed_fields: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  /** JSON object of non-sensitive detail (reasons, counts, attempted email at a failed logon). */
  detail: string;
  prev_hash: string;
  hash: string;
}

/**
 * One hash chain per writer slot. Each Lantern process takes its own chains, so processes never wait
 * on each other to append (DESIGN.md §8); checkpoints tie the chains together.
 */
export interface AuditChainTable {
  id: string;
  created_at: string;
  writer: string;
  head_seq: number;
  head_hash: string;
  /** 1: plain SHA-256 (chains opened before migration 0005); 2: HMAC under the audit key. */
  version: number;
  /** The audit key that chains it (`AuditKeys.keyId`); null for version 1. */
  key_id: string | null;
}

export interface AuditCheckpointTable {
  id: string;
  seq: number;
  at: string;
  /** JSON object chain id → [head seq, head hash] at the time of the checkpoint. */
  heads: string;
  prev_hash: string;
  hash: string;
  /** 1: plain SHA-256 (before migration 0005); 2: HMAC under the audit key, signed. */
  version: number;
  key_id: string | null;
  /** Ed25519 signature of the checkpoint (version 2), base64url; the same line is in the anchors. */
  signature: string | null;
}
