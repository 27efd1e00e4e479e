import type { AgencyTable, AppUserTable, MembershipTable, RecoveryCodeTable, TaskForceMemberTable, TaskForceTable } from './directory.ts';
import type { LoginFailureTable, LoginLockTable, RateLimitTable, SessionTable, SettingTable } from './auth.ts';
import type { AuditChainTable, AuditCheckpointTable, AuditEventTable } from './audit.ts';
import type {
  ContactServiceTable,
  ContactTable,
  CustodyHandoffTable,
  DeconflictionConflictTable,
  InboxItemTable,
  InboxReadTable,
  OperationAgencyTable,
  OperationAssignmentTable,
  OperationEventTable,
  OperationLocationCellTable,
  OperationLocationTable,
  OperationSubjectTable,
  OperationTable,
  OperationWaiverTable,
  ParentNotificationTable,
  ReferralNoteTable,
  ReferralTable,
} from './operations.ts';
import type {
  PressReleaseApprovalTable,
  PressReleaseCorrectionTable,
  PressReleaseFigureTable,
  PressReleasePublicationTable,
  PressReleaseTable,
  StatAtomTable,
  StatCountedTable,
  StatFrozenQuarterTable,
  StatReleaseCellTable,
  StatReleaseJobTable,
  StatReleaseTable,
} from './disclosure.ts';
import type { TipImportJobTable } from './tip-import.ts';
import type { IdempotencyKeyTable, JobLeaseTable } from './jobs.ts';
import type {
  BusinessAlertTable,
  BusinessAttachmentTable,
  BusinessEventTable,
  BusinessFactTable,
  BusinessIndicatorTable,
  BusinessOperatorTable,
  BusinessTable,
  LandlordContactTable,
  LandlordTable,
  NoticeBatchTable,
  NoticeCounterTable,
  NoticeLetterTable,
  NoticeTemplateTable,
  CampaignStageTallyTable,
  CampaignLandlordTallyTable,
  CampaignClosureTallyTable,
  CampaignReachedTallyTable,
} from './businesses.ts';
import type {
  ClientAssignmentTable,
  ClientDocumentTable,
  ClientNoteTable,
  ClientReleaseTable,
  ClientServiceTable,
  ClientShareTable,
  ClientTable,
} from './clients.ts';
import type { EmailDeliveryTable, EmailItemScanTable, NotificationPreferenceTable } from './notifications.ts';
import type { RecordIdentifierTable, TipChallengeSpentTable, TipEventTable, TipIntakeQueueTable, TipMessageTable, TipShareTable, TipTable, TipIpKeyTable } from './tips.ts';

export * from './directory.ts';
export * from './auth.ts';
export * from './audit.ts';
export * from './operations.ts';
export * from './disclosure.ts';
export * from './notifications.ts';
export * from './tips.ts';
export * from './tip-import.ts';
export * from './businesses.ts';
export * from './clients.ts';
export * from './jobs.ts';

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
  operation: OperationTable;
  operation_agency: OperationAgencyTable;
  operation_assignment: OperationAssignmentTable;
  operation_location: OperationLocationTable;
  operation_location_cell: OperationLocationCellTable;
  operation_subject: OperationSubjectTable;
  deconfliction_conflict: DeconflictionConflictTable;
  operation_waiver: OperationWaiverTable;
  operation_event: OperationEventTable;
  inbox_item: InboxItemTable;
  inbox_read: InboxReadTable;
  contact: ContactTable;
  contact_service: ContactServiceTable;
  referral: ReferralTable;
  referral_note: ReferralNoteTable;
  custody_handoff: CustodyHandoffTable;
  parent_notification: ParentNotificationTable;
  press_release: PressReleaseTable;
  press_release_approval: PressReleaseApprovalTable;
  press_release_correction: PressReleaseCorrectionTable;
  press_release_publication: PressReleasePublicationTable;
  press_release_figure: PressReleaseFigureTable;
  stat_atom: StatAtomTable;
  stat_frozen_quarter: StatFrozenQuarterTable;
  stat_counted: StatCountedTable;
  stat_release: StatReleaseTable;
  stat_release_cell: StatReleaseCellTable;
  stat_release_job: StatReleaseJobTable;
  notification_preference: NotificationPreferenceTable;
  email_item_scan: EmailItemScanTable;
  email_delivery: EmailDeliveryTable;
  tip: TipTable;
  tip_event: TipEventTable;
  tip_message: TipMessageTable;
  tip_share: TipShareTable;
  record_identifier: RecordIdentifierTable;
  tip_challenge_spent: TipChallengeSpentTable;
  tip_intake_queue: TipIntakeQueueTable;
  tip_ip_key: TipIpKeyTable;
  tip_import_job: TipImportJobTable;
  landlord: LandlordTable;
  business: BusinessTable;
  business_fact: BusinessFactTable;
  business_operator: BusinessOperatorTable;
  business_attachment: BusinessAttachmentTable;
  business_indicator: BusinessIndicatorTable;
  business_event: BusinessEventTable;
  landlord_contact: LandlordContactTable;
  notice_template: NoticeTemplateTable;
  notice_counter: NoticeCounterTable;
  notice_batch: NoticeBatchTable;
  notice_letter: NoticeLetterTable;
  business_alert: BusinessAlertTable;
  campaign_stage_tally: CampaignStageTallyTable;
  campaign_landlord_tally: CampaignLandlordTallyTable;
  campaign_closure_tally: CampaignClosureTallyTable;
  campaign_reached_tally: CampaignReachedTallyTable;
  client: ClientTable;
  client_assignment: ClientAssignmentTable;
  client_service: ClientServiceTable;
  client_note: ClientNoteTable;
  client_document: ClientDocumentTable;
  client_release: ClientReleaseTable;
  client_share: ClientShareTable;
  job_lease: JobLeaseTable;
  idempotency_key: IdempotencyKeyTable;
}
