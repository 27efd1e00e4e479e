import type { Selectable } from 'kysely';

/** An import of the hotline's forwarded tips (issue #10, item 4; migration 0015). */
export interface TipImportJobTable {
  id: string;
  agency_id: string;
  created_by: string;
  status: string;
  total: number;
  processed: number;
  imported: number;
  duplicates: number;
  /** JSON of [{row, field, reason}]. */
  rejected: string;
  /** Sealed JSON of {header, rows: [{row, cells}]}. */
  rejected_rows: string | null;
  /** JSON: column name → tip field. */
  mapping: string;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}
export type TipImportJobRow = Selectable<TipImportJobTable>;
