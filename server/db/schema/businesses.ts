import type { Selectable } from 'kysely';

/** A business in the campaign (issue #11; migration 0016): owned by the agency that entered it. */
export interface BusinessTable {
  id: string;
  agency_id: string;
  task_force_id: string;
  name: string;
  name_key: string;
  address: string;
  city: string;
  zip: string | null;
  county_fips: string;
  address_key: string;
  hours: string | null;
  /** JSON of the business-license facts. */
  license: string;
  /** JSON: the source of each core fact. */
  sources: string;
  stage: string;
  outcome: string | null;
  version: number;
  stage_changed_at: string;
  landlord_id: string | null;
  notified_at: string | null;
  response_due: string | null;
  responded_at: string | null;
  lease_action_at: string | null;
  closed_at: string | null;
  cleared_at: string | null;
  cleared_by: string | null;
  cleared_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export type BusinessRow = Selectable<BusinessTable>;

export interface BusinessFactTable {
  id: string;
  business_id: string;
  agency_id: string;
  kind: string;
  value: string;
  source: string;
  recorded_by: string;
  recorded_at: string;
}
export type BusinessFactRow = Selectable<BusinessFactTable>;

export interface BusinessOperatorTable {
  id: string;
  business_id: string;
  agency_id: string;
  kind: string;
  role: string;
  /** Encrypted. */
  name: string;
  name_blind: string;
  /** Encrypted. */
  detail: string | null;
  source: string;
  recorded_by: string;
  recorded_at: string;
}
export type BusinessOperatorRow = Selectable<BusinessOperatorTable>;

export interface BusinessAttachmentTable {
  id: string;
  business_id: string;
  agency_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  /** Encrypted base64. */
  content: string;
  uploaded_by: string;
  uploaded_at: string;
}
export type BusinessAttachmentRow = Selectable<BusinessAttachmentTable>;

export interface BusinessIndicatorTable {
  id: string;
  business_id: string;
  agency_id: string;
  indicator: string;
  /** Encrypted. */
  note: string;
  observed_on: string;
  attachment_id: string | null;
  recorded_by: string;
  recorded_at: string;
  verified_by: string | null;
  verified_at: string | null;
  withdrawn_by: string | null;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
  version: number;
}
export type BusinessIndicatorRow = Selectable<BusinessIndicatorTable>;

export interface BusinessEventTable {
  id: string;
  business_id: string;
  agency_id: string;
  at: string;
  kind: string;
  from_stage: string | null;
  to_stage: string | null;
  outcome: string | null;
  actor_user_id: string | null;
  detail: string;
}
export type BusinessEventRow = Selectable<BusinessEventTable>;

export interface LandlordTable {
  id: string;
  agency_id: string;
  task_force_id: string;
  kind: string;
  /** Encrypted. */
  name: string;
  name_blind: string;
  /** Encrypted. */
  agent: string | null;
  /** Encrypted. */
  mailing_address: string | null;
  /** Encrypted. */
  phone: string | null;
  /** Encrypted. */
  email: string | null;
  source: string;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export type LandlordRow = Selectable<LandlordTable>;

export interface LandlordContactTable {
  id: string;
  landlord_id: string;
  business_id: string | null;
  agency_id: string;
  at: string;
  channel: string;
  direction: string;
  /** Encrypted. */
  note: string;
  recorded_by: string;
}
export type LandlordContactRow = Selectable<LandlordContactTable>;

export interface NoticeTemplateTable {
  id: string;
  task_force_id: string;
  agency_id: string;
  version: number;
  title: string;
  body: string;
  legal_basis: string;
  response_days: number;
  updated_by: string;
  updated_at: string;
}
export type NoticeTemplateRow = Selectable<NoticeTemplateTable>;

export interface NoticeCounterTable {
  task_force_id: string;
  year: number;
  last_number: number;
}

export interface NoticeBatchTable {
  id: string;
  agency_id: string;
  task_force_id: string;
  created_by: string;
  status: string;
  total: number;
  processed: number;
  generated: number;
  /** JSON of [{businessId, field?, reason}]. */
  refused: string;
  /** JSON array of business ids. */
  business_ids: string;
  claim: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}
export type NoticeBatchRow = Selectable<NoticeBatchTable>;

export interface NoticeLetterTable {
  id: string;
  number: string;
  business_id: string;
  landlord_id: string;
  agency_id: string;
  task_force_id: string;
  template_id: string;
  batch_id: string | null;
  /** Encrypted JSON. */
  merge: string;
  /** Encrypted base64. */
  pdf: string;
  /** Encrypted base64. */
  docx: string;
  response_due: string;
  created_by: string;
  created_at: string;
  sent_via: string | null;
  sent_at: string | null;
  sent_by: string | null;
  tracking: string | null;
  delivered_at: string | null;
  version: number;
}
export type NoticeLetterRow = Selectable<NoticeLetterTable>;

export interface BusinessAlertTable {
  id: string;
  business_id: string;
  agency_id: string;
  task_force_id: string;
  source_type: string;
  source_id: string;
  source_parent_id: string;
  source_agency_id: string;
  /** JSON array of identifier kinds. */
  kinds: string;
  created_at: string;
  dismissed_at: string | null;
  dismissed_by: string | null;
  dismissed_reason: string | null;
}
export type BusinessAlertRow = Selectable<BusinessAlertTable>;

/**
 * The campaign dashboard's running counts (migration 0017), kept by triggers on `business` and
 * `business_event`; by task force, the one column of a business that `business.read` looks at.
 */
export interface CampaignStageTallyTable {
  task_force_id: string;
  county_fips: string;
  stage: string;
  businesses: number;
  notified: number;
  responded: number;
  lease_action: number;
  closed: number;
}
export interface CampaignLandlordTallyTable {
  task_force_id: string;
  landlord_id: string;
  notified: number;
  responded: number;
}
export interface CampaignClosureTallyTable {
  task_force_id: string;
  /** Days from the landlord's notice to closure, in tenths of a day. */
  tenths: number;
  businesses: number;
}
export interface CampaignReachedTallyTable {
  task_force_id: string;
  stage: string;
  businesses: number;
}
