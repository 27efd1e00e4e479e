export interface SessionTable {
  /** sha256 of the cookie token: a copy of the database cannot be replayed as cookies. */
  id: string;
  user_id: string;
  /** `mfa` (password accepted, code pending), `enrol` (must set up MFA), `active`. */
  stage: string;
  created_at: string;
  last_seen_at: string;
  absolute_expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginFailureTable {
  id: string;
  /** Normalised email as typed, whether or not an account has it. */
  email: string;
  at: string;
  ip: string | null;
}

/** A lock is keyed by email, so a locked unknown address looks exactly like a locked account. */
export interface LoginLockTable {
  email: string;
  locked_at: string;
}

/** Rate-limit counters, shared by every Lantern process on PostgreSQL (an unlogged table there). */
export interface RateLimitTable {
  key: string;
  window_start: number;
  hits: number;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}
