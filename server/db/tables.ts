/**
 * Every table, in an order that respects foreign keys, with its primary key (backup pages through
 * each table by it). Sessions, sign-in counters and rate limits are not carried by a backup: after a
 * restore everyone signs in again.
 */
export const BACKUP_TABLES: readonly { table: string; key: readonly string[] }[] = [
  { table: 'agency', key: ['id'] },
  { table: 'task_force', key: ['id'] },
  { table: 'task_force_member', key: ['task_force_id', 'agency_id'] },
  { table: 'app_user', key: ['id'] },
  { table: 'membership', key: ['user_id', 'role'] },
  { table: 'recovery_code', key: ['id'] },
  { table: 'login_lock', key: ['email'] },
  { table: 'setting', key: ['key'] },
  { table: 'operation', key: ['id'] },
  { table: 'operation_agency', key: ['operation_id', 'agency_id'] },
  { table: 'operation_assignment', key: ['operation_id', 'user_id'] },
  { table: 'operation_location', key: ['id'] },
  { table: 'operation_location_cell', key: ['cell', 'location_id'] },
  { table: 'operation_subject', key: ['id'] },
  { table: 'deconfliction_conflict', key: ['id'] },
  { table: 'operation_waiver', key: ['id'] },
  { table: 'operation_event', key: ['id'] },
  { table: 'inbox_item', key: ['id'] },
  { table: 'inbox_read', key: ['item_id', 'user_id'] },
  { table: 'notification_preference', key: ['user_id'] },
  { table: 'email_item_scan', key: ['item_id'] },
  { table: 'email_delivery', key: ['item_id', 'user_id'] },
  { table: 'contact', key: ['id'] },
  { table: 'contact_service', key: ['contact_id', 'service'] },
  { table: 'referral', key: ['id'] },
  { table: 'referral_note', key: ['id'] },
  { table: 'custody_handoff', key: ['id'] },
  { table: 'parent_notification', key: ['id'] },
  { table: 'press_release', key: ['id'] },
  { table: 'press_release_approval', key: ['release_id', 'kind'] },
  { table: 'press_release_correction', key: ['id'] },
  { table: 'stat_atom', key: ['family', 'category', 'county_fips', 'quarter'] },
  { table: 'stat_release', key: ['id'] },
  { table: 'stat_frozen_quarter', key: ['quarter'] },
  { table: 'stat_counted', key: ['operation_id', 'family', 'category'] },
  { table: 'stat_release_cell', key: ['release_id', 'key'] },
  { table: 'audit_chain', key: ['id'] },
  { table: 'audit_event', key: ['id'] },
  { table: 'audit_checkpoint', key: ['id'] },
];

/** Not carried by a backup: sign-in state, and statistics jobs (their releases and audit rows are). */
export const TRANSIENT_TABLES: readonly string[] = ['session', 'login_failure', 'rate_limit', 'stat_release_job', 'schema_migration', 'schema_migration_lock'];
