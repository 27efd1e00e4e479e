import type { Selectable } from 'kysely';

/** Migration 0010: a person's email choices; no row means every email, immediately. */
export interface NotificationPreferenceTable {
  user_id: string;
  email_deconfliction: number;
  email_press_releases: number;
  email_account: number;
  delivery: string;
  updated_at: string;
}
export type NotificationPreferenceRow = Selectable<NotificationPreferenceTable>;

/** An inbox notice whose email recipients were worked out, by whichever process inserted the row. */
export interface EmailItemScanTable {
  item_id: string;
  scanned_at: string;
}

export interface EmailDeliveryTable {
  item_id: string;
  user_id: string;
  status: string;
  queued_at: string;
  claim: string | null;
  attempts: number;
  sent_at: string | null;
  error: string | null;
}
export type EmailDeliveryRow = Selectable<EmailDeliveryTable>;
