import { z } from 'zod';
import { IMPORT_FIELDS, IMPORT_JOB_STATUSES, TIP_IMPORT_LIMITS } from '../tips-import.ts';
import { id } from './shared.ts';

export const importField = z.enum(IMPORT_FIELDS, { message: `must be one of ${IMPORT_FIELDS.join(', ')}` });

/** Header → the tip field it fills, or null: the column is not imported. */
export const importMapping = z.record(z.string().max(200, { message: 'a column name must be at most 200 characters' }), importField.nullable(), {
  message: 'must map column names to tip fields',
});
export type ImportMapping = z.infer<typeof importMapping>;

/**
 * A mapping as sent. Each field name is checked against the file (tips.import.csv.ts `checkMapping`), so
 * that a refusal names its column exactly (`mapping.<column>`) even when the column's name holds a "/" or
 * a ".", which a schema error's path cannot spell.
 */
export const importMappingInput = z.record(z.string().max(200, { message: 'a column name must be at most 200 characters' }), z.unknown(), {
  message: 'must map column names to tip fields',
});
export type ImportMappingInput = z.infer<typeof importMappingInput>;

const csv = z
  .string({ message: 'must be the text of a CSV file' })
  .min(1, { message: 'is required: choose the CSV file the hotline sent' })
  .max(TIP_IMPORT_LIMITS.csvChars, { message: `must be at most ${TIP_IMPORT_LIMITS.csvChars} characters: split the file` });

/** POST /api/tips/import/preview: the file, and the mapping chosen so far (none: the suggested one). */
export const importPreviewInput = z.object({ csv, mapping: importMappingInput.optional() });
/** POST /api/tips/import: the file and the mapping to import it with. */
export const importStartInput = z.object({ csv, mapping: importMappingInput });

/** One reason a row is not imported: the tip field (or `row`) and why. */
export const importRowError = z.object({ field: z.string(), reason: z.string() });

export const importPreviewRow = z.object({
  /** The spreadsheet row number (the header is row 1). */
  row: z.number(),
  /** The tip as it would be filed (fields named as in the tip form). */
  tip: z.record(z.string(), z.unknown()),
  errors: z.array(importRowError),
});

export const importPreview = z.object({
  headers: z.array(z.string()),
  /** The mapping used: the one sent, or the suggested one. */
  mapping: importMapping,
  /** The mapping suggested by the headers' names (English and Spanish). */
  suggested: importMapping,
  totalRows: z.number(),
  rows: z.array(importPreviewRow),
});
export type ImportPreview = z.infer<typeof importPreview>;

export const importJobParams = z.object({ jobId: id });

export const importRejectedRow = z.object({ row: z.number(), field: z.string(), reason: z.string() });

/** GET /api/tips/import/:jobId: every row is imported, a duplicate, or rejected with its reason. */
export const importJob = z.object({
  id: z.string(),
  status: z.enum(IMPORT_JOB_STATUSES),
  total: z.number(),
  processed: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  rejected: z.array(importRejectedRow),
  /** Why a failed job stopped. */
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJobDto = z.infer<typeof importJob>;

export const importStarted = z.object({ jobId: z.string() });
