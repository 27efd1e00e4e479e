import type { Kysely } from 'kysely';

/**
 * Email notification (issue #9, item 6). The inbox stays the record of every notice; email only tells a
 * person that one is waiting. `email_item_scan` marks an inbox notice whose recipients were worked out
 * (its primary key is the claim: of several Lantern processes, one inserts it), `email_delivery` holds one
 * row per notice and person (its primary key keeps anyone from being mailed twice about one notice), and
 * `notification_preference` holds each person's choices (no row: every email, immediately).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_preference')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    /** 0/1 per group of notices; custody deadlines have no column: they cannot be turned off. */
    .addColumn('email_deconfliction', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('email_press_releases', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('email_account', 'integer', (c) => c.notNull().defaultTo(1))
    /** immediate or digest (one email a day; custody deadlines still go at once). */
    .addColumn('delivery', 'text', (c) => c.notNull().defaultTo('immediate'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('email_item_scan')
    .addColumn('item_id', 'text', (c) => c.primaryKey().references('inbox_item.id'))
    .addColumn('scanned_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('email_delivery')
    .addColumn('item_id', 'text', (c) => c.notNull().references('inbox_item.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    /** pending (to send now), digest (waiting for the day's digest), sending, sent, failed, off (preference). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'text', (c) => c.notNull())
    /** The sending process's claim token while status is sending. */
    .addColumn('claim', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'text')
    /** The SMTP error of the last failed attempt (no notice content is ever in it). */
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('email_delivery_pk', ['item_id', 'user_id'])
    .execute();
  await db.schema.createIndex('email_delivery_status').on('email_delivery').columns(['status', 'queued_at']).execute();
  await db.schema.createIndex('email_delivery_claim').on('email_delivery').column('claim').execute();
}
