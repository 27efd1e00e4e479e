import { decryptField, encryptField, fieldContext, type Keyring } from './crypto.ts';

/**
 * Sensitive columns (names, dates of birth, contact details, narratives, MFA secrets) are stored
 * sealed. Every such column is listed here so key rotation can find them all.
 */
export const ENCRYPTED_COLUMNS: readonly { table: string; columns: readonly string[] }[] = [
  { table: 'app_user', columns: ['phone', 'totp_secret', 'totp_pending_secret'] },
  { table: 'operation', columns: ['commander_phone', 'briefing'] },
  { table: 'operation_subject', columns: ['value'] },
  { table: 'contact', columns: ['charges', 'name', 'aliases', 'dob', 'phones'] },
  { table: 'referral', columns: ['first_name', 'safe_contact', 'advocate_notes', 'callback_phone'] },
  { table: 'referral_note', columns: ['body'] },
  { table: 'custody_handoff', columns: ['reason_detail', 'receipt_caseworker_name', 'officer_phone', 'placement_name'] },
  { table: 'parent_notification', columns: ['note'] },
  { table: 'tip', columns: ['narrative', 'details', 'contact'] },
  { table: 'tip_intake_queue', columns: ['payload'] },
  { table: 'tip_message', columns: ['body'] },
  { table: 'tip_import_job', columns: ['rejected_rows'] },
  { table: 'record_identifier', columns: ['hint'] },
  { table: 'landlord', columns: ['name', 'agent', 'mailing_address', 'phone', 'email'] },
  { table: 'business_operator', columns: ['name', 'detail'] },
  { table: 'business_attachment', columns: ['content'] },
  { table: 'business_indicator', columns: ['note'] },
  { table: 'landlord_contact', columns: ['note'] },
  { table: 'notice_letter', columns: ['merge', 'pdf', 'docx'] },
  { table: 'client', columns: ['name', 'phone', 'safety_plan'] },
  { table: 'client_service', columns: ['note'] },
  { table: 'client_note', columns: ['body'] },
  { table: 'client_document', columns: ['name', 'content'] },
  { table: 'client_release', columns: ['subject_name', 'signature', 'revocation_note'] },
  { table: 'client_share', columns: ['extract'] },
];

export function seal(ring: Keyring, table: string, column: string, rowId: string, value: string): string;
export function seal(ring: Keyring, table: string, column: string, rowId: string, value: string | null | undefined): string | null;
export function seal(ring: Keyring, table: string, column: string, rowId: string, value: string | null | undefined) {
  return value == null ? null : encryptField(ring, value, fieldContext(table, column, rowId));
}

export function unseal(ring: Keyring, table: string, column: string, rowId: string, stored: string): string;
export function unseal(ring: Keyring, table: string, column: string, rowId: string, stored: string | null): string | null;
export function unseal(ring: Keyring, table: string, column: string, rowId: string, stored: string | null) {
  return stored == null ? null : decryptField(ring, stored, fieldContext(table, column, rowId));
}
