import type { Kysely } from 'kysely';

/**
 * The advocates' compartment (issue #12). `client` is owned by the victim-services agency serving the
 * person, visible only to its staff assigned to the client (`client_assignment`) and its supervisors.
 * Names, phones, the safety plan, notes, service notes and documents are encrypted. A release
 * (`client_release`) is the client's written consent to share named scopes with one recipient agency
 * (optionally one person) from a start to an expiry, revocable at once; `client_share` holds each
 * extract shared under it, encrypted, and is read only through a release in effect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('client')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    /** The accepted referral the client came from; one client per referral. */
    .addColumn('referral_id', 'text', (c) => c.references('referral.id').unique())
    .addColumn('intake', 'text', (c) => c.notNull())
    /** Encrypted. */
    .addColumn('name', 'text', (c) => c.notNull())
    /** Encrypted. */
    .addColumn('phone', 'text')
    .addColumn('language', 'text')
    .addColumn('trafficking_type', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('nationality', 'text', (c) => c.notNull().defaultTo('unknown'))
    /** JSON: the service categories the client needs. */
    .addColumn('needs', 'text', (c) => c.notNull().defaultTo('[]'))
    /** Encrypted. */
    .addColumn('safety_plan', 'text')
    .addColumn('safety_plan_updated_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_agency').on('client').columns(['agency_id', 'status', 'opened_at']).execute();

  await db.schema
    .createTable('client_assignment')
    .addColumn('client_id', 'text', (c) => c.notNull().references('client.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('assigned_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_assignment_pk', ['client_id', 'user_id'])
    .execute();
  await db.schema.createIndex('client_assignment_user').on('client_assignment').columns(['user_id', 'client_id']).execute();

  await db.schema
    .createTable('client_service')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('client.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('provided_on', 'text', (c) => c.notNull())
    /** Encrypted. */
    .addColumn('note', 'text')
    /** 1 for 42 CFR Part 2 information (substance-use treatment). */
    .addColumn('part2', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_service_client').on('client_service').columns(['client_id', 'provided_on']).execute();
  await db.schema.createIndex('client_service_report').on('client_service').columns(['agency_id', 'provided_on', 'category']).execute();

  await db.schema
    .createTable('client_note')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('client.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    /** Encrypted. */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_note_client').on('client_note').columns(['client_id', 'created_at']).execute();

  await db.schema
    .createTable('client_document')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('client.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    /** Encrypted: the file, base64. */
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_document_client').on('client_document').columns(['client_id']).execute();

  await db.schema
    .createTable('client_release')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('client.id'))
    /** The advocate agency (the client's). */
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('recipient_agency_id', 'text', (c) => c.notNull().references('agency.id'))
    /** One named person at the recipient agency, or null for its staff. */
    .addColumn('recipient_user_id', 'text', (c) => c.references('app_user.id'))
    /** JSON: the scopes (common/clients.ts RELEASE_SCOPES). */
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    /** Encrypted: the name the client gave on the release, which the recipient sees. */
    .addColumn('subject_name', 'text', (c) => c.notNull())
    .addColumn('consent_method', 'text', (c) => c.notNull())
    /** Encrypted: the client's typed signature (signed on screen). */
    .addColumn('signature', 'text')
    .addColumn('scan_document_id', 'text', (c) => c.references('client_document.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('revocation_method', 'text')
    /** Encrypted. */
    .addColumn('revocation_note', 'text')
    /** Set when the expiry sweep has audited the end and taken the release's identifiers out of the index. */
    .addColumn('expiry_recorded_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_release_client').on('client_release').columns(['client_id', 'created_at']).execute();
  await db.schema.createIndex('client_release_recipient').on('client_release').columns(['recipient_agency_id', 'status', 'expires_at']).execute();

  await db.schema
    .createTable('client_share')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('release_id', 'text', (c) => c.notNull().references('client_release.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('client.id'))
    .addColumn('agency_id', 'text', (c) => c.notNull().references('agency.id'))
    .addColumn('recipient_agency_id', 'text', (c) => c.notNull().references('agency.id'))
    /** JSON: the scopes this extract carries (a subset of the release's). */
    .addColumn('scopes', 'text', (c) => c.notNull())
    /** Encrypted: the extract as shared (JSON). */
    .addColumn('extract', 'text', (c) => c.notNull())
    .addColumn('part2', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('shared_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('shared_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_share_release').on('client_share').columns(['release_id', 'shared_at']).execute();
}
