import type { Kysely } from 'kysely';

/**
 * The business campaign (issue #11). `business` is owned by the agency that entered it and shared with its
 * task force (the campaign's); its stage moves only forward through `business_event`, with a version
 * for race-safe changes. Lists of facts (former names, phones, websites, ad handles) carry their source;
 * operators' and owners' names are encrypted, with a keyed hash to find the same person or company behind
 * other storefronts. Indicators carry evidence and a second person's verification. Landlords (owner and
 * agent, from county records) are encrypted, with their contact history. Notice letters are numbered per
 * task force and year and stored as PDF and Word files, encrypted; a batch is a job with progress.
 * `business_alert` holds the re-opening watch's alerts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('landlord')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('task_force_id', 'text', (c) => c.notNull().references('task_force.id'))
    /** person or company. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** Encrypted: the property owner's name. */
    .addColumn('name', 'text', (c) => c.notNull())
    /** Keyed hash of the normalised name, to find the same owner when entered again. */
    .addColumn('name_blind', 'text', (c) => c.notNull())
    /** Encrypted: the owner's agent or property manager. */
    .addColumn('agent', 'text')
    /** Encrypted: the mailing address letters go to. */
    .addColumn('mailing_address', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    /** Where the facts came from (e.g. "Jackson County assessor, parcel 12-345"). */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('landlord_owner').on('landlord').columns(['task_force_id', 'name_blind']).execute();

  await db.schema
    .createTable('business')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('task_force_id', 'text', (c) => c.notNull().references('task_force.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** The normalised name (common/identifiers.ts) for duplicate detection. */
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('zip', 'text')
    .addColumn('county_fips', 'text', (c) => c.notNull())
    /** The normalised address (addressKey) for duplicate detection and the re-opening watch. */
    .addColumn('address_key', 'text', (c) => c.notNull())
    .addColumn('hours', 'text')
    /** JSON: business-license facts ({number, issuer, issued, expires, status}). */
    .addColumn('license', 'text', (c) => c.notNull().defaultTo('{}'))
    /** JSON: the source of each core fact ({name, address, hours, license}). */
    .addColumn('sources', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('stage', 'text', (c) => c.notNull())
    /** The outcome named by the current stage (a landlord's response, a lease action, how it closed). */
    .addColumn('outcome', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('stage_changed_at', 'text', (c) => c.notNull())
    .addColumn('landlord_id', 'text', (c) => c.references('landlord.id'))
    /** Dates the dashboard measures from: the first notice, the landlord's answer, the first lease action, closure. */
    .addColumn('notified_at', 'text')
    .addColumn('response_due', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('lease_action_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('cleared_at', 'text')
    .addColumn('cleared_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('cleared_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One business per name at one address in a campaign: a second entry is caught and linked to the first.
  await db.schema.createIndex('business_unique_place').on('business').columns(['task_force_id', 'address_key', 'name_key']).unique().execute();
  await db.schema.createIndex('business_stage').on('business').columns(['task_force_id', 'stage', 'county_fips']).execute();
  await db.schema.createIndex('business_landlord').on('business').column('landlord_id').execute();

  await db.schema
    .createTable('business_fact')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('business.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    /** former_name, phone, website, handle. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('business_fact_business').on('business_fact').columns(['business_id', 'kind']).execute();

  await db.schema
    .createTable('business_operator')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('business.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    /** person or company. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** operator, owner, manager, registered_agent. */
    .addColumn('role', 'text', (c) => c.notNull())
    /** Encrypted. */
    .addColumn('name', 'text', (c) => c.notNull())
    /** Keyed hash of the normalised name: the same operator behind several storefronts. */
    .addColumn('name_blind', 'text', (c) => c.notNull())
    /** Encrypted free text (a date of birth, a registration number). */
    .addColumn('detail', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('business_operator_business').on('business_operator').column('business_id').execute();
  await db.schema.createIndex('business_operator_blind').on('business_operator').column('name_blind').execute();

  await db.schema
    .createTable('business_attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('business.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    /** Encrypted, base64. */
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('business_attachment_business').on('business_attachment').column('business_id').execute();

  await db.schema
    .createTable('business_indicator')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('business.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    /** One of BUSINESS_INDICATORS. */
    .addColumn('indicator', 'text', (c) => c.notNull())
    /** Encrypted: what was seen. */
    .addColumn('note', 'text', (c) => c.notNull())
    /** The day it was observed (YYYY-MM-DD). */
    .addColumn('observed_on', 'text', (c) => c.notNull())
    .addColumn('attachment_id', 'text', (c) => c.references('business_attachment.id'))
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    /** A second person's confirmation; never the one who recorded it. */
    .addColumn('verified_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('verified_at', 'text')
    .addColumn('withdrawn_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('business_indicator_business').on('business_indicator').columns(['business_id', 'observed_on']).execute();

  await db.schema
    .createTable('business_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('business.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    /** created, stage, cleared, indicator, verified, landlord, letter, delivery, alert … */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text')
    .addColumn('outcome', 'text')
    .addColumn('actor_user_id', 'text')
    /** JSON of non-identifying detail (no operator or landlord names). */
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('business_event_business').on('business_event').columns(['business_id', 'at']).execute();
  await db.schema.createIndex('business_event_stage').on('business_event').columns(['to_stage', 'at']).execute();

  await db.schema
    .createTable('landlord_contact')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('landlord_id', 'text', (c) => c.notNull().references('landlord.id'))
    .addColumn('business_id', 'text', (c) => c.references('business.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    /** letter, phone, email, in_person. */
    .addColumn('channel', 'text', (c) => c.notNull())
    /** outgoing or incoming. */
    .addColumn('direction', 'text', (c) => c.notNull())
    /** Encrypted. */
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('app_user.id'))
    .execute();
  await db.schema.createIndex('landlord_contact_landlord').on('landlord_contact').columns(['landlord_id', 'at']).execute();

  await db.schema
    .createTable('notice_template')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_force_id', 'text', (c) => c.notNull().references('task_force.id'))
    /** The attorney general's office (a prosecutor agency) that keeps the template. */
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    /** The letter's text with {{merge_field}} placeholders (LETTER_MERGE_FIELDS). */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('response_days', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_template_version').on('notice_template').columns(['task_force_id', 'version']).unique().execute();

  await db.schema
    .createTable('notice_counter')
    .addColumn('task_force_id', 'text', (c) => c.notNull().references('task_force.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_counter_pk', ['task_force_id', 'year'])
    .execute();

  await db.schema
    .createTable('notice_batch')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('task_force_id', 'text', (c) => c.notNull().references('task_force.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('generated', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON of [{businessId, field?, reason}]: every business a letter was refused for, and why. */
    .addColumn('refused', 'text', (c) => c.notNull().defaultTo('[]'))
    /** JSON array of the business ids asked for. */
    .addColumn('business_ids', 'text', (c) => c.notNull())
    .addColumn('claim', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('notice_letter')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** e.g. HOPE-2026-0007: per task force and year, never reused. */
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('business_id', 'text', (c) => c.notNull().references('business.id'))
    .addColumn('landlord_id', 'text', (c) => c.notNull().references('landlord.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('task_force_id', 'text', (c) => c.notNull().references('task_force.id'))
    .addColumn('template_id', 'text', (c) => c.notNull().references('notice_template.id'))
    .addColumn('batch_id', 'text', (c) => c.references('notice_batch.id'))
    /** Encrypted JSON of the merged values. */
    .addColumn('merge', 'text', (c) => c.notNull())
    /** Encrypted, base64: the tagged PDF and the Word document. */
    .addColumn('pdf', 'text', (c) => c.notNull())
    .addColumn('docx', 'text', (c) => c.notNull())
    .addColumn('response_due', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_via', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('sent_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('tracking', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('notice_letter_business').on('notice_letter').columns(['business_id', 'created_at']).execute();

  await db.schema
    .createTable('business_alert')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The closed business that seems to be back. */
    .addColumn('business_id', 'text', (c) => c.notNull().references('business.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('task_force_id', 'text', (c) => c.notNull())
    /** Where it showed up again: business, tip, operation_subject, contact. */
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    /** The record a viewer opens for the source (the tip, the operation, the business). */
    .addColumn('source_parent_id', 'text', (c) => c.notNull())
    .addColumn('source_agency_id', 'text', (c) => c.notNull())
    /** JSON array of the identifier kinds that matched (address, phone, handle, operator, business). */
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('dismissed_at', 'text')
    .addColumn('dismissed_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('dismissed_reason', 'text')
    .execute();
  await db.schema.createIndex('business_alert_source').on('business_alert').columns(['business_id', 'source_type', 'source_id']).unique().execute();
  await db.schema.createIndex('business_alert_task_force').on('business_alert').columns(['task_force_id', 'created_at']).execute();
}
