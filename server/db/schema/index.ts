import type { AgencyTable, AppUserTable, MembershipTable, RecoveryCodeTable, TaskForceMemberTable, TaskForceTable } from './directory.ts';
import type { LoginFailureTable, LoginLockTable, RateLimitTable, SessionTable, SettingTable } from './auth.ts';
import type { AuditChainTable, AuditCheckpointTable, AuditEventTable } from './audit.ts';

export * from './directory.ts';
export * from './auth.ts';
export * from './audit.ts';

export interface DB {
  agency: AgencyTable;
  task_force: TaskForceTable;
  task_force_member: TaskForceMemberTable;
  app_user: AppUserTable;
  membership: MembershipTable;
  recovery_code: RecoveryCodeTable;
  session: SessionTable;
  login_failure: LoginFailureTable;
  login_lock: LoginLockTable;
  rate_limit: RateLimitTable;
  setting: SettingTable;
  audit_event: AuditEventTable;
  audit_chain: AuditChainTable;
  audit_checkpoint: AuditCheckpointTable;
}
