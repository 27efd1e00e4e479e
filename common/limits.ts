/** Limits shared by the server's validation and the web forms, so both say the same thing. */
export const PASSWORD_MIN = 15; // CJIS 5.9.5 IA-5(1): at least 15 characters
export const PASSWORD_MAX = 128;
export const NAME_MAX = 200;
export const EMAIL_MAX = 254;
export const SHORT_TEXT_MAX = 500;
/** An agency's short name ("KCPD"). */
export const SHORT_NAME_MAX = 40;
/** A phone number as typed, with spaces and punctuation. */
export const PHONE_MAX = 40;
export const LONG_TEXT_MAX = 20_000;
export const BODY_LIMIT_BYTES = 1_048_576;

export const LOCKOUT_ATTEMPTS = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** A half-finished sign-in (password done, MFA not yet) lapses quickly. */
export const SESSION_PENDING_MS = 10 * 60_000;
export const ACCOUNT_DORMANT_MS = 90 * 24 * 60 * 60_000;
/** A temporary password an administrator issued is good for three days. */
export const TEMPORARY_PASSWORD_MS = 3 * 24 * 60 * 60_000;
export const RECOVERY_CODE_COUNT = 10;
export const AUDIT_PAGE_MAX = 200;
