import type { Kysely } from 'kysely';

/**
 * Tips (issue #10). `tip` is owned by the agency whose queue it sits in (routing moves it); its narrative,
 * details and the tipster's contact are encrypted. The receipt is kept only as a keyed hash. `tip_event`
 * is the tip's dated history, `tip_message` the two-way conversation with the tipster, `tip_share` the
 * other agencies a tip was shared with. `record_identifier` is the identifier index shared by tips,
 * operations' subjects and contacts: keyed hashes of normalised phones, emails, plates, addresses,
 * businesses and handles, never the values. `tip_challenge_spent` holds the proof-of-work challenges
 * already used (its primary key refuses a replay atomically, across processes), and `tip_intake_queue`
 * the encrypted submissions of a burst, worked off in order rather than dropped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tip')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The agency whose tip queue holds it (routing and rerouting change it). */
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('task_force_id', 'text', (c) => c.references('task_force.id'))
    /** web, phone, hotline. */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('minor_involved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('immediate_danger', 'integer', (c) => c.notNull().defaultTo(0))
    /** en or es: the tipster's language, for the status pages and replies. */
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('zip', 'text')
    .addColumn('county_fips', 'text')
    /** Triage rank and its reasons (JSON of indicator names and counts; never tip text). */
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score_reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    /** How routing chose the queue (JSON: zip, county, rule), shown to staff. */
    .addColumn('routing', 'text', (c) => c.notNull().defaultTo('{}'))
    /** Encrypted. */
    .addColumn('narrative', 'text', (c) => c.notNull())
    /** Encrypted JSON of the rest of what the tip says (where, when, people, vehicles, identifiers). */
    .addColumn('details', 'text', (c) => c.notNull())
    /** Encrypted JSON of the tipster's contact details and safe way to reach them; null: "Tipster". */
    .addColumn('contact', 'text')
    /** Keyed hash of the receipt; null for a tip with no receipt (some hotline imports). */
    .addColumn('receipt_hash', 'text', (c) => c.unique())
    /** The hotline's reference (`hotline:<ref>`): one tip per reference, whatever the number of imports. */
    .addColumn('external_ref', 'text', (c) => c.unique())
    .addColumn('assigned_user_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('close_reason', 'text')
    .addColumn('closed_at', 'text')
    /** When the tipster made the tip (a hotline tip was made before it was imported). */
    .addColumn('received_at', 'text', (c) => c.notNull())
    /** The staff member who entered a phoned-in or imported tip; null for the public form. */
    .addColumn('created_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tip_queue').on('tip').columns(['agency_id', 'status', 'received_at']).execute();
  await db.schema.createIndex('tip_county').on('tip').columns(['county_fips']).execute();

  await db.schema
    .createTable('tip_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tip_id', 'text', (c) => c.notNull().references('tip.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    /** received, routed, assigned, status, rerouted, shared, message, added_information … */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    /** JSON of non-identifying detail: states, agencies, reasons chosen from a list. */
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('tip_event_tip').on('tip_event').columns(['tip_id', 'at']).execute();

  await db.schema
    .createTable('tip_message')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tip_id', 'text', (c) => c.notNull().references('tip.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    /** 1: written by the tipster (a message or added information); 0: by staff. */
    .addColumn('from_tipster', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('app_user.id'))
    /** Encrypted. */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('tip_message_tip').on('tip_message').columns(['tip_id', 'at']).execute();

  await db.schema
    .createTable('tip_share')
    .addColumn('tip_id', 'text', (c) => c.notNull().references('tip.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('shared_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('shared_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tip_share_pk', ['tip_id', 'agency_id'])
    .execute();
  await db.schema.createIndex('tip_share_agency').on('tip_share').column('agency_id').execute();

  await db.schema
    .createTable('record_identifier')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** tip, operation_subject, contact. */
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    /** The record a viewer opens: the tip, or the operation a subject or contact belongs to. */
    .addColumn('parent_id', 'text', (c) => c.notNull())
    .addColumn('agency_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    /** Keyed hash of the normalised value (crypto.blindIndex). */
    .addColumn('blind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('record_identifier_blind').on('record_identifier').columns(['blind', 'record_type']).execute();
  await db.schema.createIndex('record_identifier_record').on('record_identifier').columns(['record_type', 'record_id']).execute();

  await db.schema
    .createTable('tip_challenge_spent')
    /** The challenge's own hash: a second use of it collides here. */
    .addColumn('challenge', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tip_challenge_spent_expiry').on('tip_challenge_spent').column('expires_at').execute();

  await db.schema
    .createTable('tip_intake_queue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('receipt_hash', 'text', (c) => c.notNull().unique())
    /** Encrypted JSON of the validated submission. */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claim', 'text')
    .addColumn('error', 'text')
    .execute();
}
