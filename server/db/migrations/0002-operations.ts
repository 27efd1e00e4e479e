import type { Kysely } from 'kysely';

/** Operations: plan, deconflict, run (contacts, referrals, custody hand-offs), close. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('operation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('task_force_id', 'text', (c) => c.notNull().references('task_force.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('commander_user_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('commander_name', 'text', (c) => c.notNull())
    .addColumn('commander_phone', 'text', (c) => c.notNull())
    .addColumn('briefing', 'text')
    .addColumn('investigation_hold', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('activated_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operation_task_force').on('operation').columns(['task_force_id', 'starts_at']).execute();
  await db.schema.createIndex('operation_by_agency').on('operation').columns(['agency_id', 'starts_at']).execute();
  await db.schema.createIndex('operation_window').on('operation').columns(['starts_at', 'ends_at']).execute();

  await db.schema
    .createTable('operation_agency')
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('operation_agency_pk', ['operation_id', 'agency_id'])
    .execute();
  await db.schema.createIndex('operation_agency_by_agency').on('operation_agency').column('agency_id').execute();

  await db.schema
    .createTable('operation_assignment')
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('operation_assignment_pk', ['operation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('operation_assignment_user').on('operation_assignment').column('user_id').execute();

  await db.schema
    .createTable('operation_location')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('county_fips', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('radius_m', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operation_location_operation').on('operation_location').column('operation_id').execute();

  // The spatial index: each location is filed under every grid cell its circle touches, so a new
  // location finds its neighbours by cell instead of by scanning every operation.
  await db.schema
    .createTable('operation_location_cell')
    .addColumn('cell', 'integer', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull().references('operation_location.id'))
    .addColumn('operation_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('operation_location_cell_pk', ['cell', 'location_id'])
    .execute();
  await db.schema.createIndex('operation_location_cell_location').on('operation_location_cell').column('location_id').execute();

  await db.schema
    .createTable('operation_subject')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('blind', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operation_subject_blind').on('operation_subject').column('blind').execute();
  await db.schema.createIndex('operation_subject_operation').on('operation_subject').column('operation_id').execute();

  await db.schema
    .createTable('deconfliction_conflict')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('operation_a', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('item_a', 'text', (c) => c.notNull())
    .addColumn('operation_b', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('item_b', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .addUniqueConstraint('deconfliction_conflict_pair', ['kind', 'item_a', 'item_b'])
    .execute();
  await db.schema.createIndex('deconfliction_conflict_a').on('deconfliction_conflict').columns(['operation_a', 'status']).execute();
  await db.schema.createIndex('deconfliction_conflict_b').on('deconfliction_conflict').columns(['operation_b', 'status']).execute();

  await db.schema
    .createTable('operation_waiver')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('conflict_ids', 'text', (c) => c.notNull())
    .addColumn('waived_by', 'text', (c) => c.notNull())
    .addColumn('waived_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('operation_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operation_event_operation').on('operation_event').columns(['operation_id', 'at']).execute();

  await db.schema
    .createTable('inbox_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('record_type', 'text')
    .addColumn('record_id', 'text')
    .addColumn('operation_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inbox_item_agency').on('inbox_item').columns(['agency_id', 'created_at']).execute();
  await db.schema.createIndex('inbox_item_user').on('inbox_item').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('inbox_read')
    .addColumn('item_id', 'text', (c) => c.notNull().references('inbox_item.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_read_pk', ['item_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('contact')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('person_number', 'integer', (c) => c.notNull())
    .addColumn('client_ref', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('suspect_type', 'text')
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('estimated_age', 'integer')
    .addColumn('disposition', 'text')
    .addColumn('charges', 'text')
    .addColumn('name', 'text')
    .addColumn('aliases', 'text')
    .addColumn('dob', 'text')
    .addColumn('phones', 'text')
    .addColumn('screening_tool', 'text')
    .addColumn('screening_result', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_by_agency_id', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('contact_person_number', ['operation_id', 'person_number'])
    .addUniqueConstraint('contact_client_ref', ['operation_id', 'client_ref'])
    .execute();

  // The field log's live list polls "what changed since": by operation, by time.
  await db.schema.createIndex('contact_operation_updated').on('contact').columns(['operation_id', 'updated_at']).execute();

  await db.schema
    .createTable('contact_service')
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contact.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('offered', 'integer', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_service_pk', ['contact_id', 'service'])
    .execute();

  await db.schema
    .createTable('referral')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contact.id'))
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('to_agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('safe_contact', 'text', (c) => c.notNull())
    .addColumn('part2', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('responded_by', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('advocate_notes', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referral_to_agency').on('referral').columns(['to_agency_id', 'status']).execute();
  await db.schema.createIndex('referral_operation').on('referral').column('operation_id').execute();
  await db.schema.createIndex('referral_contact').on('referral').column('contact_id').execute();

  await db.schema
    .createTable('custody_handoff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().unique().references('contact.id'))
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operation.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('to_agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('officer_user_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reason_detail', 'text')
    .addColumn('juvenile_officer_notified_at', 'text')
    .addColumn('childrens_division_notified_at', 'text')
    .addColumn('statement_due_at', 'text', (c) => c.notNull())
    .addColumn('statement_filed_at', 'text')
    .addColumn('receipt_caseworker_name', 'text')
    .addColumn('receipt_at', 'text')
    .addColumn('placement_type', 'text')
    .addColumn('received_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('custody_handoff_to_agency').on('custody_handoff').columns(['to_agency_id', 'taken_at']).execute();
  await db.schema.createIndex('custody_handoff_operation').on('custody_handoff').column('operation_id').execute();
  await db.schema.createIndex('custody_handoff_due').on('custody_handoff').columns(['statement_filed_at', 'statement_due_at']).execute();

  await db.schema
    .createTable('parent_notification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('handoff_id', 'text', (c) => c.notNull().references('custody_handoff.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('parent_notification_handoff').on('parent_notification').column('handoff_id').execute();
}
