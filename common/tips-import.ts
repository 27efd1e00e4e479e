/**
 * The national hotline's forwarded tips, imported from CSV (issue #10, item 4): the tip fields a column
 * may fill, and the limits of a file. docs/tips-import.md describes the hotline's columns.
 */
export const IMPORT_FIELDS = [
  'externalRef',
  'receivedAt',
  'narrative',
  'address',
  'city',
  'zip',
  'county',
  'when',
  'people',
  'vehicles',
  'phones',
  'emails',
  'online',
  'businesses',
  'minorInvolved',
  'immediateDanger',
  'language',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields a tip cannot be imported without: the text, and the case number that keeps it from being imported twice. */
export const REQUIRED_IMPORT_FIELDS: readonly ImportField[] = ['externalRef', 'narrative'];

/** Fields that take a list: several columns may feed one ("Phone 1", "Phone 2"), and a cell may hold several values. */
export const LIST_IMPORT_FIELDS: readonly ImportField[] = ['phones', 'emails', 'online', 'businesses'];

export const TIP_IMPORT_LIMITS = {
  /**
   * Characters of a whole file: several hundred hotline tips. The request carrying it must also fit the
   * API's body limit (BODY_LIMIT_BYTES, 1 MiB) once sent as JSON; a bigger file is split.
   */
  csvChars: 900_000,
  /** Data rows of a file (the header not counted). */
  rows: 2000,
  columns: 60,
  /** Rows the preview shows, mapped and checked. */
  previewRows: 10,
} as const;

/** running → done, or failed (the server stopped while it ran: import the file again, nothing is imported twice). */
export const IMPORT_JOB_STATUSES = ['running', 'done', 'failed'] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];
