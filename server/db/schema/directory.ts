import type { Insertable, Selectable, Updateable } from 'kysely';

/** Times are ISO 8601 UTC strings with milliseconds on both back ends; flags are 0/1 integers. */
export interface AgencyTable {
  id: string;
  name: string;
  short_name: string | null;
  kind: string;
  ori: string | null;
  /** JSON array of county FIPS codes the agency serves. */
  counties: string;
  created_at: string;
  updated_at: string;
}
export type AgencyRow = Selectable<AgencyTable>;
export type NewAgencyRow = Insertable<AgencyTable>;
export type AgencyUpdate = Updateable<AgencyTable>;

export interface TaskForceTable {
  id: string;
  /** The lead agency owns the task force record. */
  agency_id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}
export type TaskForceRow = Selectable<TaskForceTable>;

export interface TaskForceMemberTable {
  task_force_id: string;
  agency_id: string;
  joined_at: string;
}

export interface AppUserTable {
  id: string;
  agency_id: string;
  email: string;
  display_name: string;
  /** Encrypted (enc1…) work phone, or null. */
  phone: string | null;
  password_hash: string;
  must_change_password: number;
  password_changed_at: string;
  /** Encrypted TOTP secret; null until enrolment is confirmed. */
  totp_secret: string | null;
  /** Encrypted secret offered during enrolment, not yet confirmed. */
  totp_pending_secret: string | null;
  totp_enrolled_at: string | null;
  /** Last accepted TOTP time step: a code is accepted once (ASVS 2.8.4). */
  totp_last_step: number | null;
  is_platform_admin: number;
  disabled_at: string | null;
  /** When an administrator last re-enabled the account: the 90-day dormancy clock restarts there. */
  enabled_at: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}
export type AppUserRow = Selectable<AppUserTable>;
export type NewAppUserRow = Insertable<AppUserTable>;

export interface MembershipTable {
  user_id: string;
  agency_id: string;
  role: string;
  created_at: string;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}
